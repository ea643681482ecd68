// Cloud Run: the v1 API lists every region in one call and takes Knative YAML as it is; v2 carries
// typed fields (ingress) and long-running operations for updates.
import type { run_v1 } from 'googleapis/build/src/apis/run/v1';
import type { run_v2 } from 'googleapis/build/src/apis/run/v2';
import { CloudError } from './errors';
import { callGoogle, RequestContext } from './request';
import { sleep } from './retry';
import type { Ingress, InvokerAccess, RunService } from './types';

export const INGRESS_ANNOTATION = 'run.googleapis.com/ingress';
export const LOCATION_LABEL = 'cloud.googleapis.com/location';

const V2_INGRESS: Record<Ingress, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

export function ingressFromV2(value: string | null | undefined): Ingress {
  const found = (Object.keys(V2_INGRESS) as Ingress[]).find((k) => V2_INGRESS[k] === value);
  return found ?? 'all';
}

export function parseIngress(value: string | null | undefined): Ingress | undefined {
  return value === 'all' || value === 'internal' || value === 'internal-and-cloud-load-balancing' ? value : undefined;
}

/**
 * What serviceFromKnative reads, asked for as a partial response: a Knative service is a few KB with
 * its template, and 10,000 of them would otherwise be tens of MB to fetch and parse.
 */
const LIST_FIELDS =
  'items(metadata(name,labels,annotations,creationTimestamp,selfLink),status(url,conditions(type,status,message),latestReadyRevisionName)),metadata(continue)';

export function serviceFromKnative(item: run_v1.Schema$Service, project: string, fallbackRegion?: string): RunService {
  const meta = item.metadata ?? {};
  const region = meta.labels?.[LOCATION_LABEL] ?? fallbackRegion ?? regionFromSelfLink(meta.selfLink) ?? 'unknown';
  const ready = item.status?.conditions?.find((c) => c.type === 'Ready');
  const name = meta.name ?? '';
  return {
    name,
    project,
    region,
    url: item.status?.url ?? undefined,
    ingress: parseIngress(meta.annotations?.[INGRESS_ANNOTATION]) ?? 'all',
    ready: ready?.status === 'True' ? 'true' : ready?.status === 'False' ? 'false' : 'unknown',
    readyMessage: ready?.message ?? undefined,
    latestReadyRevision: item.status?.latestReadyRevisionName ?? undefined,
    createTime: meta.creationTimestamp ?? undefined,
    resourceName: `projects/${project}/locations/${region}/services/${name}`,
  };
}

export function serviceFromV2(item: run_v2.Schema$GoogleCloudRunV2Service, project: string): RunService {
  const parts = (item.name ?? '').split('/');
  const region = parts[3] ?? 'unknown';
  const name = parts[5] ?? '';
  const terminal = item.terminalCondition;
  const state = terminal?.state;
  return {
    name,
    project,
    region,
    url: item.uri ?? undefined,
    ingress: ingressFromV2(item.ingress),
    ready: state === 'CONDITION_SUCCEEDED' ? 'true' : state === 'CONDITION_FAILED' ? 'false' : 'unknown',
    readyMessage: terminal?.message ?? undefined,
    latestReadyRevision: item.latestReadyRevision?.split('/').pop() ?? undefined,
    createTime: item.createTime ?? undefined,
    resourceName: `projects/${project}/locations/${region}/services/${name}`,
  };
}

function regionFromSelfLink(selfLink: string | null | undefined): string | undefined {
  return selfLink?.match(/\/locations\/([^/]+)\//)?.[1];
}

const FAN_OUT_CONCURRENCY = 8;

export const INVOKER_ROLE = 'roles/run.invoker';
export const PUBLIC_MEMBER = 'allUsers';

/** One binding of a Cloud Run service's IAM policy. */
export interface IamBinding {
  role: string;
  members: string[];
  condition?: unknown;
}

/** A Cloud Run service's IAM policy as read (Run v1 getIamPolicy). */
export interface ServicePolicy {
  bindings: IamBinding[];
  etag?: string;
  version?: number;
}

/** The policy lets anyone call the service: roles/run.invoker for allUsers, without a condition. */
export function isPublic(policy: Pick<ServicePolicy, 'bindings'>): boolean {
  return policy.bindings.some((b) => b.role === INVOKER_ROLE && !b.condition && b.members.includes(PUBLIC_MEMBER));
}

/** The policy with `member` added to `role` (a new binding when there is none without a condition). */
export function withMember(policy: ServicePolicy, role: string, member: string): ServicePolicy {
  const bindings = policy.bindings.map((b) => ({ ...b, members: [...b.members] }));
  const binding = bindings.find((b) => b.role === role && !b.condition);
  if (binding) {
    if (!binding.members.includes(member)) binding.members.push(member);
  } else {
    bindings.push({ role, members: [member] });
  }
  return { ...policy, bindings };
}

/** The organisation refuses allUsers (domain-restricted sharing): a message that names the way out. */
export function publicAccessRefused(err: CloudError, name: string, region: string): CloudError {
  return new CloudError(
    `The organisation policy of this project refuses allUsers in IAM policies (domain-restricted sharing), so Cloud Run service ${name} in ${region} cannot be made public and requests through the load balancer get 403.`,
    {
      kind: 'permission',
      action: err.action,
      status: err.status,
      reason: 'orgPolicyRefusesAllUsers',
      googleMessage: err.googleMessage,
      cause: err,
      remedy:
        'Front the backend service with Identity-Aware Proxy (IAP) instead, or ask an organisation administrator for an exception to constraints/iam.allowedPolicyMemberDomains.',
    },
  );
}

function refusesAllUsers(err: unknown): err is CloudError {
  return (
    err instanceof CloudError &&
    (err.reason === 'FAILED_PRECONDITION' ||
      err.reason === 'failedPrecondition' ||
      /permitted customer|allowedPolicyMemberDomains/i.test(err.googleMessage ?? ''))
  );
}

const IAM_ATTEMPTS = 4;
/** IAM policies read at once. */
const IAM_CONCURRENCY = 8;

/**
 * Who may call each service (resource names projects/P/locations/R/services/S): one getIamPolicy per
 * service, a few at once; a policy that cannot be read is kept with its error.
 */
export async function readInvokers(
  run: Pick<RunClient, 'getIamPolicy'>,
  resourceNames: readonly string[],
  log?: (line: string) => void,
): Promise<Map<string, InvokerAccess>> {
  const out = new Map<string, InvokerAccess>();
  let next = 0;
  const worker = async () => {
    while (next < resourceNames.length) {
      const name = resourceNames[next++];
      const [, , , region, , service] = name.split('/');
      try {
        const policy = await run.getIamPolicy(region, service);
        const invokers = policy.bindings.filter((b) => b.role === INVOKER_ROLE && !b.condition).flatMap((b) => b.members);
        out.set(name, { public: isPublic(policy), invokers: [...new Set(invokers)].sort() });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log?.(`read the IAM policy of ${name}: ${message}`);
        out.set(name, { public: false, invokers: [], error: message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IAM_CONCURRENCY, resourceNames.length) }, worker));
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A create that met a running service of that name, when the caller said not to replace it. */
export class ServiceAlreadyRuns extends CloudError {
  constructor(
    readonly serviceName: string,
    readonly region: string,
    cause: CloudError,
  ) {
    super(`Cloud Run service ${serviceName} already runs in ${region}.`, {
      kind: 'alreadyExists',
      action: cause.action,
      status: cause.status,
      reason: cause.reason,
      googleMessage: cause.googleMessage,
      cause,
    });
  }
}

export class RunClient {
  constructor(
    private readonly runV1: () => Promise<run_v1.Run>,
    private readonly runV2: () => Promise<run_v2.Run>,
    private readonly context: RequestContext,
  ) {}

  get project(): string {
    return this.context.project;
  }

  /** Region IDs where Cloud Run is offered to this project. */
  async listRegions(signal?: AbortSignal): Promise<string[]> {
    const run = await this.runV1();
    const regions: string[] = [];
    let pageToken: string | undefined;
    do {
      const data = await callGoogle(this.context, { action: 'list Cloud Run regions', repeatable: true, signal }, (s) =>
        run.projects.locations.list(
          { name: `projects/${this.project}`, pageSize: 500, ...(pageToken ? { pageToken } : {}) },
          { signal: s },
        ),
      );
      for (const location of data.locations ?? []) if (location.locationId) regions.push(location.locationId);
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return regions.sort();
  }

  /**
   * Every service in every region: one v1 call with the `-` location (as `gcloud run services list`
   * does); where an endpoint refuses the wildcard, a bounded fan-out over the regions with v2.
   */
  async listServices(signal?: AbortSignal): Promise<RunService[]> {
    try {
      return await this.listServicesV1('-', signal);
    } catch (err) {
      if (!(err instanceof CloudError) || (err.kind !== 'invalid' && err.kind !== 'notFound')) throw err;
      this.context.log?.(`list Cloud Run services: the "-" location was refused (${err.kind}); listing region by region`);
    }
    const regions = await this.listRegions(signal);
    const results: RunService[][] = new Array(regions.length);
    let next = 0;
    const worker = async () => {
      while (next < regions.length) {
        const index = next++;
        results[index] = await this.listServicesInRegion(regions[index], signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FAN_OUT_CONCURRENCY, regions.length) }, worker));
    return results.flat();
  }

  private async listServicesV1(location: string, signal?: AbortSignal): Promise<RunService[]> {
    const run = await this.runV1();
    const services: RunService[] = [];
    let token: string | undefined;
    do {
      const data = await callGoogle(
        this.context,
        { action: `list Cloud Run services${location === '-' ? ' in all regions' : ` in ${location}`}`, repeatable: true, signal },
        (s) =>
          run.projects.locations.services.list(
            {
              parent: `projects/${this.project}/locations/${location}`,
              limit: 500,
              fields: LIST_FIELDS,
              prettyPrint: false,
              ...(token ? { continue: token } : {}),
            },
            { signal: s },
          ),
      );
      for (const item of data.items ?? []) services.push(serviceFromKnative(item, this.project, location === '-' ? undefined : location));
      token = data.metadata?.continue ?? undefined;
    } while (token);
    return services;
  }

  async listServicesInRegion(region: string, signal?: AbortSignal): Promise<RunService[]> {
    const run = await this.runV2();
    const services: RunService[] = [];
    let pageToken: string | undefined;
    do {
      const data = await callGoogle(this.context, { action: `list Cloud Run services in ${region}`, repeatable: true, signal }, (s) =>
        run.projects.locations.services.list(
          { parent: `projects/${this.project}/locations/${region}`, pageSize: 500, ...(pageToken ? { pageToken } : {}) },
          { signal: s },
        ),
      );
      for (const item of data.services ?? []) services.push(serviceFromV2(item, this.project));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return services;
  }

  async getService(region: string, name: string, signal?: AbortSignal): Promise<RunService> {
    const run = await this.runV2();
    const data = await callGoogle(
      this.context,
      { action: `read Cloud Run service "${name}" in ${region}`, repeatable: true, signal },
      (s) => run.projects.locations.services.get({ name: `projects/${this.project}/locations/${region}/services/${name}` }, { signal: s }),
    );
    return serviceFromV2(data, this.project);
  }

  async findService(region: string, name: string, signal?: AbortSignal): Promise<RunService | undefined> {
    try {
      return await this.getService(region, name, signal);
    } catch (err) {
      if (err instanceof CloudError && err.kind === 'notFound') return undefined;
      throw err;
    }
  }

  /** Changes a service's ingress setting and waits for the rollout. */
  async setIngress(region: string, name: string, ingress: Ingress, signal?: AbortSignal): Promise<RunService> {
    const run = await this.runV2();
    const action = `set the ingress of Cloud Run service "${name}" in ${region} to ${ingress}`;
    let op = await callGoogle(this.context, { action, repeatable: true, signal }, (s) =>
      run.projects.locations.services.patch(
        {
          name: `projects/${this.project}/locations/${region}/services/${name}`,
          updateMask: 'ingress',
          requestBody: { ingress: V2_INGRESS[ingress] },
        },
        { signal: s },
      ),
    );
    for (let polls = 1; !op.done; polls++) {
      await sleep(Math.min(2000, 200 * polls), signal);
      const opName = op.name ?? '';
      op = await callGoogle(this.context, { action: `wait for: ${action}`, repeatable: true, signal }, (s) =>
        run.projects.locations.operations.get({ name: opName }, { signal: s }),
      );
    }
    if (op.error) {
      throw new CloudError(`Could not ${action}: ${op.error.message ?? 'the operation failed'}.`, {
        kind: 'unknown',
        action,
        googleMessage: op.error.message ?? undefined,
      });
    }
    return this.getService(region, name, signal);
  }

  /** The service's IAM policy (Run v1 getIamPolicy). */
  async getIamPolicy(region: string, name: string, signal?: AbortSignal): Promise<ServicePolicy> {
    const run = await this.runV1();
    const data = await callGoogle(
      this.context,
      { action: `read the IAM policy of Cloud Run service "${name}" in ${region}`, repeatable: true, signal },
      (s) =>
        run.projects.locations.services.getIamPolicy(
          { resource: `projects/${this.project}/locations/${region}/services/${name}`, 'options.requestedPolicyVersion': 3 },
          { signal: s },
        ),
    );
    return {
      bindings: (data.bindings ?? []).map((b) => ({
        role: b.role ?? '',
        members: b.members ?? [],
        ...(b.condition ? { condition: b.condition } : {}),
      })),
      etag: data.etag ?? undefined,
      version: data.version ?? undefined,
    };
  }

  /**
   * Adds `member` to roles/run.invoker, as `gcloud run services add-iam-policy-binding` does: read,
   * add, write back with the etag; a concurrent change (ABORTED) reads again. `changed` is false
   * when the member was already bound.
   */
  async addInvoker(
    region: string,
    name: string,
    member = PUBLIC_MEMBER,
    signal?: AbortSignal,
  ): Promise<{ policy: ServicePolicy; changed: boolean }> {
    const run = await this.runV1();
    const action = `grant ${INVOKER_ROLE} to ${member} on Cloud Run service "${name}" in ${region}`;
    for (let attempt = 1; ; attempt++) {
      const current = await this.getIamPolicy(region, name, signal);
      if (current.bindings.some((b) => b.role === INVOKER_ROLE && !b.condition && b.members.includes(member)))
        return { policy: current, changed: false };
      const next = withMember(current, INVOKER_ROLE, member);
      try {
        const data = await callGoogle(this.context, { action, repeatable: false, signal }, (s) =>
          run.projects.locations.services.setIamPolicy(
            {
              resource: `projects/${this.project}/locations/${region}/services/${name}`,
              requestBody: {
                policy: {
                  bindings: next.bindings as run_v1.Schema$Binding[],
                  etag: current.etag,
                  ...(current.version ? { version: current.version } : {}),
                },
              },
            },
            { signal: s },
          ),
        );
        return {
          policy: { bindings: (data.bindings ?? []) as IamBinding[], etag: data.etag ?? undefined, version: data.version ?? undefined },
          changed: true,
        };
      } catch (err) {
        if (member === PUBLIC_MEMBER && refusesAllUsers(err)) throw publicAccessRefused(err, name, region);
        const concurrent = err instanceof CloudError && (err.status === 409 || err.reason === 'ABORTED' || err.reason === 'aborted');
        if (!concurrent || attempt >= IAM_ATTEMPTS) throw err;
        await sleep(100 * 2 ** attempt, signal);
      }
    }
  }

  /**
   * Deploys a Knative Service manifest as it is to a region (create, or replace when it exists), as
   * `gcloud run services replace` does, and waits until it is ready or failed.
   */
  async deployKnative(
    region: string,
    manifest: run_v1.Schema$Service,
    signal?: AbortSignal,
    options: { replace?: boolean } = {},
  ): Promise<RunService> {
    const run = await this.runV1();
    const name = manifest.metadata?.name;
    if (!name)
      throw new CloudError('The Knative Service has no metadata.name.', { kind: 'invalid', remedy: 'Add metadata.name to the YAML.' });
    const body: run_v1.Schema$Service = {
      ...manifest,
      metadata: {
        ...manifest.metadata,
        namespace: this.project,
        labels: { ...(manifest.metadata?.labels ?? {}), [LOCATION_LABEL]: region },
      },
    };
    const action = `deploy Cloud Run service "${name}" to ${region}`;
    let deployed: run_v1.Schema$Service;
    try {
      deployed = await callGoogle(this.context, { action, repeatable: false, signal }, (s) =>
        run.projects.locations.services.create(
          { parent: `projects/${this.project}/locations/${region}`, requestBody: body },
          { signal: s },
        ),
      );
    } catch (err) {
      if (!(err instanceof CloudError) || err.kind !== 'alreadyExists') throw err;
      // Only a caller that means to replace (gcloud's `services replace`) replaces a running service.
      if (options.replace === false) throw new ServiceAlreadyRuns(name, region, err);
      const current = await callGoogle(
        this.context,
        { action: `read Cloud Run service "${name}" in ${region}`, repeatable: true, signal },
        (s) =>
          run.projects.locations.services.get({ name: `projects/${this.project}/locations/${region}/services/${name}` }, { signal: s }),
      );
      const replacement = { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } };
      deployed = await callGoogle(this.context, { action, repeatable: false, signal }, (s) =>
        run.projects.locations.services.replaceService(
          { name: `projects/${this.project}/locations/${region}/services/${name}`, requestBody: replacement },
          { signal: s },
        ),
      );
    }
    for (let polls = 1; ; polls++) {
      const service = serviceFromKnative(deployed, this.project, region);
      // A replace answers with the old status until the controller has seen the new generation.
      const generation = deployed.metadata?.generation;
      const current = generation === undefined || generation === null || deployed.status?.observedGeneration === generation;
      if (current && service.ready !== 'unknown') {
        if (service.ready === 'false')
          throw new CloudError(`Could not ${action}: ${service.readyMessage ?? 'the revision did not become ready'}.`, {
            kind: 'invalid',
            action,
          });
        return service;
      }
      if (polls > 120)
        throw new CloudError(`Gave up waiting to ${action}: it is still not ready after ${polls} checks.`, { kind: 'transient', action });
      await sleep(Math.min(2000, 250 * polls), signal);
      deployed = await callGoogle(
        this.context,
        { action: `read Cloud Run service "${name}" in ${region}`, repeatable: true, signal },
        (s) =>
          run.projects.locations.services.get({ name: `projects/${this.project}/locations/${region}/services/${name}` }, { signal: s }),
      );
    }
  }
}
