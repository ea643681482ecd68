// The emulator's state: one store behind every API (Compute, Cloud Run v1 and v2, DNS, control).
import { createHash, randomBytes } from 'node:crypto';

export interface DnsZoneRecordSpec {
  name: string;
  type: string;
  ttl?: number;
  rrdatas: string[];
}
/** Seed: a managed zone with its record sets (NS and SOA are added as Google adds them). */
export interface DnsZoneSpec {
  project?: string;
  name: string;
  /** With or without the trailing dot. */
  dnsName: string;
  description?: string;
  visibility?: 'public' | 'private';
  records?: DnsZoneRecordSpec[];
}

// Google's resources are open JSON objects; the emulator reads and writes their fields freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ProjectSpec {
  id: string;
  number?: string;
  /** Service names, e.g. 'compute.googleapis.com' or 'run.googleapis.com' (the short 'compute' / 'run' works too). */
  disabledApis?: string[];
  /** IAM permissions the caller lacks, e.g. 'compute.backendServices.create', 'run.services.list'. */
  deniedPermissions?: string[];
  /**
   * The organisation's domain-restricted-sharing policy (constraints/iam.allowedPolicyMemberDomains): an IAM policy
   * that adds allUsers or allAuthenticatedUsers is refused with FAILED_PRECONDITION.
   */
  domainRestrictedSharing?: boolean;
}

export interface IamBinding {
  role: string;
  members: string[];
  condition?: Json;
}
export interface IamPolicySpec {
  bindings?: IamBinding[];
}
/** Control API: replaces a Cloud Run service's IAM bindings (project: default the first project). */
export interface RunIamSpec {
  project?: string;
  region: string;
  service: string;
  bindings: IamBinding[];
}

export type DnsType = 'A' | 'AAAA' | 'CNAME' | 'CAA' | 'TXT';
export interface DnsRecordSpec {
  name: string;
  type: DnsType;
  values: string[];
  ttl?: number;
}

export type Ingress = 'all' | 'internal' | 'internal-and-cloud-load-balancing';

export interface RunServiceSpec {
  name: string;
  region: string;
  /** Project ID; default: the first project. */
  project?: string;
  ingress?: Ingress;
  image?: string;
  /** false: the service exists but its Ready condition is False (a failed rollout). */
  ready?: boolean;
  labels?: Record<string, string>;
  /** RFC 3339. */
  createTime?: string;
  /**
   * The service's IAM policy. Default for seeded services: public (roles/run.invoker for allUsers), as a service serving
   * users through a load balancer is; `{ bindings: [] }` makes it private. Services deployed through the API start empty.
   */
  iamPolicy?: IamPolicySpec;
}

/** Compute resources of one project, in Google's JSON shape (kind, id, selfLink, timestamps are filled in when missing). */
export interface ComputeSeed {
  project?: string;
  networkEndpointGroups?: Json[]; // each needs `region` (name or URL)
  backendServices?: Json[];
  backendBuckets?: Json[];
  healthChecks?: Json[];
  urlMaps?: Json[];
  sslCertificates?: Json[];
  targetHttpsProxies?: Json[];
  targetHttpProxies?: Json[];
  addresses?: Json[];
  forwardingRules?: Json[];
  /** Cloud Armor security policies; a backend service names one in `securityPolicy` or `edgeSecurityPolicy`. */
  securityPolicies?: Json[];
}

/**
 * Seed data. References inside Compute resources may be full URLs (any host) or partial paths; seeded resources
 * are stored as given (no rule checks), so seeds can hold dangling references on purpose.
 * A managed certificate whose conditions already hold when the seed loads is ACTIVE at once.
 */
export interface SeedData {
  projects?: ProjectSpec[];
  compute?: ComputeSeed[];
  runServices?: RunServiceSpec[];
  dns?: DnsRecordSpec[];
  /** Cloud DNS managed zones with their record sets; public zones' records are what the DNS server answers. */
  dnsZones?: DnsZoneSpec[];
}

export interface FaultSpec {
  method?: string;
  /** Regular expression over the request path (without the query string). */
  path: string;
  /** Regular expression over the request body: tells apart two writes to one collection. */
  body?: string;
  count: number;
  status?: number;
  reason?: string;
  message?: string;
  /** Destroy the socket instead of answering. */
  resetConnection?: boolean;
  /** With resetConnection: handle the request first, so the change is made and only the answer is lost. */
  afterHandling?: boolean;
  /** Delay before answering (or before failing). */
  latencyMs?: number;
  /** Accept the write, then report the failure inside the DONE operation (Compute writes only). */
  inOperation?: boolean;
  /** With a status (429 or 503): a `Retry-After` header with this many seconds, as Google's front ends send. */
  retryAfterSeconds?: number;
}

export interface CertificateTiming {
  activationDelayMs?: number;
  failNotVisibleAfterMs?: number;
}

export const GLOBAL_COLLECTIONS = [
  'backendServices',
  'backendBuckets',
  'healthChecks',
  'urlMaps',
  'sslCertificates',
  'targetHttpsProxies',
  'targetHttpProxies',
  'addresses',
  'forwardingRules',
  'securityPolicies',
] as const;
export const REGIONAL_COLLECTIONS = ['networkEndpointGroups'] as const;
export type Collection = (typeof GLOBAL_COLLECTIONS)[number] | (typeof REGIONAL_COLLECTIONS)[number];
export const isCollection = (s: string): s is Collection =>
  (GLOBAL_COLLECTIONS as readonly string[]).includes(s) || (REGIONAL_COLLECTIONS as readonly string[]).includes(s);
export const isRegional = (c: Collection): boolean => (REGIONAL_COLLECTIONS as readonly string[]).includes(c);
/** Network endpoint groups are regional (serverless) or global (internet NEGs); the rest live in one scope. */
export const servedIn = (c: Collection, scope: string): boolean => c === 'networkEndpointGroups' || isRegional(c) === (scope !== 'global');

/** Google regions (those Cloud Run serves), in Google's order; aggregated lists carry a scope for each. */
export const REGIONS: Record<string, string> = {
  'africa-south1': 'Johannesburg',
  'asia-east1': 'Taiwan',
  'asia-east2': 'Hong Kong',
  'asia-northeast1': 'Tokyo',
  'asia-northeast2': 'Osaka',
  'asia-northeast3': 'Seoul',
  'asia-south1': 'Mumbai',
  'asia-south2': 'Delhi',
  'asia-southeast1': 'Singapore',
  'asia-southeast2': 'Jakarta',
  'australia-southeast1': 'Sydney',
  'australia-southeast2': 'Melbourne',
  'europe-central2': 'Warsaw',
  'europe-north1': 'Finland',
  'europe-north2': 'Stockholm',
  'europe-southwest1': 'Madrid',
  'europe-west1': 'Belgium',
  'europe-west10': 'Berlin',
  'europe-west12': 'Turin',
  'europe-west2': 'London',
  'europe-west3': 'Frankfurt',
  'europe-west4': 'Netherlands',
  'europe-west6': 'Zurich',
  'europe-west8': 'Milan',
  'europe-west9': 'Paris',
  'me-central1': 'Doha',
  'me-central2': 'Dammam',
  'me-west1': 'Tel Aviv',
  'northamerica-northeast1': 'Montréal',
  'northamerica-northeast2': 'Toronto',
  'northamerica-south1': 'Querétaro',
  'southamerica-east1': 'São Paulo',
  'southamerica-west1': 'Santiago',
  'us-central1': 'Iowa',
  'us-east1': 'South Carolina',
  'us-east4': 'Northern Virginia',
  'us-east5': 'Columbus',
  'us-south1': 'Dallas',
  'us-west1': 'Oregon',
  'us-west2': 'Los Angeles',
  'us-west3': 'Salt Lake City',
  'us-west4': 'Las Vegas',
};
export const REGION_NAMES = Object.keys(REGIONS);

export interface ComputeRecord {
  collection: Collection;
  project: string;
  /** 'global' or 'regions/R'. */
  scope: string;
  name: string;
  /** Canonical path: projects/P/global/C/N or projects/P/regions/R/C/N. */
  path: string;
  /** Google's JSON, references stored as canonical Google URLs (see CANONICAL_ORIGIN). */
  body: Json;
  createdAt: number;
  /** Until the creating operation is DONE, other resources cannot reference it. */
  readyAt: number;
  /** A global network endpoint group's endpoints (attachNetworkEndpoints), as Google's NetworkEndpoint JSON. */
  endpoints?: Json[];
}

export interface OperationRecord {
  id: string;
  name: string;
  project: string;
  scope: string;
  operationType: string;
  targetPath: string;
  targetId: string;
  user: string;
  insertedAt: number;
  startedAt: number;
  doneAt: number;
  error?: { code: string; message: string; httpStatus: number };
  description?: string;
}

export interface RunServiceRecord {
  project: string;
  region: string;
  name: string;
  uid: string;
  generation: number;
  createTime: number;
  updateTime: number;
  /** Knative metadata as the client sent it (labels, annotations), ingress kept apart. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ingress: Ingress;
  template: Json;
  ready: boolean;
  creator: string;
  revision: number;
  /** Bindings as set, and how many times the policy was written (0: never, Google's etag "ACAB"). */
  iam: { bindings: IamBinding[]; version: number; writes: number };
}

export interface RunOperationRecord {
  name: string;
  project: string;
  region: string;
  serviceKey: string;
  insertedAt: number;
  doneAt: number;
  kind: string;
}

/** Where stored references point: Google's own host, rewritten to the caller's origin in every answer. */
export const CANONICAL_ORIGIN = 'https://compute.googleapis.com/compute/v1/';

export function googleTime(ms: number): string {
  // Compute's timestamps carry Google's Pacific offset; a fixed -07:00 keeps them valid RFC 3339.
  const shifted = new Date(ms - 7 * 3600_000).toISOString().replace('Z', '');
  return `${shifted}-07:00`;
}

/**
 * Google's fingerprints are URL-safe base64 with padding (`2sCG58m_4zQ=`): gcloud decodes them as bytes
 * and sends them back in that alphabet, so a `+` or `/` here would never match again.
 */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value))
    .digest()
    .subarray(0, 8)
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

export class Store {
  projects = new Map<string, Required<ProjectSpec>>();
  compute = new CountingMap<string, ComputeRecord>();
  operations = new Map<string, OperationRecord>();
  requestIds = new Map<string, string>();
  runServices = new Map<string, RunServiceRecord>();
  runOperations = new Map<string, RunOperationRecord>();
  dns = new Map<string, DnsRecordSpec & { ttl: number }>();
  faults: (FaultSpec & { id: number })[] = [];
  requestCounts = new Map<string, number>();
  requestTotal = 0;
  /** Per managed certificate (by path), per domain: since when its conditions hold, and whether it became ACTIVE. */
  certDomains = new Map<string, Map<string, { since?: number; active?: boolean }>>();
  /** Bumped on every change that can alter a certificate's conditions. */
  version = 0;
  /** Sparse mode: Compute resources keep only the fields their creator sent plus the server's output fields. */
  sparse = false;
  private idCounter = 0;
  private ipCounter = 0;
  private faultCounter = 0;

  constructor(
    public operationLatencyMs: number,
    public certTiming: Required<CertificateTiming>,
  ) {}

  nextId(): string {
    this.idCounter += 1;
    // Compute ids are unsigned 64-bit decimals; these look the part and never repeat within a run.
    return (4_100_000_000_000_000_000n + BigInt(this.idCounter) * 7_919_000_003n + BigInt(Date.now() % 1_000_000)).toString();
  }

  nextIpv4(): string {
    this.ipCounter += 1;
    const n = this.ipCounter;
    return `34.${117 + (Math.floor(n / 65025) % 20)}.${Math.floor(n / 255) % 255}.${(n % 255) + 1}`;
  }

  nextIpv6(): string {
    this.ipCounter += 1;
    return `2600:1901:0:${this.ipCounter.toString(16)}::`;
  }

  addFault(spec: FaultSpec): number {
    this.faultCounter += 1;
    this.faults.push({ ...spec, id: this.faultCounter });
    return this.faultCounter;
  }

  project(id: string): Required<ProjectSpec> | undefined {
    const byId = this.projects.get(id);
    if (byId) return byId;
    for (const p of this.projects.values()) if (p.number === id) return p;
    return undefined;
  }

  addProject(spec: ProjectSpec): Required<ProjectSpec> {
    const existing = this.projects.get(spec.id);
    const number = spec.number ?? existing?.number ?? projectNumberFor(spec.id);
    const full: Required<ProjectSpec> = {
      id: spec.id,
      number,
      disabledApis: spec.disabledApis ?? existing?.disabledApis ?? [],
      deniedPermissions: spec.deniedPermissions ?? existing?.deniedPermissions ?? [],
      domainRestrictedSharing: spec.domainRestrictedSharing ?? existing?.domainRestrictedSharing ?? false,
    };
    this.projects.set(spec.id, full);
    return full;
  }

  newOperationName(): string {
    const hex = (n: number) => randomBytes(n).toString('hex');
    return `operation-${Date.now()}-${hex(7).slice(0, 13)}-${hex(4)}-${hex(4)}`;
  }

  setDns(spec: DnsRecordSpec): void {
    const name = normalizeDnsName(spec.name);
    this.dns.set(`${name}|${spec.type}`, { name, type: spec.type, values: [...spec.values], ttl: spec.ttl ?? 300 });
    this.version += 1;
  }

  removeDns(name: string, type?: DnsType): number {
    const n = normalizeDnsName(name);
    let removed = 0;
    for (const [key, rec] of this.dns) {
      if (rec.name === n && (!type || rec.type === type)) {
        this.dns.delete(key);
        removed += 1;
      }
    }
    this.version += 1;
    return removed;
  }

  dnsRecords(name: string): (DnsRecordSpec & { ttl: number })[] {
    const n = normalizeDnsName(name);
    return [...this.dns.values()].filter((r) => r.name === n);
  }
}

export const normalizeDnsName = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/** A stable 12-digit project number for a project ID without one. */
export function projectNumberFor(id: string): string {
  const digits = BigInt('0x' + createHash('sha256').update(id).digest('hex').slice(0, 12)) % 900_000_000_000n;
  return (100_000_000_000n + digits).toString();
}

/** A Map that counts its changes, so indexes over it can tell when to rebuild (lists of 10,000 stay linear). */
export class CountingMap<K, V> extends Map<K, V> {
  changes = 0;
  override set(key: K, value: V): this {
    this.changes = (this.changes ?? 0) + 1;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.changes += 1;
    return super.delete(key);
  }
  override clear(): void {
    this.changes += 1;
    super.clear();
  }
}
