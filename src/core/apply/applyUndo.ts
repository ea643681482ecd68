// Undo of one apply run: deletes only what that run created, and detaches the NEGs it added to a
// backend service it did not create, in the order Google accepts (a resource still referenced
// cannot be deleted). Cloud Run services it deployed are kept and named in the report.
import type { CloudDnsClient, DnsZone } from '../gcp/cloudDns';
import type { CertificateManagerClient } from '../gcp/certificateManager';
import type { ComputeClient, ComputeKind } from '../gcp/compute';
import { CloudError, isCancellation, toCloudError } from '../gcp/errors';
import { normalizeRef } from '../gcp/refs';
import { deletionPhases, kindOfCollection, RESOURCE_KINDS, stepForm, stepLabel } from '../kinds/registry';
import type {
  AmendedResource,
  AppliedDnsRecord,
  AppliedResource,
  ApplyClients,
  ApplyResult,
  AttachedBackend,
  AttachedCertificate,
} from './applyTypes';
import { deleteResource } from './stepTools';

/** Phases in order (the resource kinds' deletion phases); within a phase everything runs in parallel. */
export const UNDO_PHASES: readonly (readonly ComputeKind[])[] = deletionPhases().map((kinds) =>
  kinds.map((k) => RESOURCE_KINDS[k].collection as ComputeKind),
);

export interface UndoReport {
  deleted: AppliedResource[];
  /** Already gone when Undo got there. */
  alreadyGone: AppliedResource[];
  detached: AttachedBackend[];
  /** Certificates taken off the proxies this run attached them to. */
  detachedCertificates: AttachedCertificate[];
  failed: { resource: AppliedResource | AttachedBackend | AttachedCertificate | AppliedDnsRecord | AmendedResource; error: CloudError }[];
  /** Not deleted on purpose, with the reason (deployed Cloud Run services, DNS records changed since). */
  kept: { resource: AppliedResource | AppliedDnsRecord | AmendedResource; reason: string }[];
  /** Not attempted because Undo was cancelled. */
  cancelled: (AppliedResource | AttachedBackend | AttachedCertificate | AppliedDnsRecord | AmendedResource)[];
  /** Settings the runs changed on resources they did not make (a Cloud Armor policy), put back as they were. */
  restored: AmendedResource[];
  /** Cloud DNS records the runs created, removed; and records they changed, put back as they were. */
  dnsRemoved: AppliedDnsRecord[];
  dnsRestored: AppliedDnsRecord[];
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

/**
 * Takes a certificate off a proxy; says why not when it is the proxy's only certificate (the change
 * was finished, the old ones are gone): a proxy must never be left without one.
 */
async function detachCertificate(
  compute: ComputeClient,
  attachment: AttachedCertificate,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const proxy = await compute.find('targetHttpsProxies', attachment.httpsProxy, { signal });
  if (!proxy) return undefined;
  const wanted = normalizeRef(attachment.certificate, compute.project);
  const current = proxy.sslCertificates ?? [];
  const kept = current.filter((c) => normalizeRef(c, compute.project) !== wanted);
  if (kept.length === current.length) return undefined;
  if (!kept.length && !proxy.certificateMap) {
    return `Certificate ${attachment.certificate.split('/').pop()} is kept: the domain change was finished and it is the only certificate of target HTTPS proxy ${attachment.httpsProxy}, which would be left without one. To go back to the earlier domains, run Change Domains again with them.`;
  }
  await compute.setSslCertificates(attachment.httpsProxy, kept, signal);
  return undefined;
}

const same = (a: readonly string[], b: readonly string[]) =>
  [...a]
    .map((x) => x.toLowerCase())
    .sort()
    .join(',') ===
  [...b]
    .map((x) => x.toLowerCase())
    .sort()
    .join(',');

/**
 * Takes back the DNS records a plan wrote, before the address they point at goes: a record it created is removed,
 * one it changed gets its earlier data back. A record someone changed since is left as it is, and said so.
 */
async function undoDnsRecords(
  records: readonly AppliedDnsRecord[],
  dns: CloudDnsClient | undefined,
  report: UndoReport,
  signal?: AbortSignal,
): Promise<void> {
  await Promise.all(
    records.map(async (record) => {
      if (signal?.aborted) return void report.cancelled.push(record);
      try {
        if (!dns) throw new CloudError('Undo needs a Cloud DNS client to take back DNS records.', { kind: 'invalid' });
        const zone: DnsZone = { project: record.zoneProject, name: record.zone, dnsName: record.zoneDnsName, visibility: 'public' };
        const now = await dns.getRecordSet(zone, record.name, record.type, signal);
        if (!now) {
          if (record.previous) await dns.change(zone, { add: [record.previous] }, signal);
          (record.previous ? report.dnsRestored : report.dnsRemoved).push(record);
          return;
        }
        if (!same(now.rrdatas, record.written.rrdatas)) {
          report.kept.push({
            resource: record,
            reason: `The ${record.type} record of ${record.name} in Cloud DNS zone ${record.zone} was changed after this plan wrote it (it now holds ${now.rrdatas.join(', ')}); Undo leaves it as it is.`,
          });
          return;
        }
        const current = { name: now.name, type: now.type, ttl: now.ttl, rrdatas: now.rrdatas };
        await dns.change(zone, { remove: [current], add: record.previous ? [record.previous] : [] }, signal);
        (record.previous ? report.dnsRestored : report.dnsRemoved).push(record);
      } catch (err) {
        if (isCancellation(err)) return void report.cancelled.push(record);
        report.failed.push({ resource: record, error: toCloudError(err) });
      }
    }),
  );
}

/** Puts back what steps changed on resources they did not make, each by its kind's own undo, before anything is deleted. */
async function undoAmendments(
  amended: readonly AmendedResource[],
  clients: Pick<ApplyClients, 'compute'> & Partial<ApplyClients>,
  report: UndoReport,
  signal?: AbortSignal,
): Promise<void> {
  await Promise.all(
    amended.map(async (resource) => {
      if (signal?.aborted) return void report.cancelled.push(resource);
      try {
        const kept = await stepForm(resource.kind).undo?.(resource, clients, signal);
        if (kept) report.kept.push({ resource, reason: kept });
        else report.restored.push(resource);
      } catch (err) {
        if (isCancellation(err)) return void report.cancelled.push(resource);
        report.failed.push({ resource, error: toCloudError(err) });
      }
    }),
  );
}

export async function undoApply(
  result: Pick<ApplyResult, 'created' | 'attached' | 'attachedCertificates' | 'dnsRecords' | 'amended'>,
  compute: ComputeClient,
  options: {
    signal?: AbortSignal;
    onEvent?: (event: UndoEvent) => void;
    dns?: CloudDnsClient;
    certificateManager?: CertificateManagerClient;
  } = {},
): Promise<UndoReport> {
  const { signal, onEvent } = options;
  const deleteOne = (resource: AppliedResource): Promise<boolean> =>
    deleteResource(
      RESOURCE_KINDS[kindOfCollection(resource.collection)],
      resource,
      { compute, certificateManager: options.certificateManager },
      {
        signal,
        again: 'run Undo again',
      },
    );
  const report: UndoReport = {
    deleted: [],
    alreadyGone: [],
    detached: [],
    detachedCertificates: [],
    failed: [],
    kept: [],
    cancelled: [],
    dnsRemoved: [],
    dnsRestored: [],
    restored: [],
  };
  await undoDnsRecords(result.dnsRecords ?? [], options.dns, report, signal);
  await undoAmendments(result.amended ?? [], { compute, dns: options.dns, certificateManager: options.certificateManager }, report, signal);
  for (const resource of result.created.filter((r) => r.collection === 'runServices')) {
    report.kept.push({
      resource,
      reason: `Cloud Run service ${resource.name} in ${resource.region} was deployed by this run and keeps serving; delete it with \`gcloud run services delete ${resource.name} --region=${resource.region}\` if you no longer need it.`,
    });
  }
  const createdBackends = new Set(result.created.filter((r) => r.collection === 'backendServices').map((r) => r.name));
  const detachments = result.attached.filter((a) => !createdBackends.has(a.backendService));

  // A certificate comes off its proxy before anything is deleted; one that stays attached is not deleted.
  const stillAttached = new Map<string, { kept?: string; error?: CloudError }>();
  for (const attachment of result.attachedCertificates ?? []) {
    const name = attachment.certificate.split('/').pop() ?? '';
    if (signal?.aborted) {
      report.cancelled.push(attachment);
      stillAttached.set(name, {});
      continue;
    }
    try {
      const kept = await detachCertificate(compute, attachment, signal);
      if (kept) stillAttached.set(name, { kept });
      else report.detachedCertificates.push(attachment);
    } catch (err) {
      if (isCancellation(err)) {
        report.cancelled.push(attachment);
        stillAttached.set(name, {});
        continue;
      }
      const error = toCloudError(err);
      report.failed.push({ resource: attachment, error });
      stillAttached.set(name, { error });
    }
  }
  for (const resource of result.created.filter((r) => r.collection === 'sslCertificates' && stillAttached.has(r.name))) {
    const why = stillAttached.get(resource.name)!;
    // Serving alone: nothing left to undo. Otherwise it stays in the history for the next Undo.
    if (why.kept) report.kept.push({ resource, reason: why.kept });
    else if (why.error)
      report.failed.push({
        resource,
        error: new CloudError(`It is still attached to its proxy (${why.error.message}).`, { kind: 'conflict' }),
      });
    else report.cancelled.push(resource);
  }

  for (const phase of UNDO_PHASES) {
    const resources = result.created.filter(
      (r) => phase.includes(r.collection as ComputeKind) && !(r.collection === 'sslCertificates' && stillAttached.has(r.name)),
    );
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
  if (report.detached.length)
    parts.push(`detached ${report.detached.length} NEG${report.detached.length === 1 ? '' : 's'} from existing backend services`);
  if (report.detachedCertificates.length)
    parts.push(
      `detached ${report.detachedCertificates.map((c) => c.certificate.split('/').pop()).join(', ')} from ${[...new Set(report.detachedCertificates.map((c) => c.httpsProxy))].join(', ')}`,
    );
  if (report.restored.length) parts.push(`restored ${report.restored.map((r) => `the ${stepLabel(r.kind)} of ${r.name}`).join(', ')}`);
  if (report.alreadyGone.length) parts.push(`${report.alreadyGone.length} were already gone`);
  if (report.dnsRemoved.length)
    parts.push(`removed ${report.dnsRemoved.length} Cloud DNS record${report.dnsRemoved.length === 1 ? '' : 's'} it had created`);
  if (report.dnsRestored.length)
    parts.push(`restored ${report.dnsRestored.length} Cloud DNS record${report.dnsRestored.length === 1 ? '' : 's'} it had changed`);
  let text = `${parts.join(', ')}.`;
  for (const { resource, error } of report.failed) text += ` Not undone: ${undoName(resource)} (${error.message})`;
  for (const { reason } of report.kept) text += ` ${reason}`;
  if (report.cancelled.length) text += ` Cancelled before: ${report.cancelled.map(undoName).join(', ')}.`;
  return text;
}

function undoName(r: AppliedResource | AttachedBackend | AttachedCertificate | AppliedDnsRecord | AmendedResource): string {
  return 'name' in r ? r.name : 'backendService' in r ? r.backendService : `${r.certificate.split('/').pop()} on ${r.httpsProxy}`;
}
