// Cloud Run: the v1 API lists every region in one call and takes Knative YAML as it is; v2 carries
// typed fields (ingress) and long-running operations for updates.
import type { run_v1 } from 'googleapis/build/src/apis/run/v1';
import type { run_v2 } from 'googleapis/build/src/apis/run/v2';
import { CloudError } from './errors';
import { callGoogle, RequestContext } from './request';
import { sleep } from './retry';
import type { Ingress, RunService } from './types';

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
const LIST_FIELDS = 'items(metadata(name,namespace,labels,annotations,creationTimestamp,selfLink),status(url,conditions,latestReadyRevisionName)),metadata(continue)';

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
      const data = await callGoogle(this.context, { action: 'list Cloud Run regions', repeatable: true, signal },
        (s) => run.projects.locations.list({ name: `projects/${this.project}`, pageSize: 500, ...(pageToken ? { pageToken } : {}) }, { signal: s }));
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
      const data = await callGoogle(this.context, { action: `list Cloud Run services${location === '-' ? ' in all regions' : ` in ${location}`}`, repeatable: true, signal },
        (s) => run.projects.locations.services.list({ parent: `projects/${this.project}/locations/${location}`, limit: 500, fields: LIST_FIELDS, prettyPrint: false, ...(token ? { continue: token } : {}) }, { signal: s }));
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
      const data = await callGoogle(this.context, { action: `list Cloud Run services in ${region}`, repeatable: true, signal },
        (s) => run.projects.locations.services.list({ parent: `projects/${this.project}/locations/${region}`, pageSize: 500, ...(pageToken ? { pageToken } : {}) }, { signal: s }));
      for (const item of data.services ?? []) services.push(serviceFromV2(item, this.project));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return services;
  }

  async getService(region: string, name: string, signal?: AbortSignal): Promise<RunService> {
    const run = await this.runV2();
    const data = await callGoogle(this.context, { action: `read Cloud Run service "${name}" in ${region}`, repeatable: true, signal },
      (s) => run.projects.locations.services.get({ name: `projects/${this.project}/locations/${region}/services/${name}` }, { signal: s }));
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
    let op = await callGoogle(this.context, { action, repeatable: true, signal },
      (s) => run.projects.locations.services.patch({ name: `projects/${this.project}/locations/${region}/services/${name}`, updateMask: 'ingress', requestBody: { ingress: V2_INGRESS[ingress] } }, { signal: s }));
    for (let polls = 1; !op.done; polls++) {
      await sleep(Math.min(2000, 200 * polls), signal);
      const opName = op.name ?? '';
      op = await callGoogle(this.context, { action: `wait for: ${action}`, repeatable: true, signal }, (s) => run.projects.locations.operations.get({ name: opName }, { signal: s }));
    }
    if (op.error) {
      throw new CloudError(`Could not ${action}: ${op.error.message ?? 'the operation failed'}.`, { kind: 'unknown', action, googleMessage: op.error.message ?? undefined });
    }
    return this.getService(region, name, signal);
  }

  /**
   * Deploys a Knative Service manifest as it is to a region (create, or replace when it exists), as
   * `gcloud run services replace` does, and waits until it is ready or failed.
   */
  async deployKnative(region: string, manifest: run_v1.Schema$Service, signal?: AbortSignal): Promise<RunService> {
    const run = await this.runV1();
    const name = manifest.metadata?.name;
    if (!name) throw new CloudError('The Knative Service has no metadata.name.', { kind: 'invalid', remedy: 'Add metadata.name to the YAML.' });
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
      deployed = await callGoogle(this.context, { action, repeatable: false, signal },
        (s) => run.projects.locations.services.create({ parent: `projects/${this.project}/locations/${region}`, requestBody: body }, { signal: s }));
    } catch (err) {
      if (!(err instanceof CloudError) || err.kind !== 'alreadyExists') throw err;
      const current = await callGoogle(this.context, { action: `read Cloud Run service "${name}" in ${region}`, repeatable: true, signal },
        (s) => run.projects.locations.services.get({ name: `projects/${this.project}/locations/${region}/services/${name}` }, { signal: s }));
      const replacement = { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } };
      deployed = await callGoogle(this.context, { action, repeatable: false, signal },
        (s) => run.projects.locations.services.replaceService({ name: `projects/${this.project}/locations/${region}/services/${name}`, requestBody: replacement }, { signal: s }));
    }
    for (let polls = 1; ; polls++) {
      const service = serviceFromKnative(deployed, this.project, region);
      // A replace answers with the old status until the controller has seen the new generation.
      const generation = deployed.metadata?.generation;
      const current = generation === undefined || generation === null || deployed.status?.observedGeneration === generation;
      if (current && service.ready !== 'unknown') {
        if (service.ready === 'false') throw new CloudError(`Could not ${action}: ${service.readyMessage ?? 'the revision did not become ready'}.`, { kind: 'invalid', action });
        return service;
      }
      if (polls > 120) throw new CloudError(`Gave up waiting to ${action}: it is still not ready after ${polls} checks.`, { kind: 'transient', action });
      await sleep(Math.min(2000, 250 * polls), signal);
      deployed = await callGoogle(this.context, { action: `read Cloud Run service "${name}" in ${region}`, repeatable: true, signal },
        (s) => run.projects.locations.services.get({ name: `projects/${this.project}/locations/${region}/services/${name}` }, { signal: s }));
    }
  }
}
