// One small executor per step kind. Each looks before it creates: what exists with the planned
// settings is adopted, what exists with other settings fails the step, so running a plan again
// finishes what a failed or cancelled run left.
import type { run_v1 } from 'googleapis/build/src/apis/run/v1';
import type { ComputeKind, ComputeResources } from '../gcp/compute';
import { CloudError } from '../gcp/errors';
import { sleep } from '../gcp/retry';
import { ServiceAlreadyRuns } from '../gcp/run';
import { normalizeRef } from '../gcp/refs';
import type { CertificateManagerKind } from '../gcp/certificateManager';
import { resourceDifferences, stepLabel, withAddressIp } from '../plan/build';
import { certificateManagerDifferences } from '../plan/certificateMap';
import { MAX_CERTIFICATES_PER_PROXY } from '../plan/changeDomains';
import { dnsBody } from '../plan/dnsRecords';
import type { DnsRecordSet, DnsZone } from '../gcp/cloudDns';
import type { Plan, PlanStep, StepKind } from '../plan/types';
import type { ApplyClients } from './applyTypes';

export interface StepContext {
  plan: Plan;
  step: PlanStep;
  clients: ApplyClients;
  signal?: AbortSignal;
  /** What finished steps produced (the live resource), by step id. */
  outputs: ReadonlyMap<string, unknown>;
  /** Called just before a create request goes out (its outcome is unknown if the run stops now). */
  sending: () => void;
  /** The preflight of this run found nothing by the step's name. */
  absentAtStart?: boolean;
}

export interface StepDone {
  outcome: 'created' | 'adopted' | 'updated';
  message: string;
  /** The live resource after the step. */
  resource?: unknown;
}

export type StepExecutor = (context: StepContext) => Promise<StepDone>;

const last = (ref: unknown) =>
  String(ref ?? '')
    .split('/')
    .pop() ?? '';

function what(step: PlanStep): string {
  return `${stepLabel(step.kind)} ${step.name}${step.region ? ` in ${step.region}` : ''}`;
}

export function conflictError(step: PlanStep, differences: string[]): CloudError {
  return new CloudError(`The ${what(step)} already exists with other settings (${differences.join('; ')}).`, {
    kind: 'alreadyExists',
    action: `create ${what(step)}`,
    remedy: 'Choose another name for it, or delete the existing one if nothing uses it.',
  });
}

const NOT_READY_ATTEMPTS = 8;

/**
 * A resource adopted from an earlier, interrupted run may still be under creation; Google refuses
 * references to it (resourceNotReady) until its operation ends, so wait and send again.
 */
async function whenReferencesReady<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
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
async function createOrAdopt(context: StepContext, body: Record<string, unknown> = context.step.body): Promise<StepDone> {
  const { step, clients, signal } = context;
  const kind = step.collection as ComputeKind;
  const scope = { region: step.region, signal };
  const existing = context.absentAtStart ? undefined : await clients.compute.find(kind, step.name, scope);
  if (existing) {
    const differences = resourceDifferences(step, body, existing, context.plan.project);
    if (differences.length) throw conflictError(step, differences);
    return { outcome: 'adopted', message: `The ${what(step)} exists with the planned settings: adopted.`, resource: existing };
  }
  context.sending();
  // The address's IP is read back for the rules and the DNS records; nothing else needs the server's copy.
  const { resource, created } = await whenReferencesReady(
    () =>
      clients.compute.insert(kind, body as unknown as ComputeResources[typeof kind] & { name: string }, scope, {
        readBack: step.kind === 'address',
      }),
    signal,
  );
  if (!created) {
    // Appeared meanwhile: judged by the plan's own rule, which is stricter than the access layer's.
    const differences = resourceDifferences(step, body, resource, context.plan.project);
    if (differences.length) throw conflictError(step, differences);
  }
  return created
    ? { outcome: 'created', message: `Created the ${what(step)}.`, resource }
    : { outcome: 'adopted', message: `The ${what(step)} appeared meanwhile with the planned settings: adopted.`, resource };
}

/** The IP of an address: from the step that made it, else read. */
async function addressIp(context: StepContext, addressName: string): Promise<string> {
  const fromStep = context.plan.steps.find((s) => s.kind === 'address' && s.name === addressName);
  const made = fromStep ? (context.outputs.get(fromStep.id) as ComputeResources['addresses'] | undefined) : undefined;
  const address = made ?? (await context.clients.compute.get('addresses', addressName, { signal: context.signal }));
  if (!address.address)
    throw new CloudError(`The global address ${addressName} has no IP yet.`, { kind: 'conflict', remedy: 'Try again in a minute.' });
  return address.address;
}

/** A forwarding rule is created on its address's IP, as the seed does with `--address=$(… describe …)`. */
async function createForwardingRule(context: StepContext): Promise<StepDone> {
  const ip = await addressIp(context, last(context.step.body.IPAddress));
  return createOrAdopt(
    context,
    withAddressIp(context.step.body, () => ip),
  );
}

/** gcloud's add-backend: read, append the NEG, write back with the fingerprint; nothing when attached. */
async function attachNetworkEndpointGroup(context: StepContext): Promise<StepDone> {
  const { step, clients, signal } = context;
  const group = String(step.body.group);
  context.sending();
  const { service, changed } = await whenReferencesReady(() => clients.compute.addBackend(step.name, group, signal), signal);
  return changed
    ? { outcome: 'updated', message: `Added NEG ${last(group)} (${step.region}) to backend service ${step.name}.`, resource: service }
    : { outcome: 'adopted', message: `NEG ${last(group)} (${step.region}) is already a backend of ${step.name}.`, resource: service };
}

/** Deploys the Knative YAML to a region where the service does not run yet; never replaces a running one. */
async function deployWhereMissing(context: StepContext): Promise<StepDone> {
  const { step, clients, signal } = context;
  const region = step.region ?? '';
  const running = await clients.run.findService(region, step.name, signal);
  if (running && step.action !== 'update')
    return { outcome: 'adopted', message: `Cloud Run service ${step.name} already runs in ${region}; not redeployed.`, resource: running };
  context.sending();
  try {
    const deployed = await clients.run.deployKnative(region, step.body as run_v1.Schema$Service, signal, {
      replace: step.action === 'update',
    });
    return { outcome: 'created', message: `Deployed Cloud Run service ${step.name} to ${region}.`, resource: deployed };
  } catch (err) {
    // It appeared between the look-up and the create (another deploy, or an earlier run's answer that was lost): it runs, keep it.
    if (!(err instanceof ServiceAlreadyRuns)) throw err;
    const existing = await clients.run.findService(region, step.name, signal);
    return { outcome: 'adopted', message: `Cloud Run service ${step.name} already runs in ${region}; not replaced.`, resource: existing };
  }
}

/** gcloud's add-iam-policy-binding: read the policy, add the member, write back with the etag; nothing when bound. */
async function grantInvoker(context: StepContext): Promise<StepDone> {
  const { step, clients, signal } = context;
  const region = step.region ?? '';
  const member = String(step.body.member);
  context.sending();
  const { policy, changed } = await clients.run.addInvoker(region, step.name, member, signal);
  return changed
    ? {
        outcome: 'updated',
        message: `Granted ${String(step.body.role)} to ${member} on Cloud Run service ${step.name} in ${region}.`,
        resource: policy,
      }
    : {
        outcome: 'adopted',
        message: `Cloud Run service ${step.name} in ${region} already grants ${String(step.body.role)} to ${member}.`,
        resource: policy,
      };
}

/**
 * Change Domains: the new certificate joins the proxy's list (read afresh, so a certificate attached
 * meanwhile stays); nothing when it is there already. The old ones stay until the finish step.
 */
async function attachCertificate(context: StepContext): Promise<StepDone> {
  const { step, clients, signal } = context;
  const compute = clients.compute;
  const certificate = String(step.body.certificate);
  const proxy = await compute.get('targetHttpsProxies', step.name, { signal });
  const current = proxy.sslCertificates ?? [];
  const wanted = normalizeRef(certificate, compute.project);
  if (current.some((c) => normalizeRef(c, compute.project) === wanted)) {
    return {
      outcome: 'adopted',
      message: `Certificate ${last(certificate)} is already on target HTTPS proxy ${step.name}.`,
      resource: proxy,
    };
  }
  if (current.length >= MAX_CERTIFICATES_PER_PROXY) {
    throw new CloudError(
      `Target HTTPS proxy ${step.name} already holds ${current.length} certificates, Google's limit (${MAX_CERTIFICATES_PER_PROXY}).`,
      {
        kind: 'invalid',
        action: `attach certificate ${last(certificate)}`,
        remedy: 'Finish or undo a pending domain change, or detach a certificate it no longer needs, then run the plan again.',
      },
    );
  }
  context.sending();
  const updated = await whenReferencesReady(() => compute.setSslCertificates(step.name, [...current, certificate], signal), signal);
  return {
    outcome: 'updated',
    message: `Attached certificate ${last(certificate)} to target HTTPS proxy ${step.name} beside ${current.map(last).join(', ') || 'nothing'}.`,
    resource: updated,
  };
}

/** What a DNS step's outcome carries for Undo. */
export interface DnsWrite {
  written: DnsRecordSet;
  previous?: DnsRecordSet;
}

/**
 * Points a domain's A or AAAA record in its Cloud DNS zone at the address's IP. The record is read again first:
 * what is there now (not what the plan saw) is what the change replaces, atomically, and what Undo restores.
 */
async function writeDnsRecord(context: StepContext): Promise<StepDone> {
  const { step, clients, signal } = context;
  const body = dnsBody(step);
  if (!clients.dns) throw new CloudError('This plan writes Cloud DNS records but no Cloud DNS client was given.', { kind: 'invalid' });
  const ip = await addressIp(context, last(body.address));
  const zone: DnsZone = { project: body.zoneProject, name: body.zone, dnsName: body.zoneDnsName, visibility: 'public' };
  const where = `Cloud DNS zone ${body.zone}`;
  const atName = await clients.dns.listRecordSets(zone, step.name, undefined, signal);
  const cname = atName.find((r) => r.type === 'CNAME');
  if (cname) {
    throw new CloudError(
      `${step.name} is a CNAME to ${cname.rrdatas.join(', ')} in ${where}; an ${body.type} record cannot sit beside it.`,
      {
        kind: 'conflict',
        action: `write the ${body.type} record of ${step.name}`,
        remedy: "Remove the CNAME in Cloud DNS (or point it at a name whose record is the load balancer's IP), then run the plan again.",
      },
    );
  }
  const current = atName.find((r) => r.type === body.type);
  const written: DnsRecordSet = { name: step.name, type: body.type, ttl: body.ttl, rrdatas: [ip] };
  if (current && current.rrdatas.length === 1 && current.rrdatas[0].toLowerCase() === ip.toLowerCase()) {
    return { outcome: 'adopted', message: `${where} already points ${step.name} ${body.type} at ${ip}.`, resource: undefined };
  }
  const previous: DnsRecordSet | undefined = current
    ? { name: current.name, type: current.type, ttl: current.ttl, rrdatas: [...current.rrdatas] }
    : undefined;
  context.sending();
  await clients.dns.change(zone, { remove: previous ? [previous] : [], add: [written] }, signal);
  const resource: DnsWrite = { written, previous };
  return previous
    ? { outcome: 'updated', message: `${where}: ${step.name} ${body.type} ${previous.rrdatas.join(', ')} → ${ip}.`, resource }
    : { outcome: 'created', message: `${where}: created ${step.name} ${body.type} → ${ip}.`, resource };
}

/** Certificate Manager's resources: adopted when identical, refused when different, created when missing. */
async function createOrAdoptInCertificateManager(context: StepContext): Promise<StepDone> {
  const { step, clients, signal } = context;
  const cm = clients.certificateManager;
  if (!cm)
    throw new CloudError(`The ${what(step)} cannot be created: this session has no Certificate Manager client.`, {
      kind: 'invalid',
      remedy: 'Reload the window and apply the plan again.',
    });
  const kind = step.collection as CertificateManagerKind;
  const scope = { map: step.parent, signal };
  const judge = (resource: unknown) => {
    const differences = certificateManagerDifferences(step, resource, context.plan.project);
    if (differences.length) throw conflictError(step, differences);
  };
  const existing = context.absentAtStart ? undefined : await cm.find(kind, step.name, scope);
  if (existing) {
    judge(existing);
    return {
      outcome: 'adopted',
      message: `The ${what(step)} exists with the planned settings: adopted.${cnameHint(existing)}`,
      resource: existing,
    };
  }
  context.sending();
  const { resource, created } = await cm.create(kind, step.name, step.body as never, scope);
  if (!created) judge(resource);
  return created
    ? { outcome: 'created', message: `Created the ${what(step)}.${cnameHint(resource)}`, resource }
    : {
        outcome: 'adopted',
        message: `The ${what(step)} appeared meanwhile with the planned settings: adopted.${cnameHint(resource)}`,
        resource,
      };
}

/** For a DNS authorization: the record the user must create. */
function cnameHint(resource: unknown): string {
  const record = (resource as { dnsResourceRecord?: { name?: string | null; data?: string | null } }).dnsResourceRecord;
  return record?.name && record.data ? ` Create the DNS record ${record.name} CNAME ${record.data}.` : '';
}

export const STEP_EXECUTORS: Record<StepKind, StepExecutor> = {
  deployService: deployWhereMissing,
  networkEndpointGroup: (c) => createOrAdopt(c),
  backendService: (c) => createOrAdopt(c),
  addBackend: attachNetworkEndpointGroup,
  urlMap: (c) => createOrAdopt(c),
  sslCertificate: (c) => createOrAdopt(c),
  targetHttpsProxy: (c) => createOrAdopt(c),
  targetHttpProxy: (c) => createOrAdopt(c),
  address: (c) => createOrAdopt(c),
  forwardingRule: createForwardingRule,
  invokerBinding: grantInvoker,
  attachCertificate,
  dnsRecord: writeDnsRecord,
  dnsAuthorization: createOrAdoptInCertificateManager,
  certificateManagerCertificate: createOrAdoptInCertificateManager,
  certificateMap: createOrAdoptInCertificateManager,
  certificateMapEntry: createOrAdoptInCertificateManager,
};
