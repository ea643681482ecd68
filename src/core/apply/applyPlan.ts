// Runs a plan against Google: independent steps in parallel (bounded), each after the steps it
// depends on; cancellable; repeatable (a second run adopts what the first one made).
import type { ComputeKind, ComputeResources } from '../gcp/compute';
import { CloudError, isCancellation, toCloudError } from '../gcp/errors';
import type { Inventory } from '../gcp/types';
import { judgeSteps } from '../plan/build';
import { COMPUTE_KINDS, isCertificateManagerStep, stepForm, stepLabel } from '../kinds/registry';
import type { Plan, PlanStep } from '../plan/types';
import { runDag } from './applyScheduler';
import { conflictError, type DnsWrite } from './stepTools';
import { dnsBody } from '../plan/dnsRecords';
import type {
  AmendedResource,
  ApplyClients,
  ApplyOptions,
  ApplyResult,
  AppliedDnsRecord,
  AppliedResource,
  AttachedBackend,
  AttachedCertificate,
  StepResult,
} from './applyTypes';

export const DEFAULT_CONCURRENCY = 4;

/** `backend service web-backend`, `network endpoint group web-neg in us-central1`: a step's resource in messages. */
const what = (step: PlanStep) => `${stepLabel(step.kind)} ${step.name}${step.region ? ` in ${step.region}` : ''}`;

const resourceOf = (step: PlanStep): AppliedResource => ({
  stepId: step.id,
  kind: step.kind,
  collection: step.collection,
  name: step.name,
  region: step.region,
  ...(step.parent ? { parent: step.parent } : {}),
});

/**
 * Looks up every Compute resource the plan creates (one filtered list per collection and region,
 * in parallel) and returns the steps whose resource exists with other settings. Nothing is changed.
 */
export async function findConflicts(
  plan: Plan,
  clients: ApplyClients,
  signal?: AbortSignal,
  absent?: Set<string>,
): Promise<{ step: PlanStep; error: CloudError }[]> {
  // Certificate Manager's resources are looked up by their own steps (Compute lists do not hold them).
  const creates = plan.steps.filter(
    (s) =>
      s.kind !== 'deployService' &&
      s.kind !== 'addBackend' &&
      s.kind !== 'invokerBinding' &&
      s.kind !== 'attachCertificate' &&
      s.kind !== 'dnsRecord' &&
      !isCertificateManagerStep(s),
  );
  const groups = new Map<string, PlanStep[]>();
  for (const s of creates) groups.set(`${s.collection}|${s.region ?? ''}`, [...(groups.get(`${s.collection}|${s.region ?? ''}`) ?? []), s]);
  const live = new Map<string, unknown>();
  await Promise.all(
    [...groups.values()].map(async (steps) => {
      const { collection, region } = steps[0];
      const filter = `name eq "(${steps.map((s) => s.name).join('|')})"`;
      const found = await clients.compute.listAll(collection as ComputeKind, { region, filter, signal });
      for (const s of steps) {
        const resource = found.find((r) => (r as { name?: string | null }).name === s.name);
        live.set(s.id, resource);
        if (!resource) absent?.add(s.id);
      }
    }),
  );
  // What the plan's names hold now, judged as planning judges them.
  const lists: Record<string, unknown[]> = Object.fromEntries(COMPUTE_KINDS.map((kind) => [kind, []]));
  for (const s of creates) {
    const found = live.get(s.id);
    if (found) lists[s.collection].push(found);
  }
  const inventory = { ...lists, project: plan.project, services: [] } as unknown as Inventory;
  const conflicts = judgeSteps(creates, inventory, plan.service)
    .filter((s) => s.action === 'conflict')
    .map((step) => ({ step, error: conflictError(what(step), step.differences ?? []) }));
  return conflicts;
}

export async function applyPlan(plan: Plan, clients: ApplyClients, options: ApplyOptions = {}): Promise<ApplyResult> {
  const started = Date.now();
  const { signal, onEvent } = options;
  const results = new Map<string, StepResult>();
  const outputs = new Map<string, unknown>();
  const created: AppliedResource[] = [];
  const attached: AttachedBackend[] = [];
  const uncertain: AppliedResource[] = [];
  const uncertainAttached: AttachedBackend[] = [];
  const attachedCertificates: AttachedCertificate[] = [];
  const dnsRecords: AppliedDnsRecord[] = [];
  const amended: AmendedResource[] = [];
  const total = plan.steps.length;
  let done = 0;

  const finish = (step: PlanStep, result: Omit<StepResult, 'stepId' | 'kind' | 'name' | 'region'>) => {
    const full: StepResult = { stepId: step.id, kind: step.kind, name: step.name, region: step.region, ...result };
    results.set(step.id, full);
    onEvent?.({ type: 'stepFinished', step, result: full, done: ++done, total });
    return full;
  };
  const report = (): ApplyResult => {
    const steps = plan.steps.map((s) => results.get(s.id)!);
    const address = (id: string) => (outputs.get(id) as ComputeResources['addresses'] | undefined)?.address ?? undefined;
    return {
      ok: steps.every((r) => r.outcome === 'created' || r.outcome === 'adopted' || r.outcome === 'updated'),
      cancelled: steps.some((r) => r.outcome === 'cancelled'),
      steps,
      created,
      attached,
      uncertain,
      uncertainAttached,
      attachedCertificates,
      dnsRecords,
      amended,
      ip: address('address'),
      ipv6: address('ipv6-address'),
      durationMs: Date.now() - started,
    };
  };

  const absentAtStart = new Set<string>();
  const conflictsInPlan = plan.steps.filter((s) => s.action === 'conflict');
  let conflicts = conflictsInPlan.map((step) => ({ step, error: conflictError(what(step), step.differences ?? []) }));
  if (!conflicts.length && options.preflight !== false && !signal?.aborted) {
    try {
      conflicts = await findConflicts(plan, clients, signal, absentAtStart);
    } catch (err) {
      if (!isCancellation(err)) throw toCloudError(err);
    }
  }
  if (conflicts.length || signal?.aborted) {
    // Stop before any change.
    for (const s of plan.steps) {
      const conflict = conflicts.find((c) => c.step.id === s.id);
      if (conflict) finish(s, { outcome: 'failed', message: conflict.error.message, error: conflict.error });
      else if (signal?.aborted) finish(s, { outcome: 'cancelled', message: 'Cancelled before it started.' });
      else finish(s, { outcome: 'skipped', message: 'Not started: the plan has conflicts.' });
    }
    return report();
  }

  const backendsCreatedHere = () => new Set(created.filter((c) => c.kind === 'backendService').map((c) => c.name));
  await runDag(plan.steps, {
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    signal,
    onNotRun: (step, state, because) =>
      finish(
        step,
        state === 'cancelled'
          ? { outcome: 'cancelled', message: 'Cancelled before it started.' }
          : { outcome: 'skipped', message: `Not started: ${because} did not complete.` },
      ),
    run: async (step) => {
      const at = Date.now();
      let sent = false;
      onEvent?.({ type: 'stepStarted', step, at, done, total });
      try {
        const outcome = await stepForm(step.kind).execute({
          plan,
          step,
          what: what(step),
          clients,
          signal,
          outputs,
          absentAtStart: absentAtStart.has(step.id),
          sending: () => {
            sent = true;
            if (step.kind === 'attachCertificate')
              attachedCertificates.push({ stepId: step.id, httpsProxy: step.name, certificate: String(step.body.certificate) });
          },
        });
        outputs.set(step.id, outcome.resource);
        if (step.kind === 'dnsRecord' && (outcome.outcome === 'created' || outcome.outcome === 'updated')) {
          const body = dnsBody(step);
          const write = outcome.resource as DnsWrite;
          dnsRecords.push({
            stepId: step.id,
            zone: body.zone,
            zoneProject: body.zoneProject,
            zoneDnsName: body.zoneDnsName,
            name: step.name,
            type: body.type,
            ...write,
          });
        } else if (outcome.outcome === 'created') created.push(resourceOf(step));
        if (outcome.outcome === 'updated' && outcome.undo !== undefined)
          amended.push({ stepId: step.id, kind: step.kind, name: step.name, region: step.region, record: outcome.undo });
        if (outcome.outcome === 'updated' && step.kind === 'addBackend' && !backendsCreatedHere().has(step.name)) {
          attached.push({ stepId: step.id, backendService: step.name, group: String(step.body.group), region: step.region });
        }
        finish(step, { outcome: outcome.outcome, message: outcome.message, startedAt: at, durationMs: Date.now() - at });
        return 'done';
      } catch (err) {
        const error = toCloudError(err);
        const cancelled = error.kind === 'cancelled' || !!signal?.aborted;
        if (sent && step.kind === 'addBackend')
          uncertainAttached.push({ stepId: step.id, backendService: step.name, group: String(step.body.group), region: step.region });
        // A binding of unknown outcome leaves nothing to delete: the next run reads the policy again.
        // An attached certificate of unknown outcome is already listed for Undo, which only detaches what is there.
        // A DNS change of unknown outcome is not undone either: what it would have replaced is no longer known for sure.
        else if (sent && step.kind !== 'invokerBinding' && step.kind !== 'attachCertificate' && step.kind !== 'dnsRecord')
          uncertain.push(resourceOf(step));
        finish(step, {
          outcome: cancelled ? 'cancelled' : 'failed',
          message: error.message,
          error,
          startedAt: at,
          durationMs: Date.now() - at,
        });
        return cancelled ? 'cancelled' : 'failed';
      }
    },
  });
  return report();
}

/** One paragraph for the user: what happened, and what to do next. */
export function summarizeApply(result: ApplyResult): string {
  const count = (outcome: StepResult['outcome']) => result.steps.filter((s) => s.outcome === outcome).length;
  const parts = [`${count('created')} created, ${count('adopted')} adopted, ${count('updated')} updated`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  if (count('cancelled')) parts.push(`${count('cancelled')} cancelled`);
  let text = `${parts.join(', ')} in ${(result.durationMs / 1000).toFixed(1)} s.`;
  for (const failed of result.steps.filter((s) => s.outcome === 'failed')) text += ` ${failed.stepId}: ${failed.message}`;
  if (!result.ok) text += ' Run the plan again to finish: what exists is adopted.';
  else if (result.ip) text += ` The load balancer's IP is ${result.ip}${result.ipv6 ? ` (IPv6 ${result.ipv6})` : ''}.`;
  return text;
}
