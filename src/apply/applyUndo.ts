// Undo of one apply run: deletes only what that run created, and detaches the NEGs it added to a
// backend service it did not create, in the order Google accepts (a resource still referenced
// cannot be deleted). Cloud Run services it deployed are kept and named in the report.
import { CERTIFICATE_MANAGER_KINDS, type CertificateManagerClient, type CertificateManagerKind } from '../gcp/certificateManager';
import type { ComputeClient, ComputeKind } from '../gcp/compute';
import { CloudError, isCancellation, toCloudError } from '../gcp/errors';
import { normalizeRef } from '../gcp/refs';
import { deletionPhases, RESOURCE_KINDS } from '../gcp/resourceKinds';
import type { AppliedResource, ApplyResult, AttachedBackend } from './applyTypes';

/** Phases in order (the resource kinds' deletion phases); within a phase everything runs in parallel. */
export const UNDO_PHASES: readonly (readonly ComputeKind[])[] = deletionPhases().map((kinds) => kinds.map((k) => RESOURCE_KINDS[k].collection as ComputeKind));

export interface UndoReport {
  deleted: AppliedResource[];
  /** Already gone when Undo got there. */
  alreadyGone: AppliedResource[];
  detached: AttachedBackend[];
  failed: { resource: AppliedResource | AttachedBackend; error: CloudError }[];
  /** Not deleted on purpose, with the reason (deployed Cloud Run services). */
  kept: { resource: AppliedResource; reason: string }[];
  /** Not attempted because Undo was cancelled. */
  cancelled: (AppliedResource | AttachedBackend)[];
}

export type UndoEvent =
  | { type: 'deleting' | 'deleted' | 'alreadyGone' | 'failed'; resource: AppliedResource; error?: CloudError }
  | { type: 'detaching' | 'detached' | 'failed'; attachment: AttachedBackend; error?: CloudError };

async function detach(compute: ComputeClient, attachment: AttachedBackend, signal?: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await compute.get('backendServices', attachment.backendService, { signal });
    const wanted = normalizeRef(attachment.group, compute.project);
    const backends = current.backends ?? [];
    const kept = backends.filter((b) => !b.group || normalizeRef(b.group, compute.project) !== wanted);
    if (kept.length === backends.length) return;
    try {
      await compute.update('backendServices', attachment.backendService, { ...current, backends: kept }, { signal });
      return;
    } catch (err) {
      // Someone else changed it meanwhile: read again.
      if (!(err instanceof CloudError) || err.kind !== 'conflict' || attempt >= 4) throw err;
    }
  }
}

export async function undoApply(
  result: Pick<ApplyResult, 'created' | 'attached'>,
  compute: ComputeClient,
  options: { signal?: AbortSignal; onEvent?: (event: UndoEvent) => void; certificateManager?: CertificateManagerClient } = {},
): Promise<UndoReport> {
  const { signal, onEvent } = options;
  const deleteOne = (resource: AppliedResource): Promise<boolean> => {
    if (!(CERTIFICATE_MANAGER_KINDS as readonly string[]).includes(resource.collection)) {
      return compute.delete(resource.collection as ComputeKind, resource.name, { region: resource.region, signal });
    }
    if (!options.certificateManager) throw new CloudError(`Could not delete ${resource.name}: this session has no Certificate Manager client.`, { kind: 'invalid', remedy: 'Reload the window and run Undo again.' });
    return options.certificateManager.delete(resource.collection as CertificateManagerKind, resource.name, { map: resource.parent, signal });
  };
  const report: UndoReport = { deleted: [], alreadyGone: [], detached: [], failed: [], kept: [], cancelled: [] };
  for (const resource of result.created.filter((r) => r.collection === 'runServices')) {
    report.kept.push({ resource, reason: `Cloud Run service ${resource.name} in ${resource.region} was deployed by this run and keeps serving; delete it with \`gcloud run services delete ${resource.name} --region=${resource.region}\` if you no longer need it.` });
  }
  const createdBackends = new Set(result.created.filter((r) => r.collection === 'backendServices').map((r) => r.name));
  const detachments = result.attached.filter((a) => !createdBackends.has(a.backendService));

  for (const phase of UNDO_PHASES) {
    const resources = result.created.filter((r) => phase.includes(r.collection as ComputeKind));
    const phaseDetachments = phase.includes('backendServices') ? detachments : [];
    if (signal?.aborted) {
      report.cancelled.push(...resources, ...phaseDetachments);
      continue;
    }
    await Promise.all([
      ...phaseDetachments.map(async (attachment) => {
        onEvent?.({ type: 'detaching', attachment });
        try {
          await detach(compute, attachment, signal);
          report.detached.push(attachment);
          onEvent?.({ type: 'detached', attachment });
        } catch (err) {
          if (isCancellation(err)) return void report.cancelled.push(attachment);
          const error = toCloudError(err);
          report.failed.push({ resource: attachment, error });
          onEvent?.({ type: 'failed', attachment, error });
        }
      }),
      ...resources.map(async (resource) => {
        onEvent?.({ type: 'deleting', resource });
        try {
          const existed = await deleteOne(resource);
          (existed ? report.deleted : report.alreadyGone).push(resource);
          onEvent?.({ type: existed ? 'deleted' : 'alreadyGone', resource });
        } catch (err) {
          if (isCancellation(err)) return void report.cancelled.push(resource);
          const error = toCloudError(err);
          report.failed.push({ resource, error });
          onEvent?.({ type: 'failed', resource, error });
        }
      }),
    ]);
  }
  return report;
}

export function summarizeUndo(report: UndoReport): string {
  const parts = [`Undo deleted ${report.deleted.length} resource${report.deleted.length === 1 ? '' : 's'}`];
  if (report.detached.length) parts.push(`detached ${report.detached.length} NEG${report.detached.length === 1 ? '' : 's'} from existing backend services`);
  if (report.alreadyGone.length) parts.push(`${report.alreadyGone.length} were already gone`);
  let text = `${parts.join(', ')}.`;
  for (const { resource, error } of report.failed) text += ` Not undone: ${'name' in resource ? resource.name : resource.backendService} (${error.message})`;
  for (const { reason } of report.kept) text += ` ${reason}`;
  if (report.cancelled.length) text += ` Cancelled before: ${report.cancelled.map((r) => ('name' in r ? r.name : r.backendService)).join(', ')}.`;
  return text;
}
