// Certificate Manager v1, global location: DNS authorizations, certificates (Google-managed with DNS or load-balancer
// authorization, and self-managed), certificate maps and their entries, long-running operations. A OnePlatform API:
// errors carry `status`, writes answer an Operation, names are relative (projects/P/locations/global/…).
// A managed certificate with DNS authorizations turns ACTIVE once every domain's `_acme-challenge` CNAME resolves, in the
// emulator's DNS, to its authorization's target (and CAA, if any, allows Google's CAs): the A record plays no part.
// Error texts follow Google's phrasing for this API; none is claimed to be verbatim.
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { caaAllowsGoogle, resolveChain } from './certs';
import { ApiError } from './errors';
import { canonicalUrl } from './refs';
import { normalizeDnsName, type Json, type Store } from './store';

export type CmKind = 'dnsAuthorizations' | 'certificates' | 'certificateMaps' | 'certificateMapEntries';

interface CmRecord {
  kind: CmKind;
  project: string;
  /** Relative name: projects/P/locations/global/<kind>/<id> (entries under their map). */
  name: string;
  body: Json;
  createdAt: number;
  updatedAt: number;
}

interface CmOperation {
  name: string;
  project: string;
  createdAt: number;
  doneAt: number;
  verb: string;
  target: string;
  response?: Json;
  error?: { code: number; message: string };
}

export interface CmRequest {
  method: string;
  /** The path after /v1/. */
  path: string;
  query: URLSearchParams;
  body: Json;
  deniedPermissions: string[];
}

export interface CmReply {
  status: number;
  body: unknown;
}

const TYPE_PREFIX = 'type.googleapis.com/google.cloud.certificatemanager.v1.';
const RESOURCE_TYPE: Record<CmKind, string> = {
  dnsAuthorizations: 'DnsAuthorization',
  certificates: 'Certificate',
  certificateMaps: 'CertificateMap',
  certificateMapEntries: 'CertificateMapEntry',
};
/** IAM permission nouns, as Certificate Manager spells them. */
const PERMISSION: Record<CmKind, string> = {
  dnsAuthorizations: 'dnsauthorizations',
  certificates: 'certs',
  certificateMaps: 'certmaps',
  certificateMapEntries: 'certmapentries',
};
const ID_FIELD: Record<CmKind, string> = {
  dnsAuthorizations: 'dnsAuthorizationId',
  certificates: 'certificateId',
  certificateMaps: 'certificateMapId',
  certificateMapEntries: 'certificateMapEntryId',
};
const ID_RE = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const DOMAIN_RE = /^(\*\.)?(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$/;
const MAX_CERTS_PER_ENTRY = 4;
const MAX_DOMAINS_PER_CERT = 100;
export const CM_HOST = '//certificatemanager.googleapis.com/';

const oneError = (code: number, status: string, message: string, details?: unknown[]): ApiError =>
  new ApiError(code, message, status.toLowerCase(), { status, ...(details ? { details } : {}) });
export const cmNotFound = (name: string): ApiError => oneError(404, 'NOT_FOUND', `Resource '${name}' was not found`);
const cmExists = (name: string): ApiError => oneError(409, 'ALREADY_EXISTS', `Resource '${name}' already exists`);
const cmInvalid = (message: string, field?: string): ApiError =>
  oneError(
    400,
    'INVALID_ARGUMENT',
    message,
    field ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field, description: message }] }] : undefined,
  );
const cmInUse = (message: string): ApiError => oneError(400, 'FAILED_PRECONDITION', message);
const cmDenied = (permission: string, resource: string): ApiError =>
  oneError(403, 'PERMISSION_DENIED', `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'IAM_PERMISSION_DENIED',
      domain: 'certificatemanager.googleapis.com',
      metadata: { permission, resource },
    },
  ]);

const time = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

export class CertificateManager {
  readonly records = new Map<string, CmRecord>();
  readonly operations = new Map<string, CmOperation>();
  /** Per certificate and domain: since when its authorization has held, and whether it was issued. */
  private readonly authorized = new Map<string, { since?: number; issued?: boolean }>();
  private seenVersion = -1;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  clear(): void {
    this.records.clear();
    this.operations.clear();
    this.authorized.clear();
    this.seenVersion = -1;
  }

  handle(req: CmRequest): CmReply {
    const seg = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (seg[0] !== 'projects' || seg[2] !== 'locations' || !seg[3])
      throw oneError(404, 'NOT_FOUND', 'The requested URL was not found on this server.');
    const projectRef = seg[1];
    const project = this.store.project(projectRef);
    if (!project) throw cmDenied('certificatemanager.locations.get', `projects/${projectRef}`);
    // "-" (every location) lists; only the global location holds anything here.
    const location = seg[3] === '-' && seg.length === 5 && req.method === 'GET' ? 'global' : seg[3];
    if (location !== 'global')
      throw cmInvalid(`Location '${location}' is not served: this emulator holds Certificate Manager's global location only.`);
    const parent = `projects/${project.id}/locations/global`;
    const rest = seg.slice(4);
    this.observe();
    const perm = (permission: string, resource: string) => {
      if (req.deniedPermissions.includes(permission)) throw cmDenied(permission, `${CM_HOST}${resource}`);
    };

    if (rest[0] === 'operations') {
      if (rest.length === 1 && req.method === 'GET') {
        perm('certificatemanager.operations.list', parent);
        const ops = [...this.operations.values()].filter((o) => o.project === project.id).map((o) => this.renderOperation(o));
        return ok(this.page('operations', ops, req.query));
      }
      if (rest.length === 2 && req.method === 'GET') {
        perm('certificatemanager.operations.get', `${parent}/operations/${rest[1]}`);
        const op = this.operations.get(`${parent}/operations/${rest[1]}`);
        if (!op) throw cmNotFound(`${parent}/operations/${rest[1]}`);
        return ok(this.renderOperation(op));
      }
      if (rest.length === 2 && req.method === 'DELETE') {
        const key = `${parent}/operations/${rest[1]}`;
        if (!this.operations.delete(key)) throw cmNotFound(key);
        return ok({});
      }
      throw oneError(404, 'NOT_FOUND', 'The requested URL was not found on this server.');
    }

    let kind: CmKind;
    let collectionParent = parent;
    let tail: string[];
    if (rest[0] === 'certificateMaps' && rest[2] === 'certificateMapEntries') {
      const map = `${parent}/certificateMaps/${rest[1]}`;
      if (!this.records.has(map)) throw cmNotFound(map);
      kind = 'certificateMapEntries';
      collectionParent = map;
      tail = rest.slice(3);
    } else if (rest[0] === 'dnsAuthorizations' || rest[0] === 'certificates' || rest[0] === 'certificateMaps') {
      kind = rest[0];
      tail = rest.slice(1);
    } else {
      throw oneError(404, 'NOT_FOUND', 'The requested URL was not found on this server.');
    }
    const base = `${collectionParent}/${kind}`;
    const noun = `certificatemanager.${PERMISSION[kind]}`;
    if (tail.length === 0 && req.method === 'GET') {
      perm(`${noun}.list`, collectionParent);
      const items = [...this.records.values()].filter((r) => r.kind === kind && r.name.startsWith(base + '/')).map((r) => this.render(r));
      return ok(this.page(kind, items, req.query));
    }
    if (tail.length === 0 && req.method === 'POST') {
      perm(`${noun}.create`, collectionParent);
      return ok(this.create(kind, project.id, base, req));
    }
    if (tail.length !== 1) throw oneError(404, 'NOT_FOUND', 'The requested URL was not found on this server.');
    const name = `${base}/${tail[0]}`;
    if (req.method === 'GET') {
      perm(`${noun}.get`, name);
      return ok(this.render(this.get(name)));
    }
    if (req.method === 'DELETE') {
      perm(`${noun}.delete`, name);
      return ok(this.remove(this.get(name)));
    }
    if (req.method === 'PATCH') {
      perm(`${noun}.update`, name);
      return ok(this.patch(this.get(name), req));
    }
    throw oneError(404, 'NOT_FOUND', 'The requested URL was not found on this server.');
  }

  get(name: string): CmRecord {
    const rec = this.records.get(name);
    if (!rec) throw cmNotFound(name);
    return rec;
  }

  /**
   * The canonical `//certificatemanager.googleapis.com/projects/P/locations/global/certificateMaps/M` for a reference as a
   * target HTTPS proxy names it (that form, a full URL on any host, or a relative name); throws Compute's 404 if absent.
   */
  certificateMapRef(value: unknown, project: string): string {
    const m = /(?:^|\/)projects\/([^/]+)\/locations\/([^/]+)\/certificateMaps\/([^/?#]+)\/?$/.exec(String(value ?? '').trim());
    const bare = /^[a-z][-a-z0-9]*$/.test(String(value ?? '')) ? String(value) : undefined;
    const projectId = m ? (this.store.project(m[1])?.id ?? m[1]) : project;
    const name = m
      ? `projects/${projectId}/locations/${m[2]}/certificateMaps/${m[3]}`
      : bare
        ? `projects/${project}/locations/global/certificateMaps/${bare}`
        : undefined;
    if (!name)
      throw new ApiError(400, `Invalid value for field 'resource.certificateMap': '${String(value)}'. The URL is malformed.`, 'invalid');
    if (!this.records.has(name)) throw new ApiError(404, `The resource '${name}' was not found`, 'notFound');
    return CM_HOST + name;
  }

  // ---- writes --------------------------------------------------------------------------------

  private create(kind: CmKind, project: string, base: string, req: CmRequest): Json {
    const id = req.query.get(ID_FIELD[kind]) ?? '';
    if (!id) throw cmInvalid(`Missing required field '${ID_FIELD[kind]}'.`, ID_FIELD[kind]);
    if (!ID_RE.test(id))
      throw cmInvalid(
        `Invalid ${ID_FIELD[kind]} '${id}': it must start with a letter, hold only lowercase letters, digits and hyphens, and be at most 63 characters.`,
        ID_FIELD[kind],
      );
    const name = `${base}/${id}`;
    if (this.records.has(name)) throw cmExists(name);
    const b: Json = structuredClone(req.body ?? {});
    for (const out of ['name', 'createTime', 'updateTime', 'dnsResourceRecord', 'gclbTargets', 'state', 'sanDnsnames', 'expireTime'])
      delete b[out];
    const now = this.now();
    switch (kind) {
      case 'dnsAuthorizations':
        this.checkAuthorization(b, project);
        break;
      case 'certificates':
        this.checkCertificate(b, project);
        break;
      case 'certificateMaps':
        break;
      case 'certificateMapEntries':
        this.checkEntry(b, project, base.slice(0, -'/certificateMapEntries'.length), undefined);
        break;
    }
    const rec: CmRecord = { kind, project, name, body: b, createdAt: now, updatedAt: now };
    this.records.set(name, rec);
    this.store.version += 1;
    return this.operation(project, 'create', name, () => ({ '@type': TYPE_PREFIX + RESOURCE_TYPE[kind], ...this.render(rec) }));
  }

  private patch(rec: CmRecord, req: CmRequest): Json {
    const mask = (req.query.get('updateMask') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!mask.length) throw cmInvalid('Field update_mask is required.', 'update_mask');
    const allowed: Record<CmKind, string[]> = {
      dnsAuthorizations: ['description', 'labels'],
      certificates: ['description', 'labels'],
      certificateMaps: ['description', 'labels'],
      certificateMapEntries: ['description', 'labels', 'certificates'],
    };
    const next: Json = structuredClone(rec.body);
    for (const field of mask) {
      if (!allowed[rec.kind].includes(field)) throw cmInvalid(`Field '${field}' cannot be updated.`, 'update_mask');
      if (req.body?.[field] === undefined) delete next[field];
      else next[field] = structuredClone(req.body[field]);
    }
    if (rec.kind === 'certificateMapEntries') this.checkEntry(next, rec.project, rec.name.split('/certificateMapEntries/')[0], rec.name);
    rec.body = next;
    rec.updatedAt = this.now();
    this.store.version += 1;
    return this.operation(rec.project, 'update', rec.name, () => ({ '@type': TYPE_PREFIX + RESOURCE_TYPE[rec.kind], ...this.render(rec) }));
  }

  private remove(rec: CmRecord): Json {
    const user = this.firstUser(rec);
    if (user) throw cmInUse(user);
    this.records.delete(rec.name);
    for (const key of [...this.authorized.keys()]) if (key.startsWith(rec.name + '|')) this.authorized.delete(key);
    this.store.version += 1;
    return this.operation(rec.project, 'delete', rec.name, () => ({ '@type': 'type.googleapis.com/google.protobuf.Empty' }));
  }

  /** Why a resource cannot go yet, in Google's words of the kind; undefined when nothing uses it. */
  private firstUser(rec: CmRecord): string | undefined {
    switch (rec.kind) {
      case 'dnsAuthorizations': {
        const cert = [...this.records.values()].find(
          (r) => r.kind === 'certificates' && (r.body.managed?.dnsAuthorizations ?? []).includes(rec.name),
        );
        return cert && `Can't delete DNS Authorization '${rec.name}': it is used by certificate '${cert.name}'.`;
      }
      case 'certificates': {
        const entry = [...this.records.values()].find(
          (r) => r.kind === 'certificateMapEntries' && (r.body.certificates ?? []).includes(rec.name),
        );
        return entry && `Can't delete certificate '${rec.name}': it is referenced by certificate map entry '${entry.name}'.`;
      }
      case 'certificateMaps': {
        const proxy = this.proxiesUsing(rec.name)[0];
        if (proxy)
          return `Can't delete certificate map '${rec.name}': it is referenced by target proxy '//compute.googleapis.com/${proxy.path}'.`;
        const entry = [...this.records.values()].find((r) => r.kind === 'certificateMapEntries' && r.name.startsWith(rec.name + '/'));
        return (
          entry &&
          `Can't delete certificate map '${rec.name}': it still has certificate map entries, such as '${entry.name}'. Delete them first.`
        );
      }
      case 'certificateMapEntries':
        return undefined;
    }
  }

  private checkAuthorization(b: Json, project: string): void {
    const domain = typeof b.domain === 'string' ? b.domain.toLowerCase().replace(/\.$/, '') : '';
    if (!domain) throw cmInvalid("Field 'domain' is required.", 'domain');
    if (domain.startsWith('*.') || !DOMAIN_RE.test(domain))
      throw cmInvalid(
        `Invalid domain '${b.domain}': a DNS authorization covers one domain name (not a wildcard); it authorizes that name and its wildcard.`,
        'domain',
      );
    b.domain = domain;
    b.type ??= 'FIXED_RECORD';
    if (!['FIXED_RECORD', 'PER_PROJECT_RECORD'].includes(b.type)) throw cmInvalid(`Invalid type '${b.type}'.`, 'type');
    // Google's target is unique per authorization; the name is fixed per domain, or per project with PER_PROJECT_RECORD.
    const label =
      b.type === 'PER_PROJECT_RECORD'
        ? `_acme-challenge_${createHash('sha256').update(project).digest('hex').slice(0, 16)}`
        : '_acme-challenge';
    b.dnsResourceRecord = {
      name: `${label}.${domain}.`,
      type: 'CNAME',
      data: `${randomUUID()}.${1 + (this.records.size % 15)}.authorize.certificatemanager.goog.`,
    };
  }

  private checkCertificate(b: Json, project: string): void {
    if (b.managed && b.selfManaged) throw cmInvalid('A certificate is either managed or selfManaged, not both.', 'managed');
    if (b.selfManaged) {
      const pem = String(b.selfManaged.pemCertificate ?? '');
      if (!pem || !b.selfManaged.pemPrivateKey)
        throw cmInvalid('A self-managed certificate needs selfManaged.pemCertificate and selfManaged.pemPrivateKey.', 'self_managed');
      let x509: X509Certificate;
      try {
        x509 = new X509Certificate(pem);
      } catch {
        throw cmInvalid('selfManaged.pemCertificate is not a PEM-encoded X.509 certificate.', 'self_managed.pem_certificate');
      }
      b.pemCertificate = pem;
      b.sanDnsnames = (x509.subjectAltName ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.startsWith('DNS:'))
        .map((s) => s.slice(4));
      b.expireTime = new Date(x509.validTo).toISOString();
      delete b.selfManaged; // the key is never returned
      return;
    }
    if (!b.managed) throw cmInvalid('A certificate needs either managed or selfManaged.', 'managed');
    const domains: string[] = (b.managed.domains ?? []).map((d: unknown) => String(d).toLowerCase().replace(/\.$/, ''));
    if (!domains.length) throw cmInvalid('A managed certificate needs at least one domain.', 'managed.domains');
    if (domains.length > MAX_DOMAINS_PER_CERT)
      throw cmInvalid(`A managed certificate covers at most ${MAX_DOMAINS_PER_CERT} domains.`, 'managed.domains');
    for (const d of domains) if (!DOMAIN_RE.test(d)) throw cmInvalid(`Invalid domain '${d}'.`, 'managed.domains');
    const auths: string[] = (b.managed.dnsAuthorizations ?? []).map((a: unknown) => this.relative(a, project, 'dnsAuthorizations'));
    for (const a of auths)
      if (!this.records.has(a)) throw cmInvalid(`DNS authorization '${a}' was not found.`, 'managed.dns_authorizations');
    if (auths.length) {
      const covered = new Set(auths.map((a) => this.records.get(a)!.body.domain));
      for (const d of domains) {
        if (!covered.has(d.replace(/^\*\./, '')))
          throw cmInvalid(
            `Domain '${d}' is not covered by any of the certificate's DNS authorizations: add one for '${d.replace(/^\*\./, '')}'.`,
            'managed.dns_authorizations',
          );
      }
    } else if (domains.some((d) => d.startsWith('*.'))) {
      throw cmInvalid('A wildcard domain needs DNS authorization: load balancer authorization cannot issue it.', 'managed.domains');
    }
    b.managed = {
      domains,
      ...(auths.length ? { dnsAuthorizations: auths } : {}),
      ...(b.managed.issuanceConfig ? { issuanceConfig: b.managed.issuanceConfig } : {}),
    };
  }

  private checkEntry(b: Json, project: string, map: string, self: string | undefined): void {
    const hasHost = typeof b.hostname === 'string' && b.hostname !== '';
    if (hasHost === (b.matcher !== undefined))
      throw cmInvalid('A certificate map entry needs exactly one of hostname and matcher.', 'hostname');
    if (b.matcher !== undefined && b.matcher !== 'PRIMARY')
      throw cmInvalid(`Invalid matcher '${b.matcher}': the only matcher is PRIMARY.`, 'matcher');
    if (hasHost) {
      b.hostname = b.hostname.toLowerCase().replace(/\.$/, '');
      if (!DOMAIN_RE.test(b.hostname)) throw cmInvalid(`Invalid hostname '${b.hostname}'.`, 'hostname');
    }
    const certs: string[] = (b.certificates ?? []).map((c: unknown) => this.relative(c, project, 'certificates'));
    if (!certs.length) throw cmInvalid('A certificate map entry needs at least one certificate.', 'certificates');
    if (certs.length > MAX_CERTS_PER_ENTRY)
      throw cmInvalid(`A certificate map entry holds at most ${MAX_CERTS_PER_ENTRY} certificates.`, 'certificates');
    for (const c of certs) if (!this.records.has(c)) throw cmInvalid(`Certificate '${c}' was not found.`, 'certificates');
    b.certificates = certs;
    for (const other of this.records.values()) {
      if (other.kind !== 'certificateMapEntries' || other.name === self || !other.name.startsWith(map + '/')) continue;
      if (hasHost && other.body.hostname === b.hostname)
        throw oneError(
          409,
          'ALREADY_EXISTS',
          `Certificate map '${map}' already has an entry for hostname '${b.hostname}': '${other.name}'.`,
        );
      if (!hasHost && other.body.matcher === 'PRIMARY')
        throw oneError(409, 'ALREADY_EXISTS', `Certificate map '${map}' already has a PRIMARY entry: '${other.name}'.`);
    }
  }

  /** A reference given as a relative name, a bare id, or a URL on any host → the relative name. */
  private relative(value: unknown, project: string, kind: 'dnsAuthorizations' | 'certificates'): string {
    const v = String(value ?? '').trim();
    const m = new RegExp(`(?:^|/)projects/([^/]+)/locations/([^/]+)/${kind}/([^/?#]+)$`).exec(v);
    if (m) return `projects/${this.store.project(m[1])?.id ?? m[1]}/locations/${m[2]}/${kind}/${m[3]}`;
    if (ID_RE.test(v)) return `projects/${project}/locations/global/${kind}/${v}`;
    throw cmInvalid(`Invalid resource name '${v}'.`, kind);
  }

  // ---- operations ----------------------------------------------------------------------------

  private operation(project: string, verb: string, target: string, response: () => Json): Json {
    const now = this.now();
    const name = `projects/${project}/locations/global/operations/operation-${now}-${randomUUID().replace(/-/g, '').slice(0, 13)}`;
    // The answer is taken when the operation ends, as Google reports the resource as it then stands.
    const op: CmOperation = { name, project, createdAt: now, doneAt: now + this.store.operationLatencyMs, verb, target };
    if (this.store.operationLatencyMs <= 0) op.response = response();
    else this.pending.set(name, response);
    this.operations.set(name, op);
    return this.renderOperation(op);
  }

  private readonly pending = new Map<string, () => Json>();

  renderOperation(op: CmOperation): Json {
    const now = this.now();
    const done = now >= op.doneAt;
    if (done && !op.response && !op.error) {
      const take = this.pending.get(op.name);
      this.pending.delete(op.name);
      op.response = take
        ? this.records.has(op.target) || op.verb === 'delete'
          ? take()
          : { '@type': 'type.googleapis.com/google.protobuf.Empty' }
        : undefined;
    }
    const out: Json = {
      name: op.name,
      metadata: {
        '@type': TYPE_PREFIX + 'OperationMetadata',
        createTime: time(op.createdAt),
        ...(done ? { endTime: time(op.doneAt) } : {}),
        target: op.target,
        verb: op.verb,
        requestedCancellation: false,
        apiVersion: 'v1',
      },
    };
    if (done) {
      out.done = true;
      if (op.error) out.error = op.error;
      else out.response = op.response;
    }
    return out;
  }

  // ---- reading -------------------------------------------------------------------------------

  private page(key: string, items: Json[], query: URLSearchParams): Json {
    const size = Math.max(1, Math.min(Number(query.get('pageSize') ?? '') || 500, 1000));
    const start = Number(query.get('pageToken') || '0') || 0;
    const slice = items.slice(start, start + size);
    const out: Json = { [key]: slice };
    if (start + size < items.length) out.nextPageToken = String(start + size);
    if (key !== 'operations') out.unreachable = [];
    return out;
  }

  render(rec: CmRecord): Json {
    const b: Json = structuredClone(rec.body);
    const out: Json = { name: rec.name, createTime: time(rec.createdAt), updateTime: time(rec.updatedAt), ...b };
    if (rec.kind === 'certificates' && b.managed) this.renderManaged(rec, out);
    if (rec.kind === 'certificateMaps') {
      const targets = this.proxiesUsing(rec.name).map((proxy) => ({
        targetHttpsProxy: `//compute.googleapis.com/${proxy.path}`,
        ipConfigs: [...this.store.compute.values()]
          .filter((r) => r.collection === 'forwardingRules' && r.body.target === canonicalUrl(proxy.path))
          .map((r) => ({ ipAddress: r.body.IPAddress, ports: [Number(String(r.body.portRange ?? '443').split('-')[0])] })),
      }));
      if (targets.length) out.gclbTargets = targets;
    }
    if (rec.kind === 'certificateMapEntries') out.state = 'ACTIVE';
    return out;
  }

  private proxiesUsing(mapName: string) {
    return [...this.store.compute.values()].filter(
      (r) => r.collection === 'targetHttpsProxies' && r.body.certificateMap === CM_HOST + mapName,
    );
  }

  /**
   * Re-checks authorizations once the store changed: on each Certificate Manager request, and when the control API
   * changes DNS, so a timer starts at the change that met it.
   */
  observe(): void {
    if (this.seenVersion === this.store.version) return;
    this.seenVersion = this.store.version;
    const now = this.now();
    for (const rec of this.records.values()) {
      if (rec.kind !== 'certificates' || !rec.body.managed) continue;
      for (const domain of rec.body.managed.domains) {
        const key = `${rec.name}|${domain}`;
        const state = this.authorized.get(key) ?? {};
        if (!state.issued) {
          const met = this.check(rec, domain).ok;
          if (met && state.since === undefined) state.since = now;
          if (!met) state.since = undefined;
        }
        this.authorized.set(key, state);
      }
    }
  }

  /** Whether one domain of a managed certificate can be authorized now, and if not, why. */
  private check(rec: CmRecord, domain: string): { ok: boolean; reason?: 'CONFIG' | 'CAA'; details?: string } {
    const base = domain.replace(/^\*\./, '');
    if (!caaAllowsGoogle(this.store, base)) {
      return {
        ok: false,
        reason: 'CAA',
        details: `CAA records of ${base} do not allow Google's certificate authorities (pki.goog, letsencrypt.org) to issue for it.`,
      };
    }
    const authName = (rec.body.managed.dnsAuthorizations ?? []).find((a: string) => this.records.get(a)?.body.domain === base);
    if (authName) {
      const record = this.records.get(authName)!.body.dnsResourceRecord;
      const found = this.store.dns.get(`${normalizeDnsName(record.name)}|CNAME`)?.values ?? [];
      if (found.some((v) => normalizeDnsName(v) === normalizeDnsName(record.data))) return { ok: true };
      return {
        ok: false,
        reason: 'CONFIG',
        details: found.length
          ? `The CNAME record ${record.name} points to ${found[0]}, not to ${record.data}.`
          : `The CNAME record ${record.name} → ${record.data} of DNS authorization ${authName} was not found.`,
      };
    }
    // Load balancer authorization: the domain's A/AAAA records must all point at a 443 rule of a proxy whose map serves it.
    const ips = this.servingIps(rec.name);
    const a = resolveChain(this.store, base, 'A');
    const aaaa = resolveChain(this.store, base, 'AAAA');
    const all = [...a, ...aaaa].map((ip) => ip.toLowerCase());
    if (all.length && ips.size && all.every((ip) => ips.has(ip))) return { ok: true };
    return {
      ok: false,
      reason: 'CONFIG',
      details: `The A and AAAA records of ${base} do not point at a load balancer that serves this certificate.`,
    };
  }

  private servingIps(certName: string): Set<string> {
    const ips = new Set<string>();
    for (const entry of this.records.values()) {
      if (entry.kind !== 'certificateMapEntries' || !(entry.body.certificates ?? []).includes(certName)) continue;
      const map = entry.name.split('/certificateMapEntries/')[0];
      for (const proxy of this.proxiesUsing(map)) {
        for (const r of this.store.compute.values()) {
          if (
            r.collection === 'forwardingRules' &&
            r.body.target === canonicalUrl(proxy.path) &&
            String(r.body.portRange ?? '')
              .split('-')
              .includes('443')
          )
            ips.add(String(r.body.IPAddress).toLowerCase());
        }
      }
    }
    return ips;
  }

  private renderManaged(rec: CmRecord, out: Json): void {
    const now = this.now();
    const attempts: Json[] = [];
    let issued = true;
    for (const domain of rec.body.managed.domains as string[]) {
      const state = this.authorized.get(`${rec.name}|${domain}`) ?? {};
      if (!state.issued && state.since !== undefined && now - state.since >= this.store.certTiming.activationDelayMs) state.issued = true;
      this.authorized.set(`${rec.name}|${domain}`, state);
      if (state.issued) {
        attempts.push({ domain, state: 'AUTHORIZED' });
        continue;
      }
      issued = false;
      const why = this.check(rec, domain);
      const failed = why.reason === 'CAA' || now - rec.createdAt >= this.store.certTiming.failNotVisibleAfterMs;
      if (why.ok || !failed) attempts.push({ domain, state: 'AUTHORIZING', ...(why.ok ? {} : { details: why.details }) });
      else attempts.push({ domain, state: 'FAILED', failureReason: why.reason, details: why.details });
    }
    const failing = attempts.filter((a) => a.state === 'FAILED');
    out.managed = {
      ...out.managed,
      state: issued ? 'ACTIVE' : 'PROVISIONING',
      authorizationAttemptInfo: attempts,
      ...(failing.length ? { provisioningIssue: { reason: 'AUTHORIZATION_ISSUE', details: failing.map((a) => a.details).join(' ') } } : {}),
    };
    if (issued) {
      out.sanDnsnames = [...rec.body.managed.domains];
      out.expireTime = new Date(rec.createdAt + 90 * 86400_000).toISOString();
    }
  }
}

const ok = (body: unknown): CmReply => ({ status: 200, body });
