// Certificate Manager v1, global location: DNS authorizations, certificates, certificate maps and their entries.
// Lists that follow page tokens, creates that are safe to repeat (an identical resource is adopted), deletes that
// wait, and long-running operations whose errors surface. No vscode here.
import type { certificatemanager_v1 } from 'googleapis/build/src/apis/certificatemanager/v1';
import { CloudError, toCloudError } from './errors';
import { callGoogle, type RequestContext } from './request';
import { sleep } from './retry';

export type DnsAuthorization = certificatemanager_v1.Schema$DnsAuthorization;
export type ManagedCertificate = certificatemanager_v1.Schema$Certificate;
export type CertificateMap = certificatemanager_v1.Schema$CertificateMap;
export type CertificateMapEntry = certificatemanager_v1.Schema$CertificateMapEntry;
type LongRunning = certificatemanager_v1.Schema$Operation;

export interface CertificateManagerResources {
  dnsAuthorizations: DnsAuthorization;
  certificates: ManagedCertificate;
  certificateMaps: CertificateMap;
  certificateMapEntries: CertificateMapEntry;
}
export type CertificateManagerKind = keyof CertificateManagerResources;
/** Everything of Certificate Manager's global location that a load balancer can use. */
export type CertificateManagerInventory = { [K in CertificateManagerKind]: CertificateManagerResources[K][] };

/** How the client reaches one collection: given by the kinds registry (src/core/kinds). */
export interface CertificateManagerCollectionSpec {
  /** Singular, for messages. */
  label: string;
  api: (locations: certificatemanager_v1.Resource$Projects$Locations) => unknown;
}

export const CERTIFICATE_MANAGER_LOCATION = 'global';
const CM_HOST = '//certificatemanager.googleapis.com/';

/** projects/P/locations/global/<kind>/<id>, or …/certificateMaps/M/certificateMapEntries/<id>. */
export function certificateManagerName(project: string, kind: CertificateManagerKind, id: string, map?: string): string {
  const parent = `projects/${project}/locations/${CERTIFICATE_MANAGER_LOCATION}`;
  return kind === 'certificateMapEntries' ? `${parent}/certificateMaps/${map}/certificateMapEntries/${id}` : `${parent}/${kind}/${id}`;
}

/** How a target HTTPS proxy names a certificate map. */
export function certificateMapUrl(project: string, map: string): string {
  return CM_HOST + certificateManagerName(project, 'certificateMaps', map);
}

/** The relative name of a certificate map from any spelling a proxy may hold (full resource name, URL, relative). */
export function certificateMapName(ref: string | null | undefined): string | undefined {
  const m = /(projects\/[^/]+\/locations\/[^/]+\/certificateMaps\/[^/?#]+)\/?$/.exec(String(ref ?? ''));
  return m?.[1];
}

/** The last segment of a resource name. */
export const shortName = (name: string | null | undefined): string =>
  String(name ?? '')
    .split('/')
    .pop() ?? '';

/** The map a certificate map entry belongs to (relative name). */
export const mapOfEntry = (entryName: string | null | undefined): string => String(entryName ?? '').split('/certificateMapEntries/')[0];

const PAGE_SIZE = 500;
const MAX_POLL_MS = 5 * 60_000;

type Api = certificatemanager_v1.Certificatemanager;

export class CertificateManagerClient {
  constructor(
    private readonly api: () => Promise<Api>,
    private readonly context: RequestContext,
    private readonly collections: Readonly<Record<CertificateManagerKind, CertificateManagerCollectionSpec>>,
  ) {}

  get project(): string {
    return this.context.project;
  }

  private get parent(): string {
    return `projects/${this.project}/locations/${CERTIFICATE_MANAGER_LOCATION}`;
  }

  private async collection(kind: CertificateManagerKind): Promise<unknown> {
    return this.collections[kind].api((await this.api()).projects.locations);
  }

  /** Every resource of a kind; entries of every map (one list per map). */
  async listAll<K extends CertificateManagerKind>(kind: K, signal?: AbortSignal): Promise<CertificateManagerResources[K][]> {
    if (kind === 'certificateMapEntries') {
      const maps = await this.listAll('certificateMaps', signal);
      const lists = await Promise.all(maps.map((m) => this.listUnder('certificateMapEntries', m.name ?? '', signal)));
      return lists.flat() as CertificateManagerResources[K][];
    }
    return this.listUnder(kind, this.parent, signal);
  }

  private async listUnder<K extends CertificateManagerKind>(
    kind: K,
    parent: string,
    signal?: AbortSignal,
  ): Promise<CertificateManagerResources[K][]> {
    const api = (await this.collection(kind)) as unknown as {
      list(params: object, options: object): Promise<{ data: Record<string, unknown> }>;
    };
    const all: CertificateManagerResources[K][] = [];
    let pageToken: string | undefined;
    let page = 1;
    do {
      const data = await callGoogle(
        this.context,
        { action: `list ${this.collections[kind].label}s (page ${page++})`, repeatable: true, signal },
        (s) => api.list({ parent, pageSize: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }, { signal: s }),
      );
      all.push(...((data[kind] as CertificateManagerResources[K][] | undefined) ?? []));
      pageToken = (data.nextPageToken as string | undefined) || undefined;
    } while (pageToken);
    return all;
  }

  /** The four lists at once (entries after their maps). */
  async loadAll(signal?: AbortSignal): Promise<CertificateManagerInventory> {
    const [dnsAuthorizations, certificates, certificateMaps] = await Promise.all([
      this.listAll('dnsAuthorizations', signal),
      this.listAll('certificates', signal),
      this.listAll('certificateMaps', signal),
    ]);
    const entries = await Promise.all(certificateMaps.map((m) => this.listUnder('certificateMapEntries', m.name ?? '', signal)));
    return { dnsAuthorizations, certificates, certificateMaps, certificateMapEntries: entries.flat() };
  }

  async get<K extends CertificateManagerKind>(
    kind: K,
    id: string,
    options: { map?: string; signal?: AbortSignal } = {},
  ): Promise<CertificateManagerResources[K]> {
    const api = (await this.collection(kind)) as unknown as { get(params: object, options: object): Promise<{ data: unknown }> };
    const name = certificateManagerName(this.project, kind, id, options.map);
    return (await callGoogle(
      this.context,
      { action: `read ${this.collections[kind].label} "${id}"`, repeatable: true, signal: options.signal },
      (s) => api.get({ name }, { signal: s }),
    )) as CertificateManagerResources[K];
  }

  async find<K extends CertificateManagerKind>(
    kind: K,
    id: string,
    options: { map?: string; signal?: AbortSignal } = {},
  ): Promise<CertificateManagerResources[K] | undefined> {
    try {
      return await this.get(kind, id, options);
    } catch (err) {
      if (err instanceof CloudError && err.kind === 'notFound') return undefined;
      throw err;
    }
  }

  /**
   * Creates and waits for the operation. An existing resource of that name is returned with created false
   * (the caller judges whether it matches the plan).
   */
  async create<K extends CertificateManagerKind>(
    kind: K,
    id: string,
    body: CertificateManagerResources[K],
    options: { map?: string; signal?: AbortSignal } = {},
  ): Promise<{ resource: CertificateManagerResources[K]; created: boolean }> {
    const api = (await this.collection(kind)) as unknown as { create(params: object, options: object): Promise<{ data: LongRunning }> };
    const what = `${this.collections[kind].label} "${id}"`;
    const parent =
      kind === 'certificateMapEntries' ? certificateManagerName(this.project, 'certificateMaps', options.map ?? '') : this.parent;
    const idField = {
      dnsAuthorizations: 'dnsAuthorizationId',
      certificates: 'certificateId',
      certificateMaps: 'certificateMapId',
      certificateMapEntries: 'certificateMapEntryId',
    }[kind];
    try {
      // A create is not repeated on its own: an unknown outcome is settled by the look-up below.
      const op = await callGoogle(this.context, { action: `create ${what}`, repeatable: false, signal: options.signal }, (s) =>
        api.create({ parent, [idField]: id, requestBody: body }, { signal: s }),
      );
      await this.waitForOperation(op, `create ${what}`, options.signal);
    } catch (err) {
      if (!(err instanceof CloudError) || err.kind !== 'alreadyExists') throw err;
      return { resource: await this.get(kind, id, options), created: false };
    }
    return { resource: await this.get(kind, id, options), created: true };
  }

  /** Deletes and waits; false when it was already gone. */
  async delete(kind: CertificateManagerKind, id: string, options: { map?: string; signal?: AbortSignal } = {}): Promise<boolean> {
    const api = (await this.collection(kind)) as unknown as { delete(params: object, options: object): Promise<{ data: LongRunning }> };
    const what = `${this.collections[kind].label} "${id}"`;
    const name = certificateManagerName(this.project, kind, id, options.map);
    try {
      const op = await callGoogle(this.context, { action: `delete ${what}`, repeatable: true, signal: options.signal }, (s) =>
        api.delete({ name }, { signal: s }),
      );
      await this.waitForOperation(op, `delete ${what}`, options.signal);
      return true;
    } catch (err) {
      if (err instanceof CloudError && err.kind === 'notFound') return false;
      throw err;
    }
  }

  /** Polls `operations.get` until done, and throws the error a finished operation carries. */
  async waitForOperation(op: LongRunning, action: string, signal?: AbortSignal): Promise<LongRunning> {
    const operations = (await this.api()).projects.locations.operations;
    const started = Date.now();
    let current = op;
    for (let polls = 0; !current.done; polls++) {
      if (signal?.aborted)
        throw new CloudError(`Cancelled: ${action} (it may still finish on Google's side).`, { kind: 'cancelled', action });
      if (Date.now() - started > MAX_POLL_MS)
        throw new CloudError(`Could not ${action}: the operation ${current.name} has not finished after 5 minutes.`, {
          kind: 'transient',
          action,
          remedy: 'Refresh later to see whether it finished.',
        });
      await sleep(Math.min(2000, 100 * 2 ** Math.min(polls, 5)), signal);
      const name = current.name ?? op.name ?? '';
      current = await callGoogle(this.context, { action: `wait for ${action}`, repeatable: true, signal }, (s) =>
        operations.get({ name }, { signal: s }),
      );
    }
    if (current.error) {
      const status = httpStatusOf(current.error.code ?? 2);
      throw toCloudError(
        {
          response: {
            status,
            data: { error: { code: status, message: current.error.message, status: RPC_STATUS[current.error.code ?? 2] } },
          },
        },
        { action, project: this.project, endpoint: this.context.endpoint },
      );
    }
    return current;
  }
}

// google.rpc.Code → its name and HTTP status, for errors reported inside an operation.
const RPC_STATUS: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};
function httpStatusOf(code: number): number {
  return ({ 3: 400, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 14: 503, 16: 401 } as Record<number, number>)[code] ?? 500;
}
