// What the step executors of the kinds share: adopt an identical resource, refuse a different one, create a missing
// one; wait while a reference is not ready; read an address's IP. Each executor looks before it creates, so running
// a plan again finishes what a failed or cancelled run left.
import type { ComputeKind, ComputeResources } from '../gcp/compute';
import type { CertificateManagerClient, CertificateManagerKind } from '../gcp/certificateManager';
import type { ComputeClient } from '../gcp/compute';
import type { KindDeclaration } from '../kinds/kind';
import { CloudError } from '../gcp/errors';
import { sleep } from '../gcp/retry';
import { certificateManagerDifferences, resourceDifferences } from '../plan/differences';
import type { DnsRecordSet } from '../gcp/cloudDns';
import type { StepContext, StepDone } from '../kinds/kind';

/** `what`: the resource in messages, as `StepContext.what` says it. */
export function conflictError(what: string, differences: string[]): CloudError {
  return new CloudError(`The ${what} already exists with other settings (${differences.join('; ')}).`, {
    kind: 'alreadyExists',
    action: `create ${what}`,
    remedy: 'Choose another name for it, or delete the existing one if nothing uses it.',
  });
}

const NOT_READY_ATTEMPTS = 8;

/**
 * A resource adopted from an earlier, interrupted run may still be under creation; Google refuses
 * references to it (resourceNotReady) until its operation ends, so wait and send again.
 */
export async function whenReferencesReady<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof CloudError) || err.reason !== 'resourceNotReady' || attempt >= NOT_READY_ATTEMPTS) throw err;
      await sleep(Math.min(4000, 100 * 2 ** attempt), signal);
    }
  }
}

/**
 * Adopts an identical resource, refuses a different one, creates a missing one. A resource the
 * preflight found absent is not looked up again: the insert itself says if it appeared meanwhile.
 */
export async function createOrAdopt(
  context: StepContext,
  body: Record<string, unknown> = context.step.body,
  options: { readBack?: boolean } = {},
): Promise<StepDone> {
  const { step, clients, signal } = context;
  const kind = step.collection as ComputeKind;
  const scope = { region: step.region, signal };
  const existing = context.absentAtStart ? undefined : await clients.compute.find(kind, step.name, scope);
  if (existing) {
    const differences = resourceDifferences(step, body, existing, context.plan.project);
    if (differences.length) throw conflictError(context.what, differences);
    return { outcome: 'adopted', message: `The ${context.what} exists with the planned settings: adopted.`, resource: existing };
  }
  context.sending();
  const { resource, created } = await whenReferencesReady(
    () =>
      clients.compute.insert(kind, body as unknown as ComputeResources[typeof kind] & { name: string }, scope, {
        readBack: options.readBack,
      }),
    signal,
  );
  if (!created) {
    // Appeared meanwhile: judged by the plan's own rule, which is stricter than the access layer's.
    const differences = resourceDifferences(step, body, resource, context.plan.project);
    if (differences.length) throw conflictError(context.what, differences);
  }
  return created
    ? { outcome: 'created', message: `Created the ${context.what}.`, resource }
    : { outcome: 'adopted', message: `The ${context.what} appeared meanwhile with the planned settings: adopted.`, resource };
}

/** The IP of an address: from the step that made it, else read. */
export async function addressIp(context: StepContext, addressName: string): Promise<string> {
  const fromStep = context.plan.steps.find((s) => s.kind === 'address' && s.name === addressName);
  const made = fromStep ? (context.outputs.get(fromStep.id) as ComputeResources['addresses'] | undefined) : undefined;
  const address = made ?? (await context.clients.compute.get('addresses', addressName, { signal: context.signal }));
  if (!address.address)
    throw new CloudError(`The global address ${addressName} has no IP yet.`, { kind: 'conflict', remedy: 'Try again in a minute.' });
  return address.address;
}

/** What a DNS step's outcome carries for Undo. */
export interface DnsWrite {
  written: DnsRecordSet;
  previous?: DnsRecordSet;
}

/** Certificate Manager's resources: adopted when identical, refused when different, created when missing. */
export async function createOrAdoptInCertificateManager(context: StepContext): Promise<StepDone> {
  const { step, clients, signal } = context;
  const cm = clients.certificateManager;
  if (!cm)
    throw new CloudError(`The ${context.what} cannot be created: this session has no Certificate Manager client.`, {
      kind: 'invalid',
      remedy: 'Reload the window and apply the plan again.',
    });
  const kind = step.collection as CertificateManagerKind;
  const scope = { map: step.parent, signal };
  const judge = (resource: unknown) => {
    const differences = certificateManagerDifferences(step, resource, context.plan.project);
    if (differences.length) throw conflictError(context.what, differences);
  };
  const existing = context.absentAtStart ? undefined : await cm.find(kind, step.name, scope);
  if (existing) {
    judge(existing);
    return {
      outcome: 'adopted',
      message: `The ${context.what} exists with the planned settings: adopted.${cnameHint(existing)}`,
      resource: existing,
    };
  }
  context.sending();
  const { resource, created } = await cm.create(kind, step.name, step.body as never, scope);
  if (!created) judge(resource);
  return created
    ? { outcome: 'created', message: `Created the ${context.what}.${cnameHint(resource)}`, resource }
    : {
        outcome: 'adopted',
        message: `The ${context.what} appeared meanwhile with the planned settings: adopted.${cnameHint(resource)}`,
        resource,
      };
}

/** For a DNS authorization: the record the user must create. */
function cnameHint(resource: unknown): string {
  const record = (resource as { dnsResourceRecord?: { name?: string | null; data?: string | null } }).dnsResourceRecord;
  return record?.name && record.data ? ` Create the DNS record ${record.name} CNAME ${record.data}.` : '';
}

/**
 * Deletes one resource through the client its kind's API names (Compute, or Certificate Manager with an entry's map);
 * false when it was gone already. `again`: what the person runs again once the window has the missing client.
 */
export function deleteResource(
  kind: Pick<KindDeclaration, 'compute' | 'certificateManager'>,
  resource: { name: string; region?: string; parent?: string },
  clients: { compute: ComputeClient; certificateManager?: CertificateManagerClient },
  options: { signal?: AbortSignal; again: string },
): Promise<boolean> {
  const cmKind = kind.certificateManager?.collection;
  if (!cmKind) return clients.compute.delete(kind.compute!.collection, resource.name, { region: resource.region, signal: options.signal });
  if (!clients.certificateManager)
    throw new CloudError(`Could not delete ${resource.name}: this session has no Certificate Manager client.`, {
      kind: 'invalid',
      remedy: `Reload the window and ${options.again}.`,
    });
  return clients.certificateManager.delete(cmKind, resource.name, { map: resource.parent, signal: options.signal });
}
