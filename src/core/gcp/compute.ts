// Compute Engine v1, as far as global external load balancing goes: typed lists that follow page
// tokens, inserts that are safe to repeat, operation waits that surface errors inside DONE.
import type { compute_v1 } from 'googleapis/build/src/apis/compute/v1';
import { differences, GOOGLE_DEFAULTS } from './compare';
import { CloudError, toCloudError } from './errors';
import { callGoogle, RequestContext } from './request';
import { sleep } from './retry';
import type {
  Address,
  BackendBucket,
  BackendService,
  ForwardingRule,
  NetworkEndpointGroup,
  Operation,
  SecurityPolicy,
  SslCertificate,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap,
} from './types';

export interface ComputeResources {
  forwardingRules: ForwardingRule;
  targetHttpsProxies: TargetHttpsProxy;
  targetHttpProxies: TargetHttpProxy;
  urlMaps: UrlMap;
  backendServices: BackendService;
  backendBuckets: BackendBucket;
  sslCertificates: SslCertificate;
  addresses: Address;
  networkEndpointGroups: NetworkEndpointGroup;
  securityPolicies: SecurityPolicy;
}
export type ComputeKind = keyof ComputeResources;

/** How the client reaches one Compute collection: given by the kinds registry (src/core/kinds). */
export interface ComputeCollectionSpec {
  /** The path parameter that names one resource. */
  param: string;
  regional: boolean;
  /** Singular, for messages. */
  label: string;
  api: (compute: compute_v1.Compute) => unknown;
}

type Params = Record<string, unknown>;
type Method<T> = (params: Params, options?: { signal?: AbortSignal }) => Promise<{ data: T }>;
interface ListPage<T> {
  items?: T[];
  nextPageToken?: string | null;
}
interface RestCollection {
  list: Method<ListPage<unknown>>;
  get: Method<unknown>;
  insert: Method<Operation>;
  delete: Method<Operation>;
  patch?: Method<Operation>;
  update?: Method<Operation>;
}

export interface Scope {
  /** Set for regional resources. */
  region?: string;
  signal?: AbortSignal;
}

export interface InsertResult<T> {
  resource: T;
  /** False when an identical resource already existed (adopted). */
  created: boolean;
}

export interface OperationWaitOptions {
  signal?: AbortSignal;
  /** What the operation does, for messages. */
  action?: string;
}

const PAGE_SIZE = 500;
/** `wait` answers at DONE or after about two minutes: the request must be allowed longer than that. */
const OPERATION_WAIT_TIMEOUT_MS = 150_000;
const MAX_READ_MODIFY_WRITE = 4;

export class ComputeClient {
  constructor(
    private readonly compute: () => Promise<compute_v1.Compute>,
    private readonly context: RequestContext,
    private readonly collections: Readonly<Record<ComputeKind, ComputeCollectionSpec>>,
  ) {}

  get project(): string {
    return this.context.project;
  }

  private async collection(kind: ComputeKind): Promise<RestCollection> {
    return this.collections[kind].api(await this.compute()) as RestCollection;
  }

  private scopeParams(kind: ComputeKind, scope: Scope): Params {
    const params: Params = { project: this.project };
    if (this.collections[kind].regional) {
      if (!scope.region) throw new CloudError(`A ${this.collections[kind].label} needs a region.`, { kind: 'invalid' });
      params.region = scope.region;
    }
    return params;
  }

  private describe(kind: ComputeKind, name: string, scope: Scope): string {
    return `${this.collections[kind].label} "${name}"${scope.region ? ` in ${scope.region}` : ''}`;
  }

  /** Every resource of a kind in one scope, page by page. */
  async *list<K extends ComputeKind>(kind: K, scope: Scope & { filter?: string } = {}): AsyncGenerator<ComputeResources[K]> {
    const api = await this.collection(kind);
    // Lists are read by code, not people: no indentation to send and parse.
    const params = {
      ...this.scopeParams(kind, scope),
      maxResults: PAGE_SIZE,
      prettyPrint: false,
      ...(scope.filter ? { filter: scope.filter } : {}),
    };
    let pageToken: string | undefined;
    let page = 1;
    do {
      const data = await callGoogle(
        this.context,
        {
          action: `list ${this.collections[kind].label}s${scope.region ? ` in ${scope.region}` : ''} (page ${page++})`,
          repeatable: true,
          signal: scope.signal,
        },
        (signal) => api.list({ ...params, ...(pageToken ? { pageToken } : {}) }, { signal }),
      );
      for (const item of data.items ?? []) yield item as ComputeResources[K];
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
  }

  async listAll<K extends ComputeKind>(kind: K, scope: Scope & { filter?: string } = {}): Promise<ComputeResources[K][]> {
    const all: ComputeResources[K][] = [];
    for await (const item of this.list(kind, scope)) all.push(item);
    return all;
  }

  /** Serverless and other NEGs of every region in one request per page (`aggregatedList`). */
  async *listNetworkEndpointGroupsEverywhere(signal?: AbortSignal): AsyncGenerator<NetworkEndpointGroup> {
    const compute = await this.compute();
    let pageToken: string | undefined;
    let page = 1;
    do {
      const data = await callGoogle(
        this.context,
        { action: `list network endpoint groups in all regions (page ${page++})`, repeatable: true, signal },
        (s) =>
          compute.networkEndpointGroups.aggregatedList(
            {
              project: this.project,
              maxResults: PAGE_SIZE,
              prettyPrint: false,
              includeAllScopes: true,
              returnPartialSuccess: true,
              ...(pageToken ? { pageToken } : {}),
            },
            { signal: s },
          ),
      );
      for (const [scope, list] of Object.entries(data.items ?? {})) {
        // Only regional NEGs can be serverless; zonal ones are listed too, for a truthful view.
        for (const neg of list.networkEndpointGroups ?? [])
          yield { ...neg, region: neg.region ?? (scope.startsWith('regions/') ? scope : undefined) };
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
  }

  async get<K extends ComputeKind>(kind: K, name: string, scope: Scope = {}): Promise<ComputeResources[K]> {
    const api = await this.collection(kind);
    const params = { ...this.scopeParams(kind, scope), [this.collections[kind].param]: name };
    return (await callGoogle(
      this.context,
      { action: `read ${this.describe(kind, name, scope)}`, repeatable: true, signal: scope.signal },
      (signal) => api.get(params, { signal }),
    )) as ComputeResources[K];
  }

  /** Like get, but undefined when it does not exist. */
  async find<K extends ComputeKind>(kind: K, name: string, scope: Scope = {}): Promise<ComputeResources[K] | undefined> {
    try {
      return await this.get(kind, name, scope);
    } catch (err) {
      if (err instanceof CloudError && err.kind === 'notFound') return undefined;
      throw err;
    }
  }

  /**
   * Creates a resource and waits until it exists. Safe to repeat: a retry after a lost answer, or a
   * second run, that meets "already exists" reads the resource and adopts it when it matches.
   */
  async insert<K extends ComputeKind>(
    kind: K,
    body: ComputeResources[K] & { name: string },
    scope: Scope = {},
    options: { readBack?: boolean } = {},
  ): Promise<InsertResult<ComputeResources[K]>> {
    const api = await this.collection(kind);
    const what = this.describe(kind, body.name, scope);
    let lostAnswer = false;
    let done: Operation;
    try {
      const op = await callGoogle(this.context, { action: `create ${what}`, repeatable: true, signal: scope.signal }, async (signal) => {
        try {
          return await api.insert({ ...this.scopeParams(kind, scope), requestBody: body }, { signal });
        } catch (err) {
          // Only a request that got no answer at all may have been carried out unseen.
          const mapped = toCloudError(err);
          if (mapped.kind === 'transient' && mapped.status === undefined) lostAnswer = true;
          throw err;
        }
      });
      done = await this.waitForOperation(op, { signal: scope.signal, action: `create ${what}` });
    } catch (err) {
      if (!(err instanceof CloudError) || err.kind !== 'alreadyExists') throw err;
      const existing = await this.get(kind, body.name, scope);
      const diff = differences(body, existing, this.project, '', GOOGLE_DEFAULTS[kind]);
      if (diff.length) {
        throw new CloudError(`Could not create ${what}: one with that name already exists with other settings (${diff.join('; ')}).`, {
          kind: 'alreadyExists',
          action: `create ${what}`,
          status: err.status,
          reason: err.reason,
          googleMessage: err.googleMessage,
          remedy: 'Choose another name, or delete the existing one if it is not in use.',
        });
      }
      return { resource: existing, created: lostAnswer };
    }
    // Reading it back costs a request on the critical path; callers that need server fields (an address's IP) ask for it.
    if (options.readBack === false)
      return { resource: { ...body, selfLink: done.targetLink ?? undefined } as ComputeResources[K], created: true };
    return { resource: await this.get(kind, body.name, scope), created: true };
  }

  /** Deletes and waits. Returns false when it was already gone, so a repeated delete is harmless. */
  async delete(kind: ComputeKind, name: string, scope: Scope = {}): Promise<boolean> {
    const api = await this.collection(kind);
    const what = this.describe(kind, name, scope);
    try {
      const op = await callGoogle(this.context, { action: `delete ${what}`, repeatable: true, signal: scope.signal }, (signal) =>
        api.delete({ ...this.scopeParams(kind, scope), [this.collections[kind].param]: name }, { signal }),
      );
      await this.waitForOperation(op, { signal: scope.signal, action: `delete ${what}` });
      return true;
    } catch (err) {
      if (err instanceof CloudError && err.kind === 'notFound') return false;
      throw err;
    }
  }

  /** PATCH: only the given fields change. The body must carry the current fingerprint where the kind has one. */
  async patch<K extends ComputeKind>(
    kind: K,
    name: string,
    body: Partial<ComputeResources[K]>,
    scope: Scope = {},
  ): Promise<ComputeResources[K]> {
    return this.write('patch', kind, name, body, scope);
  }

  /** PUT: replaces the resource as a whole, as gcloud's add-backend does. */
  async update<K extends ComputeKind>(kind: K, name: string, body: ComputeResources[K], scope: Scope = {}): Promise<ComputeResources[K]> {
    return this.write('update', kind, name, body, scope);
  }

  private async write<K extends ComputeKind>(
    method: 'patch' | 'update',
    kind: K,
    name: string,
    body: unknown,
    scope: Scope,
  ): Promise<ComputeResources[K]> {
    const api = await this.collection(kind);
    const send = api[method];
    if (!send) throw new CloudError(`A ${this.collections[kind].label} cannot be changed in place.`, { kind: 'invalid' });
    const what = this.describe(kind, name, scope);
    // A write carries a fingerprint, so sending it twice is refused, never applied twice.
    const op = await callGoogle(this.context, { action: `update ${what}`, repeatable: true, signal: scope.signal }, (signal) =>
      send.call(api, { ...this.scopeParams(kind, scope), [this.collections[kind].param]: name, requestBody: body }, { signal }),
    );
    await this.waitForOperation(op, { signal: scope.signal, action: `update ${what}` });
    return this.get(kind, name, scope);
  }

  /**
   * Adds a NEG to a backend service's backends (gcloud's add-backend), read-modify-write with the
   * fingerprint, re-read on a concurrent change. Does nothing when the NEG is already a backend.
   */
  async addBackend(
    backendService: string,
    negSelfLink: string,
    signal?: AbortSignal,
  ): Promise<{ service: BackendService; changed: boolean }> {
    // Once our write went out, finding the NEG attached means it landed (its answer was lost, and
    // the retry was refused as stale): that is our change, which Undo must take back.
    let sent = false;
    for (let attempt = 1; ; attempt++) {
      const current = await this.get('backendServices', backendService, { signal });
      const backends = current.backends ?? [];
      if (backends.some((b) => b.group && differences(negSelfLink, b.group, this.project).length === 0))
        return { service: current, changed: sent };
      sent = true;
      try {
        const service = await this.update(
          'backendServices',
          backendService,
          { ...current, backends: [...backends, { group: negSelfLink }] },
          { signal },
        );
        return { service, changed: true };
      } catch (err) {
        if (!(err instanceof CloudError) || err.kind !== 'conflict' || attempt >= MAX_READ_MODIFY_WRITE) throw err;
      }
    }
  }

  async setSslCertificates(proxy: string, certificateLinks: string[], signal?: AbortSignal): Promise<TargetHttpsProxy> {
    const compute = await this.compute();
    const action = `set the certificates of target HTTPS proxy "${proxy}"`;
    const op = await callGoogle(this.context, { action, repeatable: true, signal }, (s) =>
      compute.targetHttpsProxies.setSslCertificates(
        { project: this.project, targetHttpsProxy: proxy, requestBody: { sslCertificates: certificateLinks } },
        { signal: s },
      ),
    );
    await this.waitForOperation(op, { signal, action });
    return this.get('targetHttpsProxies', proxy, { signal });
  }

  /** Attaches a Cloud Armor backend security policy to a backend service; null detaches it. */
  async setSecurityPolicy(backendService: string, policyLink: string | null, signal?: AbortSignal): Promise<BackendService> {
    const compute = await this.compute();
    const action = `set the Cloud Armor policy of backend service "${backendService}"`;
    const op = await callGoogle(this.context, { action, repeatable: true, signal }, (s) =>
      compute.backendServices.setSecurityPolicy(
        { project: this.project, backendService, requestBody: { securityPolicy: policyLink } },
        { signal: s },
      ),
    );
    await this.waitForOperation(op, { signal, action });
    return this.get('backendServices', backendService, { signal });
  }

  async setUrlMap(proxy: string, urlMapLink: string, signal?: AbortSignal): Promise<TargetHttpsProxy> {
    const compute = await this.compute();
    const action = `set the URL map of target HTTPS proxy "${proxy}"`;
    const op = await callGoogle(this.context, { action, repeatable: true, signal }, (s) =>
      compute.targetHttpsProxies.setUrlMap(
        { project: this.project, targetHttpsProxy: proxy, requestBody: { urlMap: urlMapLink } },
        { signal: s },
      ),
    );
    await this.waitForOperation(op, { signal, action });
    return this.get('targetHttpsProxies', proxy, { signal });
  }

  /** Recent operations, newest first, in the global scope or a region. */
  async listOperations(
    options: { region?: string; filter?: string; maxResults?: number; signal?: AbortSignal } = {},
  ): Promise<Operation[]> {
    const compute = await this.compute();
    const params = {
      project: this.project,
      maxResults: options.maxResults ?? PAGE_SIZE,
      orderBy: 'creationTimestamp desc',
      ...(options.filter ? { filter: options.filter } : {}),
    };
    const data = await callGoogle(
      this.context,
      { action: `list operations${options.region ? ` in ${options.region}` : ''}`, repeatable: true, signal: options.signal },
      (signal) =>
        options.region
          ? compute.regionOperations.list({ ...params, region: options.region }, { signal })
          : compute.globalOperations.list(params, { signal }),
    );
    return (data.items ?? []).sort((a, b) => String(b.insertTime ?? '').localeCompare(String(a.insertTime ?? '')));
  }

  /**
   * Waits until an operation is DONE, with `wait` (which returns at DONE or after about two minutes),
   * and throws the error a DONE operation carries: Google reports late failures only there.
   */
  async waitForOperation(op: Operation, options: OperationWaitOptions = {}): Promise<Operation> {
    const compute = await this.compute();
    const region = op.region?.split('/').pop();
    let current = op;
    let polls = 0;
    while (current.status !== 'DONE') {
      if (options.signal?.aborted)
        throw new CloudError(`Cancelled: ${options.action ?? 'operation'} (it may still finish on Google's side).`, {
          kind: 'cancelled',
          action: options.action,
        });
      if (polls++ > 0) await sleep(Math.min(2000, 100 * polls), options.signal);
      const name = current.name ?? op.name;
      current = await callGoogle(
        this.context,
        { action: `wait for ${options.action ?? `operation ${name}`}`, repeatable: true, signal: options.signal },
        (signal) =>
          region
            ? compute.regionOperations.wait(
                { project: this.project, region, operation: name ?? undefined },
                { signal, timeout: OPERATION_WAIT_TIMEOUT_MS },
              )
            : compute.globalOperations.wait(
                { project: this.project, operation: name ?? undefined },
                { signal, timeout: OPERATION_WAIT_TIMEOUT_MS },
              ),
      );
    }
    const errors = current.error?.errors ?? [];
    if (errors.length) {
      const status = current.httpErrorStatusCode ?? 400;
      // Operation errors carry UPPER_SNAKE codes (QUOTA_EXCEEDED) where API errors carry reasons (quotaExceeded).
      const reasons = errors.map((e) => ({ reason: camelCase(e.code ?? ''), message: e.message ?? undefined }));
      throw toCloudError(
        { response: { status, data: { error: { code: status, message: errors.map((e) => e.message).join(' '), errors: reasons } } } },
        { action: options.action, project: this.project, endpoint: this.context.endpoint },
      );
    }
    return current;
  }
}

function camelCase(code: string): string {
  return code.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
