// An offline emulator of the Google APIs the extension uses: Compute v1 (global load balancing), Cloud Run v1/v2, Cloud DNS v1,
// a DNS server, and a control API under /_emulator/ for tests and the demo. Real HTTP on 127.0.0.1; gcloud accepts it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { refreshCertificates } from './certs';
import { CloudDns } from './clouddns';
import { CertificateManager } from './certificate-manager';
import { Compute, type Reply } from './compute';
import { EmulatorControl } from './control';
import { startDnsServer, type DnsServer } from './dns';
import { applyFields, parseFields } from './fields';
import { ApiError, apiDisabled, backendError, defaultReason, notFound, unauthenticated, type ErrorStyle } from './errors';
import { refPath } from './refs';
import { CloudRun } from './run';
import { demoSeed, largeSeed } from './seeds';
import {
  GLOBAL_COLLECTIONS,
  REGIONAL_COLLECTIONS,
  Store,
  googleTime,
  isCollection,
  type CertificateTiming,
  type Collection,
  type ComputeRecord,
  type DnsRecordSpec,
  type DnsType,
  type FaultSpec,
  type Json,
  type ProjectSpec,
  type RunIamSpec,
  type SeedData,
} from './store';

export { EmulatorControl, demoSeed, largeSeed };
export type { DnsZoneSpec, DnsZoneRecordSpec } from './store';
export type {
  CertificateTiming,
  ComputeSeed,
  DnsRecordSpec,
  FaultSpec,
  IamBinding,
  IamPolicySpec,
  ProjectSpec,
  RunIamSpec,
  RunServiceSpec,
  SeedData,
} from './store';

export interface EmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** PENDING → RUNNING → DONE takes this long; 0: a write's answer is already DONE. */
  operationLatencyMs?: number;
  /** Added to every API request. */
  requestLatencyMs?: number;
  /** 0..1: that share of API requests fail with 503 backendError (control requests never do). */
  faultRate?: number;
  /** Default 'empty'. */
  seed?: SeedData | 'demo' | 'empty';
  /** Known projects; default [{ id: 'demo-project', number: '123456789012' }]; seed data may add more. */
  projects?: ProjectSpec[];
  /** Start the DNS server (default true). */
  dns?: boolean;
  /** UDP port for the DNS server (default 0: any free port). */
  dnsPort?: number;
  certificates?: CertificateTiming;
  /**
   * Sparse mode: Compute resources keep only the fields their creator sent plus the server's output fields (kind, id,
   * name, selfLink, creationTimestamp, fingerprints, status, assigned addresses, normalised port ranges, …), no filled-in
   * defaults. Default false: defaults are filled in as before. Seeds load the same way.
   */
  sparse?: boolean;
  log?: (line: string) => void;
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT/': the rootUrl for googleapis. */
  url: string;
  port: number;
  /** UDP port of the DNS server on 127.0.0.1 (0 when dns is off). */
  dnsPort: number;
  control: EmulatorControl;
  close(): Promise<void>;
}

const DEFAULT_PROJECTS: ProjectSpec[] = [{ id: 'demo-project', number: '123456789012' }];
const JSON_TYPE = 'application/json; charset=UTF-8';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new Store(options.operationLatencyMs ?? 0, {
    activationDelayMs: options.certificates?.activationDelayMs ?? 1500,
    failNotVisibleAfterMs: options.certificates?.failNotVisibleAfterMs ?? 60_000,
  });
  let requestLatencyMs = options.requestLatencyMs ?? 0;
  let faultRate = options.faultRate ?? 0;
  const log = options.log;
  const compute = new Compute(store);
  const run = new CloudRun(store);
  const cloudDns = new CloudDns(store, () => compute.changed());
  const certificateManager = new CertificateManager(store);
  compute.certificateMapRef = (value, project) => certificateManager.certificateMapRef(value, project);
  const startupSeed = options.seed ?? 'empty';
  const startupSparse = options.sparse ?? false;

  const reset = (seed: SeedData | 'demo' | 'empty' = startupSeed, sparse: boolean = startupSparse) => {
    store.sparse = sparse;
    store.projects.clear();
    store.compute.clear();
    store.operations.clear();
    store.requestIds.clear();
    store.runServices.clear();
    store.runOperations.clear();
    store.dns.clear();
    cloudDns.clear();
    store.certDomains.clear();
    certificateManager.clear();
    store.faults = [];
    for (const p of options.projects ?? DEFAULT_PROJECTS) store.addProject(p);
    loadSeed(store, compute, run, resolveSeed(seed), cloudDns);
  };
  reset();

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log?.(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent)
        send(res, 500, {
          error: {
            code: 500,
            message: 'Internal error in the emulator.',
            errors: [{ message: String(err), domain: 'global', reason: 'backendError' }],
          },
        });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A client that uses the emulator as its HTTP proxy tunnels https with CONNECT: that would leave the machine, so it is
  // refused (and counted, so tests can show it never happens with http overrides).
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const route = `CONNECT ${req.url ?? ''}`;
    store.requestCounts.set(route, (store.requestCounts.get(route) ?? 0) + 1);
    log?.(`${route} → 403 (the emulator tunnels nowhere)`);
    socket.on('error', () => undefined);
    socket.end(
      'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 42\r\nConnection: close\r\n\r\nThe emulator does not tunnel connections.\n',
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // As an HTTP proxy (gcloud's proxy/type http), the emulator receives requests in absolute form
    // (GET http://us-central1-run.emulator.test/apis/…): the host in the URL decides, region prefix included.
    const target = req.url ?? '/';
    const absolute = /^https?:\/\//i.test(target);
    const url = absolute ? new URL(target) : new URL(target, 'http://127.0.0.1');
    const host = absolute ? url.host : (req.headers.host ?? `127.0.0.1:${port}`);
    const origin = `${absolute ? url.protocol : 'http:'}//${host}/`;
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    if (path.startsWith('/_emulator/')) return control(method, path.slice('/_emulator/'.length), url.searchParams, raw, origin, res);
    const shown = absolute ? `${url.protocol}//${host}${path}` : path;

    const style: ErrorStyle = path.startsWith('/compute/') || path.startsWith('/dns/') ? 'compute' : 'run';
    const route = routeTemplate(method, path);
    store.requestTotal += 1;
    store.requestCounts.set(route, (store.requestCounts.get(route) ?? 0) + 1);

    let operationFault: FaultSpec | undefined;
    let loseAnswer = false;
    const fault = store.faults.find(
      (f) =>
        f.count > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        new RegExp(f.path).test(path) &&
        (!f.body || new RegExp(f.body).test(raw)),
    );
    if (fault) {
      fault.count -= 1;
      if (fault.latencyMs) await sleep(fault.latencyMs);
      if (fault.resetConnection && fault.afterHandling) loseAnswer = true;
      else if (fault.resetConnection) {
        log?.(`${method} ${shown} → connection reset (fault)`);
        req.socket.destroy();
        return;
      }
      if (fault.inOperation) operationFault = fault;
      else if (fault.status || fault.reason || fault.message) {
        const status = fault.status ?? 503;
        const err = new ApiError(
          status,
          fault.message ?? (status === 503 ? 'The service is currently unavailable.' : 'Injected fault.'),
          fault.reason ?? defaultReason(status),
        );
        if (typeof fault.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(fault.retryAfterSeconds));
        return reply(res, method, shown, status, err.toJson(style));
      }
    }
    if (requestLatencyMs > 0) await sleep(requestLatencyMs);
    if (faultRate > 0 && Math.random() < faultRate) return reply(res, method, shown, 503, backendError().toJson(style));

    try {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
      if (!token) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="https://accounts.google.com/"');
        throw unauthenticated();
      }
      const user = token.includes('@') ? token : 'emulator-user@example.com';
      let body: Json;
      if (raw.length) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new ApiError(400, `Invalid JSON payload received. Unexpected token.\n${raw.slice(0, 40)}\n^`, 'parseError');
        }
      }
      let result: Reply;
      if (path.startsWith('/compute/v1/')) {
        const projectId = path.split('/')[4] ?? '';
        const project = store.project(projectId);
        if (!project) throw notFound(`projects/${projectId}`);
        if (isDisabled(project, 'compute')) throw apiDisabled('compute', project.number);
        result = await compute.handle({
          method,
          path: path.slice('/compute/v1/'.length),
          query: url.searchParams,
          body,
          origin,
          user,
          deniedPermissions: project.deniedPermissions,
          operationFault,
        });
      } else if (path.startsWith('/dns/v1/')) {
        const projectId = path.split('/')[4] ?? '';
        const project = store.project(projectId);
        if (!project) throw notFound(`projects/${projectId}`);
        if (isDisabled(project, 'dns')) throw apiDisabled('dns', project.number);
        result = cloudDns.handle({
          method,
          path: path.slice('/dns/v1/'.length),
          query: url.searchParams,
          body,
          deniedPermissions: project.deniedPermissions,
        });
      } else if (/^\/v1\/projects\/[^/]+\/locations\/(global\/|-\/(dnsAuthorizations|certificates|certificateMaps)$)/.test(path)) {
        // Certificate Manager: Cloud Run has no "global" location; gcloud lists across locations with "-".
        const project = store.project(path.split('/')[3]);
        if (project && isDisabled(project, 'certificatemanager')) throw apiDisabled('certificatemanager', project.number);
        result = certificateManager.handle({
          method,
          path: path.slice('/v1/'.length),
          query: url.searchParams,
          body,
          deniedPermissions: project?.deniedPermissions ?? [],
        });
      } else if (/^\/(v1|v2|apis)\//.test(path)) {
        const projectRef = /^\/(?:v1|v2)\/projects\/([^/]+)/.exec(path)?.[1] ?? /^\/apis\/[^/]+\/v1\/namespaces\/([^/]+)/.exec(path)?.[1];
        const project = projectRef ? store.project(projectRef) : undefined;
        if (project && isDisabled(project, 'run')) throw apiDisabled('run', project.number);
        result = await run.handle({
          method,
          path,
          query: url.searchParams,
          body,
          host,
          user,
          deniedPermissions: project?.deniedPermissions ?? [],
          domainRestrictedSharing: project?.domainRestrictedSharing ?? false,
        });
      } else {
        throw new ApiError(404, 'Not Found', 'notFound', { status: 'NOT_FOUND' });
      }
      if (loseAnswer) {
        // The change is made; only the answer is lost, as when a connection drops on the way back.
        log?.(`${method} ${shown} → ${result.status}, then connection reset (fault)`);
        req.socket.destroy();
        return;
      }
      const fields = url.searchParams.get('fields');
      const answer = fields && result.status < 300 ? applyFields(result.body, parseFields(fields)) : result.body;
      reply(res, method, shown, result.status, answer, url.searchParams.get('prettyPrint') === 'false');
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      reply(res, method, shown, err.code, err.toJson(style));
    }
  }

  function reply(res: ServerResponse, method: string, path: string, status: number, body: unknown, compact = false): void {
    log?.(`${method} ${path} → ${status}`);
    send(res, status, body, compact);
  }

  async function control(
    method: string,
    route: string,
    query: URLSearchParams,
    raw: string,
    origin: string,
    res: ServerResponse,
  ): Promise<void> {
    let body: Json = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return send(res, 400, { error: 'invalid JSON' });
    }
    try {
      switch (`${method} ${route}`) {
        case 'GET health':
          return send(res, 200, { ok: true });
        case 'POST reset':
          reset(body.seed, typeof body.sparse === 'boolean' ? body.sparse : undefined);
          return send(res, 200, { ok: true });
        case 'POST seed':
          loadSeed(store, compute, run, resolveSeed(body.seed ?? body), cloudDns);
          return send(res, 200, { ok: true });
        case 'GET state':
          return send(res, 200, {
            ...snapshot(store, compute, run, origin),
            dnsZones: cloudDns.snapshot(),
            certificateManager: [...certificateManager.records.values()].map((r) => certificateManager.render(r)),
          });
        case 'PUT dns': {
          const spec = body as DnsRecordSpec;
          if (!spec.name || !['A', 'AAAA', 'CNAME', 'CAA', 'TXT'].includes(spec.type) || !Array.isArray(spec.values))
            return send(res, 400, { error: 'need name, type (A|AAAA|CNAME|CAA|TXT), values[]' });
          store.setDns(spec);
          compute.changed();
          certificateManager.observe();
          return send(res, 200, { ok: true });
        }
        case 'DELETE dns': {
          const removed = store.removeDns(query.get('name') ?? '', (query.get('type') as DnsType | null) ?? undefined);
          compute.changed();
          certificateManager.observe();
          return send(res, 200, { removed });
        }
        case 'POST faults': {
          const spec = body as FaultSpec;
          if (typeof spec.path !== 'string' || !(spec.count > 0)) return send(res, 400, { error: 'need path (regex) and count > 0' });
          new RegExp(spec.path);
          return send(res, 200, { id: store.addFault(spec) });
        }
        case 'DELETE faults':
          store.faults = [];
          return send(res, 200, { ok: true });
        case 'POST projects': {
          if (!body.id) return send(res, 400, { error: 'need id' });
          return send(res, 200, store.addProject(body as ProjectSpec));
        }
        case 'PUT mode':
          if (typeof body.sparse === 'boolean') store.sparse = body.sparse;
          return send(res, 200, { sparse: store.sparse });
        case 'PUT run-iam': {
          const spec = body as RunIamSpec;
          const project = store.project(spec.project ?? [...store.projects.keys()][0] ?? '');
          const rec = project ? store.runServices.get(`${project.id}/${spec.region}/${spec.service}`) : undefined;
          if (!rec)
            return send(res, 404, {
              error: `no Cloud Run service ${spec.service} in ${spec.region} of ${spec.project ?? 'the first project'}`,
            });
          if (!Array.isArray(spec.bindings)) return send(res, 400, { error: 'need bindings[] ({ role, members[] })' });
          rec.iam = { bindings: structuredClone(spec.bindings.filter((b) => b.members?.length)), version: 1, writes: rec.iam.writes + 1 };
          return send(res, 200, run.iamPolicy(rec));
        }
        case 'GET requests':
          return send(res, 200, { total: store.requestTotal, byRoute: Object.fromEntries(store.requestCounts) });
        case 'DELETE requests':
          store.requestTotal = 0;
          store.requestCounts.clear();
          return send(res, 200, { ok: true });
        case 'PUT certificate-timing':
          if (typeof body.activationDelayMs === 'number') store.certTiming.activationDelayMs = body.activationDelayMs;
          if (typeof body.failNotVisibleAfterMs === 'number') store.certTiming.failNotVisibleAfterMs = body.failNotVisibleAfterMs;
          return send(res, 200, { ...store.certTiming });
        case 'PUT latency':
          if (typeof body.operationLatencyMs === 'number') store.operationLatencyMs = body.operationLatencyMs;
          if (typeof body.requestLatencyMs === 'number') requestLatencyMs = body.requestLatencyMs;
          if (typeof body.faultRate === 'number') faultRate = body.faultRate;
          return send(res, 200, { operationLatencyMs: store.operationLatencyMs, requestLatencyMs, faultRate });
        default:
          return send(res, 404, { error: `no control route ${method} /_emulator/${route}` });
      }
    } catch (err) {
      return send(res, 400, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  let dns: DnsServer | undefined;
  if (options.dns !== false) {
    try {
      dns = await startDnsServer(store, options.dnsPort ?? 0, log);
    } catch (err) {
      server.close();
      throw err;
    }
  }
  const url = `http://127.0.0.1:${port}/`;
  log?.(`emulator listening on ${url}${dns ? `, DNS on udp 127.0.0.1:${dns.port}` : ''}`);
  return {
    url,
    port,
    dnsPort: dns?.port ?? 0,
    control: new EmulatorControl(url),
    close: async () => {
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
        }),
        dns?.close(),
      ]);
    },
  };
}

function resolveSeed(seed: SeedData | 'demo' | 'empty' | undefined): SeedData {
  if (seed === 'demo') return demoSeed();
  if (!seed || seed === 'empty') return {};
  return seed;
}

/** Loads seed data as it stands (no rule checks); seeded certificates whose conditions hold are ACTIVE at once. */
export function loadSeed(store: Store, compute: Compute, run: CloudRun, seed: SeedData, cloudDns?: CloudDns): void {
  for (const p of seed.projects ?? []) store.addProject(p);
  const defaultProject = () => [...store.projects.keys()][0] ?? 'demo-project';
  // Addresses first: forwarding rules may name them instead of their IP.
  const order: Collection[] = [
    'addresses',
    ...REGIONAL_COLLECTIONS,
    ...GLOBAL_COLLECTIONS.filter((c) => c !== 'addresses' && c !== 'forwardingRules'),
    'forwardingRules',
  ];
  const now = Date.now();
  for (const block of seed.compute ?? []) {
    const project = block.project ?? defaultProject();
    if (!store.project(project)) store.addProject({ id: project });
    for (const c of order) {
      for (const raw of (block as Record<string, Json[] | undefined>)[c] ?? []) {
        const body: Json = structuredClone(raw);
        let scope = 'global';
        if (c === 'networkEndpointGroups') {
          const region = String(body.region ?? '')
            .split('/')
            .pop();
          if (!region) throw new Error(`seed: network endpoint group ${body.name} needs a region`);
          scope = `regions/${region}`;
        }
        const created = body.creationTimestamp ? Date.parse(body.creationTimestamp) : now;
        body.creationTimestamp = googleTime(created);
        const rec: ComputeRecord = {
          collection: c,
          project,
          scope,
          name: body.name,
          path: `projects/${project}/${scope}/${c}/${body.name}`,
          body,
          createdAt: created,
          readyAt: created,
        };
        seedResource(store, compute, rec);
      }
    }
  }
  for (const s of seed.runServices ?? []) {
    const project = s.project ?? defaultProject();
    if (!store.project(project)) store.addProject({ id: project });
    run.addService(s, project);
  }
  for (const d of seed.dns ?? []) store.setDns(d);
  for (const z of seed.dnsZones ?? []) {
    if (!cloudDns) throw new Error('seed: managed zones need the Cloud DNS emulator');
    const project = z.project ?? defaultProject();
    if (!store.project(project)) store.addProject({ id: project });
    cloudDns.seedZone(z, project);
  }
  store.version += 1;
  refreshCertificates(store, now, true);
}

function seedResource(store: Store, compute: Compute, rec: ComputeRecord): void {
  const b = rec.body;
  const sent = structuredClone(b);
  compute.applyDefaults(rec, 'insert');
  if (rec.collection === 'addresses' && !b.address) b.address = b.ipVersion === 'IPV6' ? store.nextIpv6() : store.nextIpv4();
  if (rec.collection === 'addresses') b.status = 'RESERVED';
  if (rec.collection === 'forwardingRules') {
    const addr = refPath(b.IPAddress, rec.project, { collection: 'addresses' });
    if (b.IPAddress && addr && !/^[\d.:a-f]+$/i.test(String(b.IPAddress))) {
      const found = store.compute.get(addr);
      if (found) b.IPAddress = found.body.address;
    }
    if (!b.IPAddress) b.IPAddress = store.nextIpv4();
    if (String(b.IPAddress).includes(':')) b.ipVersion = 'IPV6';
  }
  if (rec.collection === 'sslCertificates') delete b.privateKey;
  if (!isCollection(rec.collection)) throw new Error(`seed: unknown collection ${rec.collection}`);
  compute.keepSparse(rec, sent);
  store.compute.set(rec.path, rec);
}

function snapshot(store: Store, compute: Compute, run: CloudRun, origin: string): Json {
  const computeOut: Json = {};
  for (const p of store.projects.keys()) {
    computeOut[p] = {};
    for (const c of [...REGIONAL_COLLECTIONS, ...GLOBAL_COLLECTIONS])
      computeOut[p][c] = compute.records(p, c).map((r) => compute.render(r, origin));
  }
  return {
    projects: [...store.projects.values()],
    compute: computeOut,
    // Each service as v2 answers it, plus its IAM policy as getIamPolicy answers it.
    runServices: [...store.projects.keys()].flatMap((p) =>
      run.services(p).map((s) => ({ ...run.v2Service(s, p), iamPolicy: run.iamPolicy(s) })),
    ),
    dns: [...store.dns.values()],
    operations: [...store.operations.values()].length,
    faults: store.faults.filter((f) => f.count > 0),
    certificateTiming: { ...store.certTiming },
    operationLatencyMs: store.operationLatencyMs,
    sparse: store.sparse,
  };
}

function isDisabled(project: Required<ProjectSpec>, api: 'compute' | 'run' | 'dns' | 'certificatemanager'): boolean {
  return project.disabledApis.some((a) => a === api || a === `${api}.googleapis.com`);
}

/** "GET /compute/v1/projects/{project}/global/backendServices/{name}": how requests are counted. */
export function routeTemplate(method: string, path: string): string {
  const seg = path.split('/');
  const placeholder: Record<string, string> = {
    projects: '{project}',
    regions: '{region}',
    zones: '{zone}',
    namespaces: '{namespace}',
    operations: '{operation}',
    services: '{service}',
    revisions: '{revision}',
    managedZones: '{zone}',
    changes: '{change}',
    dnsAuthorizations: '{name}',
    certificates: '{name}',
    certificateMaps: '{name}',
    certificateMapEntries: '{name}',
  };
  for (const c of [...GLOBAL_COLLECTIONS, ...REGIONAL_COLLECTIONS]) placeholder[c] = '{name}';
  const out = seg.map((s, i) => {
    const prev = seg[i - 1];
    if (!prev) return s;
    if (prev === 'locations') return s === '-' ? s : '{location}';
    return prev in placeholder ? placeholder[prev] : s;
  });
  return `${method} ${out.join('/')}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Google indents its JSON unless asked `prettyPrint=false`. */
function send(res: ServerResponse, status: number, body: unknown, compact = false): void {
  if (res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status, { 'Content-Length': '0' });
    res.end();
    return;
  }
  const text = (compact ? JSON.stringify(body) : JSON.stringify(body, null, 2)) + '\n';
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'private' });
  res.end(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
