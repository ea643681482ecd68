// The one live model of the current project. It owns every read (the Compute lists, the Cloud Run
// services, recent operations, DNS answers), keeps what it last observed with the time it observed it,
// and tells its readers what changed. Views render from it and never read Google themselves.
import { inspectDomain, type DomainInspection } from '../dns/inspect';
import type { DnsResolver } from '../dns/types';
import type { CloudDnsClient, CloudDnsState } from '../gcp/cloudDns';
import { type CertificateManagerClient, type CertificateManagerInventory, type CertificateManagerKind } from '../gcp/certificateManager';
import type { ComputeClient, ComputeKind, ComputeResources } from '../gcp/compute';
import { CERTIFICATE_MANAGER_KINDS, COMPUTE_KINDS } from '../kinds/registry';
import { CloudError, toCloudError } from '../gcp/errors';
import type { RunClient } from '../gcp/run';
import type { Inventory, InvokerAccess, Operation, RunService } from '../gcp/types';
import { buildTopology } from '../topology/build';
import { servicesBehindLoadBalancers } from '../topology/queries';
import type { Topology } from '../topology/model';
import { readInvokers } from '../gcp/run';
import { Emitter, type Disposable, type Event } from './emitter';

/** The Compute collections a load balancer is made of, in the order the access layer lists them. */
export const COMPUTE_PARTS: readonly ComputeKind[] = COMPUTE_KINDS;

/** One thing the model reads with one list call (DNS: every watched domain). */
/** `cloudDns`: the public Cloud DNS zones the user can see and the record sets of the watched domains. */
export type ModelPart = ComputeKind | CertificateManagerKind | 'services' | 'operations' | 'dns' | 'regions' | 'iam' | 'cloudDns';

/** What the topology is built from. */
export const INVENTORY_PARTS: readonly ModelPart[] = [...COMPUTE_PARTS, 'services', ...CERTIFICATE_MANAGER_KINDS];
/**
 * Everything: "Refresh". `iam` is the IAM policy of every Cloud Run service a load
 * balancer's NEG points at (one read per service and region), read after the lists it is found from.
 */
export const ALL_PARTS: readonly ModelPart[] = [...INVENTORY_PARTS, 'operations', 'dns', 'iam', 'cloudDns'];
/**
 * What findings and certificate reports are made of: "Re-check now". Addresses (a rule carries its
 * IP), HTTP proxies and backend buckets decide no finding, so a re-check does not re-list them.
 * Certificate Manager's lists are added where the project uses it (see findingParts()).
 */
export const FINDING_PARTS: readonly ModelPart[] = [
  'forwardingRules',
  'targetHttpsProxies',
  'sslCertificates',
  'urlMaps',
  'backendServices',
  'networkEndpointGroups',
  'services',
  'operations',
  'dns',
  'iam',
  'cloudDns',
];
/**
 * A scheduled round while something is pending: how certificates, rules and DNS answers move on (Cloud DNS
 * zones are read when a plan or a quick fix needs them). Certificate Manager's certificates are added where
 * the project uses it (see roundParts()).
 */
export const ROUND_PARTS: readonly ModelPart[] = ['sslCertificates', 'forwardingRules', 'operations', 'dns'];

export type ReadReason = 'load' | 'round' | 'refresh' | 'write';

export interface ModelChange {
  /** The parts whose content (or error) differs from what was observed before. */
  readonly parts: ReadonlySet<ModelPart>;
  readonly reason: ReadReason | 'project';
}

/** The clients of the current connection; throws a CloudError that says what to do when there is none. */
export interface ModelConnection {
  project: string;
  compute: Pick<ComputeClient, 'listAll' | 'listNetworkEndpointGroupsEverywhere' | 'listOperations'>;
  run: Pick<RunClient, 'listServices' | 'listRegions'> & Partial<Pick<RunClient, 'getIamPolicy'>>;
  /** Cloud DNS; without it the `cloudDns` part is never read. */
  dns?: Pick<CloudDnsClient, 'readState'>;
  /** Projects besides `project` whose public zones count (cloudRunGlobal.dnsProjects). */
  dnsProjects?: readonly string[];
  /** Absent: nothing of Certificate Manager is read (its lists stay empty). */
  certificateManager?: Pick<CertificateManagerClient, 'listAll'>;
}

/** What a reader of the model needs watched: its visibility, whether it waits on something, its domains. */
export interface Interest {
  /** A view that shows this is on screen: rounds come sooner. */
  visible(): boolean;
  /** Something it shows is expected to change by itself (a DNS record being fixed, say). */
  pending?(): boolean;
  /** Domains whose DNS answers it shows. */
  domains?(): readonly string[];
}

export interface ModelOptions {
  connect(): ModelConnection;
  resolver(): DnsResolver & { invalidate?(): void };
  now?: () => number;
  log?: (level: 'info' | 'warn', line: string) => void;
}

interface Observed<T> {
  value?: T;
  error?: CloudError;
  observedAt?: number;
  reading?: { promise: Promise<boolean>; startedAt: number };
}

type PartValue = unknown[] | ReadonlyMap<string, DomainInspection> | ReadonlyMap<string, InvokerAccess> | CloudDnsState;

const OPERATIONS_READ = 200;
/** How long a failed read stands before a view's render may ask again (Refresh asks at once). */
const RETRY_FAILED_MS = 30_000;

export class ProjectModel implements Disposable {
  private readonly changed = new Emitter<ModelChange>();
  /** Fires once a read has observed something different, after the new state is in place. */
  readonly onDidChange: Event<ModelChange> = this.changed.event;
  private parts = new Map<ModelPart, Observed<PartValue>>();
  private currentProject?: string;
  private problemValue?: CloudError;
  private topologyCache?: { version: number; topology?: Topology };
  private versionValue = 0;
  private readonly interests = new Set<Interest>();
  /** Services whose policy a flow asked for (a plan's source region), besides those behind load balancers. */
  private readonly iamTargets = new Set<string>();
  /** Domains whose Cloud DNS records a flow asked for (a plan's domains), besides the watched ones. */
  private readonly dnsTargets = new Set<string>();
  private readonly now: () => number;
  /** Reads that started before this moment cannot show our own latest write. */
  private lastWriteAt = 0;

  constructor(private readonly options: ModelOptions) {
    this.now = options.now ?? Date.now;
  }

  // ---- what the views read ----

  get project(): string | undefined {
    return this.currentProject;
  }

  /** The project the connection points at now (read or not yet). */
  connectedProject(): string | undefined {
    return this.connect()?.project;
  }

  /** Why nothing can be read (no connection, no project), when that is so. */
  get problem(): CloudError | undefined {
    return this.problemValue;
  }

  /** Bumped on every observed change. */
  get version(): number {
    return this.versionValue;
  }

  get services(): RunService[] | undefined {
    return this.value('services') as RunService[] | undefined;
  }

  /** A Compute list as last observed: those of the topology, and those read on demand (Cloud Armor policies). */
  computeList<K extends ComputeKind>(part: K): ComputeResources[K][] | undefined {
    return this.value(part) as ComputeResources[K][] | undefined;
  }

  /** The regions Cloud Run offers the project (read only when a wizard asks). */
  get regions(): string[] | undefined {
    return this.value('regions') as string[] | undefined;
  }

  get operations(): Operation[] | undefined {
    return this.value('operations') as Operation[] | undefined;
  }

  /**
   * Who may call each Cloud Run service a load balancer routes to (and each a flow asked about), by
   * resource name (projects/P/locations/R/services/S); empty until read.
   */
  get invokers(): ReadonlyMap<string, InvokerAccess> {
    return (this.value('iam') as ReadonlyMap<string, InvokerAccess> | undefined) ?? new Map();
  }

  /** The public Cloud DNS zones and the record sets of the watched domains, as last read; undefined until read. */
  get cloudDns(): CloudDnsState | undefined {
    return this.value('cloudDns') as CloudDnsState | undefined;
  }

  get dns(): ReadonlyMap<string, DomainInspection> {
    return (this.value('dns') as ReadonlyMap<string, DomainInspection> | undefined) ?? new Map();
  }

  error(part: ModelPart): CloudError | undefined {
    return this.parts.get(part)?.error;
  }

  /** The first error among the Compute lists: why the load balancers cannot be shown. */
  get loadBalancingError(): CloudError | undefined {
    for (const part of COMPUTE_PARTS) {
      const error = this.error(part);
      if (error) return error;
    }
    return undefined;
  }

  observedAt(part: ModelPart): number | undefined {
    return this.parts.get(part)?.observedAt;
  }

  isReading(part: ModelPart): boolean {
    return this.parts.get(part)?.reading !== undefined;
  }

  /** Every Compute list as last observed, with the services (empty when they could not be read). */
  get inventory(): Inventory | undefined {
    if (!this.currentProject) return undefined;
    const lists: Partial<Record<ComputeKind, unknown[]>> = {};
    for (const part of COMPUTE_PARTS) {
      const value = this.value(part) as unknown[] | undefined;
      if (!value) return undefined;
      lists[part] = value;
    }
    const certificateManager = this.certificateManager;
    return {
      project: this.currentProject,
      ...(lists as Omit<Inventory, 'project' | 'services'>),
      services: this.services ?? [],
      invokers: this.invokers,
      cloudDns: this.cloudDns,
      ...(certificateManager ? { certificateManager } : {}),
    };
  }

  /**
   * Certificate Manager's four lists once all are read; undefined while they are not, or when they cannot be (no
   * client, or the API is off): a proxy's map then shows as a resource not read, never as one that does not exist.
   */
  get certificateManager(): CertificateManagerInventory | undefined {
    if (this.certificateManagerUnread) return undefined;
    const lists: Partial<Record<CertificateManagerKind, unknown[]>> = {};
    for (const part of CERTIFICATE_MANAGER_KINDS) {
      const value = this.value(part) as unknown[] | undefined;
      if (!value) return undefined;
      lists[part] = value;
    }
    return lists as CertificateManagerInventory;
  }

  /** The load balancer graph of what was last observed; undefined until every Compute list is in. */
  get topology(): (Topology & { servicesUnavailable?: boolean }) | undefined {
    if (this.topologyCache?.version === this.versionValue) return this.topologyCache.topology;
    const inventory = this.inventory;
    const topology: (Topology & { servicesUnavailable?: boolean }) | undefined = inventory ? buildTopology(inventory) : undefined;
    if (topology && this.error('services')) topology.servicesUnavailable = true;
    this.topologyCache = { version: this.versionValue, topology };
    return topology;
  }

  /** A managed certificate is on its way to ACTIVE: worth watching without being asked. */
  get certificatesPending(): boolean {
    const certificates = this.value('sslCertificates') as { managed?: { status?: string | null } | null }[] | undefined;
    const managed = this.value('certificates') as { managed?: { state?: string | null } | null }[] | undefined;
    return (
      (certificates?.some((c) => c.managed?.status === 'PROVISIONING') ?? false) ||
      (managed?.some((c) => c.managed?.state === 'PROVISIONING') ?? false)
    );
  }

  // ---- who watches ----

  watch(interest: Interest): Disposable {
    this.interests.add(interest);
    this.interestChanged.fire();
    return {
      dispose: () => {
        this.interests.delete(interest);
        this.interestChanged.fire();
      },
    };
  }

  private readonly interestChanged = new Emitter<void>();
  private readonly readStarted = new Emitter<Promise<unknown>>();
  /** A read went out (the explorer shows progress while it runs). */
  readonly onDidStartRead: Event<Promise<unknown>> = this.readStarted.event;
  /** A reader came, went, or changed what it watches (the scheduler re-plans). */
  readonly onDidChangeInterest: Event<void> = this.interestChanged.event;

  /** Tells the scheduler that a reader's visibility, pending state or domains changed. */
  interestsUpdated(): void {
    this.interestChanged.fire();
  }

  get anyVisible(): boolean {
    return [...this.interests].some((i) => i.visible());
  }

  get pending(): boolean {
    return this.certificatesPending || [...this.interests].some((i) => i.pending?.() ?? false);
  }

  /** The union of the domains every reader shows. */
  watchedDomains(): string[] {
    const domains = new Set<string>();
    for (const interest of this.interests) for (const domain of interest.domains?.() ?? []) domains.add(domain);
    return [...domains].sort();
  }

  // ---- reads ----

  /**
   * Reads the given parts, each with one request however many readers want it. A read already under
   * way is shared, unless our own write came after it started. Resolves once every part is in;
   * failures are kept as the part's error (the views show them), never thrown.
   */
  async read(asked: readonly ModelPart[], reason: ReadReason = 'load'): Promise<void> {
    const connection = this.connect();
    if (!connection) return;
    const parts = connection.dns ? asked : asked.filter((p) => p !== 'cloudDns');
    // A round or a refresh asks DNS again: a cached "no such record" must not outlive the fix it waits for.
    if ((reason === 'refresh' || reason === 'round') && parts.includes('dns')) this.options.resolver().invalidate?.();
    // The policies to read are found from the lists: read those first when both are asked for.
    const later = parts.includes('iam') && parts.some((p) => p !== 'iam' && INVENTORY_PARTS.includes(p)) ? ['iam' as const] : [];
    const first = parts.filter((p) => !later.includes(p as 'iam'));
    const reading = Promise.all(first.map((part) => this.readPart(connection, part))).then(async (results) => {
      if (!later.length) return results;
      // The lists just read are not yet counted as a new version: the topology must not be the cached one.
      if (results.some((r) => r)) this.topologyCache = undefined;
      return [...results, ...(await Promise.all(later.map((part) => this.readPart(connection, part))))];
    });
    this.readStarted.fire(reading);
    const results = await reading;
    const ordered = [...first, ...later];
    const changed = new Set(ordered.filter((_, i) => results[i]));
    if (changed.size && connection.project === this.currentProject) {
      this.versionValue++;
      this.changed.fire({ parts: changed, reason });
      // A load balancer now routes to a service whose policy was never read (or no longer does): read the policies again.
      if (!changed.has('iam') && !parts.includes('iam') && this.iamTargetsChanged()) void this.read(['iam'], reason);
    }
  }

  private iamTargetsChanged(): boolean {
    const observed = this.parts.get('iam');
    if (!observed?.value || observed.reading || !this.topology) return false;
    const read = [...(observed.value as ReadonlyMap<string, InvokerAccess>).keys()].sort().join('|');
    return read !== this.iamTargetNames().join('|');
  }

  /**
   * Reads whatever of `parts` has never been read; what is there is used as it is. A part that just
   * failed is not asked again for a while: views call this as often as they render.
   */
  async ensure(parts: readonly ModelPart[] = INVENTORY_PARTS): Promise<void> {
    if (!this.connect()) return;
    const now = this.now();
    const missing = parts.filter((p) => {
      const observed = this.parts.get(p);
      if (this.currentProject === undefined || !observed) return true;
      if (observed.reading) return true;
      return observed.value === undefined && (observed.observedAt === undefined || now - observed.observedAt >= RETRY_FAILED_MS);
    });
    if (missing.length) await this.read(missing);
  }

  /** The topology, reading what was never read first (commands that need it now). */
  async loadedTopology(): Promise<Topology | undefined> {
    await this.ensure(INVENTORY_PARTS);
    return this.topology;
  }

  /** Reads everything again: "Refresh" (the DNS cache is bypassed too). */
  refresh(): Promise<void> {
    return this.read(ALL_PARTS, 'refresh');
  }

  /** Reads again what findings are made of: "Re-check now" (the DNS cache is bypassed too). */
  recheck(): Promise<void> {
    return this.read(this.usesCertificateManager ? [...FINDING_PARTS, ...CERTIFICATE_MANAGER_KINDS] : FINDING_PARTS, 'refresh');
  }

  /** What a scheduled round reads: Certificate Manager's certificates too where the project has any. */
  roundParts(): readonly ModelPart[] {
    return this.usesCertificateManager ? [...ROUND_PARTS, 'certificates'] : ROUND_PARTS;
  }

  /** The project holds Certificate Manager certificates: rounds and re-checks follow them (others pay nothing for it). */
  private get usesCertificateManager(): boolean {
    return ((this.value('certificates') as unknown[] | undefined)?.length ?? 0) > 0;
  }

  /**
   * Reads the policies of these services (resource names) now, and keeps them among what `iam`
   * reads: a plan copies the access of the region it deploys from.
   */
  async readInvokers(resourceNames: readonly string[]): Promise<void> {
    for (const name of resourceNames) this.iamTargets.add(name);
    await this.read(['iam']);
  }

  /**
   * Reads the Cloud DNS zones and these domains' record sets now, and keeps the domains among what `cloudDns`
   * reads: a plan writes the records of domains no view shows yet.
   */
  async readCloudDns(domains: readonly string[]): Promise<void> {
    for (const d of domains) this.dnsTargets.add(d.trim().toLowerCase().replace(/\.$/, ''));
    await this.read(['cloudDns']);
  }

  /** Reads again what our own write touched, at once. */
  afterWrite(parts: readonly ModelPart[] = INVENTORY_PARTS): Promise<void> {
    this.lastWriteAt = this.now();
    return this.read(parts, 'write');
  }

  /** Forgets the project (settings changed): the next read starts afresh. */
  reset(): void {
    // Without a connection or project there is nothing to forget, but the views must look again: the change may have settled it.
    if (this.problemValue) this.setProblem(undefined);
    else this.switchProject(undefined);
  }

  /** The current connection, noticing a changed project or a connection that is gone. */
  private connect(): ModelConnection | undefined {
    let connection: ModelConnection;
    try {
      connection = this.options.connect();
    } catch (err) {
      this.setProblem(toCloudError(err));
      return undefined;
    }
    this.setProblem(undefined);
    if (connection.project !== this.currentProject) this.switchProject(connection.project);
    return connection;
  }

  private switchProject(project: string | undefined): void {
    const had = this.currentProject !== undefined || this.parts.size > 0;
    this.currentProject = project;
    this.parts = new Map();
    this.iamTargets.clear();
    this.dnsTargets.clear();
    this.versionValue++;
    if (had || project !== undefined) this.changed.fire({ parts: new Set(ALL_PARTS), reason: 'project' });
  }

  private setProblem(problem: CloudError | undefined): void {
    if (problem?.message === this.problemValue?.message) return;
    this.problemValue = problem;
    this.currentProject = undefined;
    this.parts = new Map();
    this.versionValue++;
    this.changed.fire({ parts: new Set(ALL_PARTS), reason: 'project' });
  }

  private value(part: ModelPart): PartValue | undefined {
    return this.parts.get(part)?.value;
  }

  private readPart(connection: ModelConnection, part: ModelPart): Promise<boolean> {
    const observed = this.parts.get(part) ?? {};
    this.parts.set(part, observed);
    const reading = observed.reading;
    if (reading && reading.startedAt >= this.lastWriteAt) return reading.promise.then(() => false);
    const startedAt = this.now();
    const project = connection.project;
    const promise = (reading?.promise ?? Promise.resolve(false))
      .catch(() => false)
      .then(async () => {
        let value: PartValue | undefined;
        let error: CloudError | undefined;
        try {
          value = await this.fetch(connection, part);
        } catch (err) {
          error = toCloudError(err);
          this.options.log?.('warn', `read ${part}: ${error.message}`);
        }
        if (project !== this.currentProject || this.parts.get(part) !== observed) return false;
        // Serialized only to compare with an earlier read: the first read of a large list costs nothing more.
        const differs = error
          ? error.message !== observed.error?.message
          : observed.value === undefined || observed.error !== undefined || fingerprintOf(value) !== fingerprintOf(observed.value);
        // A read that fails keeps the last value: the views keep showing it, with the error beside it.
        if (!error) observed.value = value;
        observed.error = error;
        observed.observedAt = this.now();
        return differs;
      });
    const entry = { promise, startedAt };
    observed.reading = entry;
    return promise.finally(() => {
      if (observed.reading === entry) observed.reading = undefined;
    });
  }

  private async fetch(connection: ModelConnection, part: ModelPart): Promise<PartValue> {
    switch (part) {
      case 'services':
        return connection.run.listServices();
      case 'operations':
        return connection.compute.listOperations({ maxResults: OPERATIONS_READ });
      case 'regions':
        return connection.run.listRegions();
      case 'dns': {
        const resolver = this.options.resolver();
        const inspections = await Promise.all(this.watchedDomains().map((d) => inspectDomain(d, resolver)));
        return new Map(inspections.map((i) => [i.domain, i]));
      }
      case 'iam':
        return this.readPolicies(connection);
      case 'cloudDns':
        if (!connection.dns) return { zones: [], records: [], domains: [], problems: [] };
        return connection.dns.readState(
          [connection.project, ...(connection.dnsProjects ?? [])],
          [...new Set([...this.watchedDomains(), ...this.dnsTargets])],
        );
      case 'dnsAuthorizations':
      case 'certificates':
      case 'certificateMaps':
      case 'certificateMapEntries':
        return this.readCertificateManager(connection, part);
      case 'networkEndpointGroups': {
        const all = [];
        for await (const neg of connection.compute.listNetworkEndpointGroupsEverywhere()) all.push(neg);
        return all;
      }
      default:
        return connection.compute.listAll(part);
    }
  }

  private certificateManagerUnread = false;

  private async readCertificateManager(connection: ModelConnection, part: CertificateManagerKind): Promise<unknown[]> {
    if (!connection.certificateManager) {
      this.certificateManagerUnread = true;
      return [];
    }
    try {
      const list = await connection.certificateManager.listAll(part);
      this.certificateManagerUnread = false;
      return list;
    } catch (err) {
      // Most projects never enable the API: that is no problem to show, and nothing of it can be read.
      if (err instanceof CloudError && err.kind === 'apiDisabled') {
        this.certificateManagerUnread = true;
        return [];
      }
      throw err;
    }
  }

  /** The Cloud Run services the load balancers' NEGs point at (where they exist), plus those asked for. */
  iamTargetNames(): string[] {
    const names = new Set<string>(this.topology ? servicesBehindLoadBalancers(this.topology) : []);
    const known = new Set((this.services ?? []).map((s) => s.resourceName));
    for (const name of this.iamTargets) if (known.has(name)) names.add(name);
    return [...names].sort();
  }

  private async readPolicies(connection: ModelConnection): Promise<ReadonlyMap<string, InvokerAccess>> {
    const run = connection.run;
    if (!run.getIamPolicy) return new Map();
    if (!this.topology) throw new CloudError('The load balancers have not been read yet.', { kind: 'transient' });
    return readInvokers({ getIamPolicy: run.getIamPolicy.bind(run) }, this.iamTargetNames(), (line) => this.options.log?.('warn', line));
  }

  dispose(): void {
    this.changed.dispose();
    this.interestChanged.dispose();
    this.readStarted.dispose();
  }
}

function fingerprintOf(value: PartValue | undefined): string {
  // DNS answers carry when they were seen and how long they live: not a change in what they say.
  if (value instanceof Map)
    return JSON.stringify([...value.entries()], (key, v) => (key === 'observedAt' || key === 'ttl' ? undefined : v));
  return JSON.stringify(value ?? null);
}

/** The message the views show when the model has nothing to show for want of a connection. */
export function noConnection(): CloudError {
  return new CloudError('No Google Cloud project is selected.', { kind: 'invalid' });
}
