// Compute Engine v1: the global external Application Load Balancer resources and their operations.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { managedStatus, refreshCertificates } from './certs';
import {
  ApiError,
  alreadyExists,
  computeForbidden,
  httpStatusText,
  inUse,
  invalidField,
  invalidName,
  notFound,
  resourceNotReady,
  ruleNotFound,
  staleFingerprint,
} from './errors';
import { canonicalUrl, parsePath, refPath, withOrigin } from './refs';
import {
  GLOBAL_COLLECTIONS,
  REGIONS,
  REGION_NAMES,
  fingerprintOf,
  googleTime,
  isCollection,
  servedIn,
  type Collection,
  type ComputeRecord,
  type FaultSpec,
  type Json,
  type OperationRecord,
  type Store,
} from './store';

export interface ComputeRequest {
  method: string;
  /** Path after /compute/v1/. */
  path: string;
  query: URLSearchParams;
  body: Json;
  /** 'http://127.0.0.1:PORT/': where this caller reaches the emulator. */
  origin: string;
  user: string;
  deniedPermissions: string[];
  /** A fault that asks for this write to fail inside its operation. */
  operationFault?: FaultSpec;
}

export interface Reply {
  status: number;
  body: unknown;
}

const NAME_RE = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const MAX_CERTS_PER_PROXY = 15;
/** How long `operations.wait` blocks at most, as Google's does. */
export const WAIT_CAP_MS = 120_000;

const KIND: Record<Collection, string> = {
  backendServices: 'backendService',
  backendBuckets: 'backendBucket',
  healthChecks: 'healthCheck',
  urlMaps: 'urlMap',
  sslCertificates: 'sslCertificate',
  targetHttpsProxies: 'targetHttpsProxy',
  targetHttpProxies: 'targetHttpProxy',
  addresses: 'address',
  forwardingRules: 'forwardingRule',
  networkEndpointGroups: 'networkEndpointGroup',
  securityPolicies: 'securityPolicy',
};
/** Google's names in "The <x> resource '…' is already being used by '…'". */
const SINGULAR: Record<Collection, string> = {
  backendServices: 'backend_service',
  backendBuckets: 'backend_bucket',
  healthChecks: 'health_check',
  urlMaps: 'url_map',
  sslCertificates: 'ssl_certificate',
  targetHttpsProxies: 'target_https_proxy',
  targetHttpProxies: 'target_http_proxy',
  addresses: 'address',
  forwardingRules: 'forwarding_rule',
  networkEndpointGroups: 'network_endpoint_group',
  securityPolicies: 'security_policy',
};
/** A few aggregated-list kinds that Google spells irregularly. */
const AGGREGATED_KIND: Partial<Record<Collection, string>> = {
  urlMaps: 'compute#urlMapsAggregatedList',
  healthChecks: 'compute#healthChecksAggregatedList',
};
const LOAD_BALANCING_SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL', 'INTERNAL_MANAGED', 'INTERNAL_SELF_MANAGED'];
/**
 * Google: "Each forwarding rule for an Application Load Balancer can reference a single port from 1-65535." A rule to a
 * target HTTPS proxy on 8443 is accepted (only a managed certificate needs a rule on 443 to provision). Without a port,
 * a rule gets its target's usual one.
 */
const DEFAULT_PORT: Partial<Record<Collection, number>> = { targetHttpsProxies: 443, targetHttpProxies: 80 };
const SINGLE_PORT_TEXT = 'Each forwarding rule for an Application Load Balancer can reference a single port from 1-65535.';
/** Cloud Armor: the default rule's priority (the lowest), which every security policy has and keeps. */
const DEFAULT_RULE_PRIORITY = 2147483647;
/** The network endpoint types of a global network endpoint group (internet NEGs). */
const GLOBAL_NEG_TYPES = ['INTERNET_FQDN_PORT', 'INTERNET_IP_PORT'];
const FQDN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const SECURITY_POLICY_TYPES = ['CLOUD_ARMOR', 'CLOUD_ARMOR_EDGE', 'CLOUD_ARMOR_NETWORK'];
/** A rule's action, as Compute v1 documents it: allow, deny(STATUS) for 403, 404 or 502, rate_based_ban, redirect, throttle. */
const RULE_ACTION_RE = /^(?:allow|deny\((?:403|404|502)\)|rate_based_ban|redirect|throttle)$/;

export class Compute {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves a proxy's `certificateMap` to its canonical form, or throws: set by whoever serves Certificate Manager. */
  certificateMapRef: (value: unknown, project: string) => string = (value) => String(value);

  /** Routes one Compute request; throws ApiError for Google's synchronous errors. */
  async handle(req: ComputeRequest): Promise<Reply> {
    const seg = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (seg[0] !== 'projects' || !seg[1]) throw new ApiError(404, 'Not Found', 'notFound');
    const project = seg[1];
    const rest = seg.slice(2);
    const m = req.method;
    const perm = (p: string, path: string) => this.checkPermission(req, `compute.${p}`, path);

    if (rest.length === 0 && m === 'GET') {
      perm('projects.get', `projects/${project}`);
      return ok(this.projectResource(project, req.origin));
    }
    if (rest[0] === 'aggregated' && rest.length === 2 && m === 'GET') {
      if (rest[1] === 'operations') return ok(this.aggregatedOperations(project, req));
      const c = asCollection(rest[1]);
      perm(`${c}.list`, `projects/${project}`);
      return ok(this.aggregatedList(project, c, req));
    }
    if (rest[0] === 'regions' && rest.length <= 2 && m === 'GET') {
      perm('regions.' + (rest.length === 1 ? 'list' : 'get'), `projects/${project}`);
      if (rest.length === 1)
        return ok(this.page('compute#regionList', `projects/${project}/regions`, REGION_NAMES, (r) => this.region(project, r), req));
      return ok(this.region(project, checkRegion(rest[1])));
    }
    // setSslCertificates / setUrlMap live at projects/P/targetHttpsProxies/N/… (no "global/").
    if ((rest[0] === 'targetHttpsProxies' || rest[0] === 'targetHttpProxies') && rest.length === 3 && m === 'POST') {
      return this.action(project, rest[0], 'global', rest[1], rest[2], req);
    }
    let scope: string, tail: string[];
    if (rest[0] === 'global') {
      scope = 'global';
      tail = rest.slice(1);
    } else if (rest[0] === 'regions' && rest.length >= 3) {
      scope = `regions/${checkRegion(rest[1])}`;
      tail = rest.slice(2);
    } else throw new ApiError(404, 'Not Found', 'notFound');

    if (tail[0] === 'operations') return this.operationsRoute(project, scope, tail.slice(1), req);
    const c = asCollection(tail[0]);
    if (!servedIn(c, scope)) throw new ApiError(404, 'Not Found', 'notFound');
    const name = tail[1];
    const base = `projects/${project}/${scope}/${c}`;
    if (tail.length === 1 && m === 'GET') {
      perm(`${c}.list`, `projects/${project}`);
      return ok(this.page(`compute#${KIND[c]}List`, base, this.records(project, c, scope), (r) => this.render(r, req.origin), req));
    }
    if (tail.length === 1 && m === 'POST') return this.insert(project, c, scope, req);
    if (tail.length === 2 && m === 'GET') {
      perm(`${c}.get`, `${base}/${name}`);
      return ok(this.render(this.get(`${base}/${name}`), req.origin));
    }
    if (tail.length === 2 && m === 'DELETE') return this.remove(`${base}/${name}`, req);
    if (tail.length === 2 && (m === 'PATCH' || m === 'PUT')) return this.modify(`${base}/${name}`, m === 'PATCH' ? 'patch' : 'update', req);
    if (tail.length === 3 && m === 'POST' && c === 'networkEndpointGroups' && scope === 'global')
      return this.negEndpoints(`${base}/${name}`, tail[2], req);
    if (tail.length === 3 && m === 'POST') return this.action(project, c, scope, name, tail[2], req);
    if (tail.length === 3 && m === 'GET' && c === 'securityPolicies' && tail[2] === 'getRule')
      return ok(this.getRule(`${base}/${name}`, req));
    throw new ApiError(404, 'Not Found', 'notFound');
  }

  // ---- reading -------------------------------------------------------------------------------

  records(project: string | undefined, c: Collection, scope?: string): ComputeRecord[] {
    return [...this.store.compute.values()]
      .filter((r) => (project === undefined || r.project === project) && r.collection === c && (scope === undefined || r.scope === scope))
      .sort((a, b) => (a.scope === b.scope ? cmp(a.name, b.name) : cmp(a.scope, b.scope)));
  }

  get(path: string): ComputeRecord {
    const rec = this.store.compute.get(path);
    if (!rec) throw notFound(path);
    return rec;
  }

  /** Google's JSON for a stored resource, with the computed fields (certificate state, address users) filled in. */
  render(rec: ComputeRecord, origin: string): Json {
    // withOrigin copies deeply: the stored body is never changed, since only top-level fields are set here.
    const body: Json = { ...rec.body };
    const now = this.now();
    if (rec.collection === 'sslCertificates' && body.type === 'MANAGED') {
      this.refreshIfChanged(now);
      const { status, domainStatus } = managedStatus(this.store, rec, now);
      body.managed = { ...body.managed, status, domainStatus };
      if (status === 'ACTIVE') {
        body.subjectAlternativeNames = [...body.managed.domains];
        body.expireTime = googleTime(rec.createdAt + 90 * 86400_000);
      }
    }
    if (rec.collection === 'addresses') {
      const users = this.rulesUsingIp(rec.project, body.address).map((r) => canonicalUrl(r.path));
      body.status = users.length ? 'IN_USE' : 'RESERVED';
      if (users.length) body.users = users;
    }
    return withOrigin(body, origin);
  }

  private lastRefreshedVersion = -1;
  private refreshIfChanged(now: number): void {
    if (this.lastRefreshedVersion === this.store.version) return;
    refreshCertificates(this.store, now);
    this.lastRefreshedVersion = this.store.version;
  }

  /** Marks a change; certificate conditions are re-checked right away so their timers start at the change. */
  changed(): void {
    this.store.version += 1;
    this.refreshIfChanged(this.now());
  }

  private rulesByIp?: { changes: number; byIp: Map<string, ComputeRecord[]> };

  /** The rules on an IP, from an index rebuilt once per change (an address list is not quadratic). */
  private rulesUsingIp(project: string, ip: string): ComputeRecord[] {
    if (this.rulesByIp?.changes !== this.store.compute.changes) {
      const byIp = new Map<string, ComputeRecord[]>();
      for (const r of this.records(undefined, 'forwardingRules'))
        byIp.set(`${r.project}|${r.body.IPAddress}`, [...(byIp.get(`${r.project}|${r.body.IPAddress}`) ?? []), r]);
      this.rulesByIp = { changes: this.store.compute.changes, byIp };
    }
    return this.rulesByIp.byIp.get(`${project}|${ip}`) ?? [];
  }

  /** One page of a list. Without a filter only the page is rendered: a list of 1,000 is not rendered twice for its two pages. */
  private page<R>(kind: string, base: string, all: R[], render: (record: R) => Json, req: ComputeRequest): Json {
    const filter = req.query.get('filter');
    const filtered: (R | Json)[] = filter ? applyFilter(all.map(render), filter) : all;
    const max = clamp(Number(req.query.get('maxResults') ?? 500) || 500, 1, 500);
    const start = decodeToken(req.query.get('pageToken'));
    const items = filter ? filtered.slice(start, start + max) : (filtered.slice(start, start + max) as R[]).map(render);
    const out: Json = { kind, id: base, selfLink: `${req.origin}compute/v1/${base}` };
    if (items.length) out.items = items;
    if (start + max < filtered.length) out.nextPageToken = encodeToken(start + max);
    return out;
  }

  private aggregatedList(project: string, c: Collection, req: ComputeRequest): Json {
    const filter = req.query.get('filter');
    const records = this.records(project, c);
    const filtered = filter
      ? records.map((r) => ({ scope: r.scope, item: this.render(r, req.origin) })).filter((x) => applyFilter([x.item], filter).length > 0)
      : records;
    const max = clamp(Number(req.query.get('maxResults') ?? 500) || 500, 1, 500);
    const start = decodeToken(req.query.get('pageToken'));
    const pageItems = filtered
      .slice(start, start + max)
      .map((x) => ('item' in x ? x : { scope: x.scope, item: this.render(x, req.origin) }));
    const items: Json = {};
    // Every scope appears, empty ones with Google's NO_RESULTS_ON_PAGE warning.
    for (const scope of ['global', ...REGION_NAMES.map((r) => `regions/${r}`)]) {
      const inScope = pageItems.filter((x) => x.scope === scope).map((x) => x.item);
      items[scope] = inScope.length
        ? { [c]: inScope }
        : {
            warning: {
              code: 'NO_RESULTS_ON_PAGE',
              message: `There are no results for scope '${scope}' on this page.`,
              data: [{ key: 'scope', value: scope }],
            },
          };
    }
    const out: Json = {
      kind: AGGREGATED_KIND[c] ?? `compute#${KIND[c]}AggregatedList`,
      id: `projects/${project}/aggregated/${c}`,
      items,
      selfLink: `${req.origin}compute/v1/projects/${project}/aggregated/${c}`,
    };
    if (start + max < filtered.length) out.nextPageToken = encodeToken(start + max);
    return out;
  }

  private projectResource(project: string, origin: string): Json {
    const spec = this.store.project(project)!;
    return {
      kind: 'compute#project',
      id: spec.number,
      name: spec.id,
      creationTimestamp: googleTime(0),
      selfLink: `${origin}compute/v1/projects/${spec.id}`,
      defaultNetworkTier: 'PREMIUM',
      xpnProjectStatus: 'UNSPECIFIED_XPN_PROJECT_STATUS',
      quotas: [{ metric: 'BACKEND_SERVICES', limit: 75, usage: this.records(project, 'backendServices').length }],
    };
  }

  private region(project: string, r: string): Json {
    return {
      kind: 'compute#region',
      id: String(1000 + REGION_NAMES.indexOf(r)),
      name: r,
      description: r,
      status: 'UP',
      selfLink: canonicalUrl(`projects/${project}/regions/${r}`),
      zones: ['a', 'b', 'c'].map((z) => canonicalUrl(`projects/${project}/zones/${r}-${z}`)),
    };
  }

  // ---- writing -------------------------------------------------------------------------------

  private checkPermission(req: ComputeRequest, permission: string, path: string): void {
    if (req.deniedPermissions.includes(permission)) throw computeForbidden(permission, path);
  }

  private insert(project: string, c: Collection, scope: string, req: ComputeRequest): Reply {
    const body: Json = req.body && typeof req.body === 'object' ? structuredClone(req.body) : {};
    const name = body.name;
    const path = `projects/${project}/${scope}/${c}/${name}`;
    this.checkPermission(req, `compute.${c}.create`, path);
    const replay = this.replayed(req);
    if (replay) return replay;
    if (typeof name !== 'string' || !NAME_RE.test(name)) throw invalidName(name);
    if (this.store.compute.has(path)) throw alreadyExists(path);
    // Output only in Google's BackendService: a policy is attached with setSecurityPolicy / setEdgeSecurityPolicy, and
    // an insert that names one creates the service without it.
    if (c === 'backendServices') {
      delete body.securityPolicy;
      delete body.edgeSecurityPolicy;
    }
    const now = this.now();
    const sent = structuredClone(body);
    const rec: ComputeRecord = { collection: c, project, scope, name, path, body, createdAt: now, readyAt: now };
    this.applyDefaults(rec, 'insert');
    this.validate(rec, undefined);
    this.keepSparse(rec, sent);
    return this.commit(
      req,
      rec,
      'insert',
      () => {
        this.store.compute.set(path, rec);
      },
      (op) => {
        rec.readyAt = op.doneAt;
      },
    );
  }

  private modify(path: string, verb: 'patch' | 'update', req: ComputeRequest): Reply {
    const parsed = parsePath(path)!;
    const c = parsed.collection as Collection;
    this.checkPermission(req, `compute.${c}.update`, path);
    const current = this.get(path);
    const supported: Collection[] =
      verb === 'update'
        ? ['backendServices', 'urlMaps', 'backendBuckets', 'healthChecks']
        : [
            'backendServices',
            'urlMaps',
            'backendBuckets',
            'healthChecks',
            'targetHttpsProxies',
            'targetHttpProxies',
            'forwardingRules',
            'securityPolicies',
          ];
    if (!supported.includes(c)) throw new ApiError(404, 'Not Found', 'notFound');
    const replay = this.replayed(req);
    if (replay) return replay;
    const body: Json = req.body && typeof req.body === 'object' ? structuredClone(req.body) : {};
    if (body.fingerprint !== undefined && body.fingerprint !== current.body.fingerprint) throw staleFingerprint();
    if (body.name !== undefined && body.name !== current.name)
      throw invalidField('resource.name', body.name, 'The name of a resource cannot be changed.');
    const keep = {
      kind: current.body.kind,
      id: current.body.id,
      creationTimestamp: current.body.creationTimestamp,
      name: current.name,
      selfLink: current.body.selfLink,
    };
    const merged: Json = verb === 'patch' ? { ...structuredClone(current.body), ...body } : { ...body };
    Object.assign(merged, keep);
    // A policy's patch "cannot be used to update the rules" (addRule, patchRule, removeRule do); a backend service's
    // attached policies are output only for its update and patch.
    if (c === 'securityPolicies') merged.rules = structuredClone(current.body.rules);
    if (c === 'backendServices') {
      for (const f of ['securityPolicy', 'edgeSecurityPolicy']) {
        if (current.body[f] === undefined) delete merged[f];
        else merged[f] = current.body[f];
      }
    }
    const sent = structuredClone(merged);
    const next: ComputeRecord = { ...current, body: merged };
    this.applyDefaults(next, verb);
    this.validate(next, current);
    this.keepSparse(next, sent);
    return this.commit(req, next, verb, () => {
      this.store.compute.set(path, next);
    });
  }

  private remove(path: string, req: ComputeRequest): Reply {
    const parsed = parsePath(path)!;
    const c = parsed.collection as Collection;
    this.checkPermission(req, `compute.${c}.delete`, path);
    const rec = this.get(path);
    const replay = this.replayed(req);
    if (replay) return replay;
    const user = this.firstUser(rec);
    if (user) throw inUse(SINGULAR[c], path, user);
    return this.commit(req, rec, 'delete', () => {
      this.store.compute.delete(path);
      this.store.certDomains.delete(path);
    });
  }

  private action(project: string, collection: string, scope: string, name: string, action: string, req: ComputeRequest): Reply {
    const c = asCollection(collection);
    const path = `projects/${project}/${scope}/${c}/${name}`;
    if (c === 'securityPolicies') return this.ruleAction(path, action, req);
    const allowed: Record<string, Collection[]> = {
      setTarget: ['forwardingRules'],
      setUrlMap: ['targetHttpsProxies', 'targetHttpProxies'],
      setSslCertificates: ['targetHttpsProxies'],
      setCertificateMap: ['targetHttpsProxies'],
      setQuicOverride: ['targetHttpsProxies'],
      setLabels: ['forwardingRules', 'addresses'],
      setSecurityPolicy: ['backendServices'],
      setEdgeSecurityPolicy: ['backendServices'],
    };
    if (!allowed[action]?.includes(c)) throw new ApiError(404, 'Not Found', 'notFound');
    this.checkPermission(req, `compute.${c}.${action}`, path);
    const current = this.get(path);
    const replay = this.replayed(req);
    if (replay) return replay;
    const body: Json = req.body ?? {};
    const next: ComputeRecord = { ...current, body: structuredClone(current.body) };
    switch (action) {
      case 'setTarget':
        next.body.target = body.target;
        break;
      case 'setUrlMap':
        next.body.urlMap = body.urlMap;
        break;
      case 'setSslCertificates':
        next.body.sslCertificates = body.sslCertificates ?? [];
        break;
      case 'setCertificateMap':
        next.body.certificateMap = body.certificateMap;
        break;
      case 'setQuicOverride':
        next.body.quicOverride = body.quicOverride;
        break;
      case 'setLabels':
        if (body.labelFingerprint !== undefined && body.labelFingerprint !== current.body.labelFingerprint) throw staleFingerprint();
        next.body.labels = body.labels ?? {};
        break;
      case 'setSecurityPolicy':
      case 'setEdgeSecurityPolicy': {
        // A null or empty reference detaches the policy (gcloud's --security-policy="" sends {}).
        const field = action === 'setSecurityPolicy' ? 'securityPolicy' : 'edgeSecurityPolicy';
        if (body.securityPolicy) {
          const policyPath = refPath(body.securityPolicy, project, { collection: 'securityPolicies' });
          if (policyPath) this.checkPermission(req, 'compute.securityPolicies.use', policyPath);
          next.body[field] = body.securityPolicy;
        } else {
          delete next.body[field];
        }
        break;
      }
    }
    const sent = structuredClone(next.body);
    this.applyDefaults(next, action);
    this.validate(next, current);
    this.keepSparse(next, sent);
    return this.commit(req, next, action, () => {
      this.store.compute.set(path, next);
    });
  }

  // ---- global network endpoint groups: attachNetworkEndpoints, detachNetworkEndpoints, listNetworkEndpoints ----

  private negEndpoints(path: string, action: string, req: ComputeRequest): Reply {
    const verbs = ['attachNetworkEndpoints', 'detachNetworkEndpoints', 'listNetworkEndpoints'];
    if (!verbs.includes(action)) throw new ApiError(404, 'Not Found', 'notFound');
    this.checkPermission(req, `compute.networkEndpointGroups.${action === 'listNetworkEndpoints' ? 'get' : action}`, path);
    const current = this.get(path);
    const endpoints = current.endpoints ?? [];
    if (action === 'listNetworkEndpoints') {
      const all = endpoints.map((e) => ({ networkEndpoint: structuredClone(e) }));
      const listed = this.page('compute#networkEndpointGroupsListNetworkEndpoints', path, all, (x) => x, req);
      delete listed.selfLink;
      return ok(listed);
    }
    const replay = this.replayed(req);
    if (replay) return replay;
    const sent: unknown[] = Array.isArray(req.body?.networkEndpoints) ? req.body.networkEndpoints : [];
    const type = current.body.networkEndpointType;
    const field = (i: number) => `resource.networkEndpoints[${i}]`;
    const given = sent.map((raw, i) => {
      if (!isPlainObject(raw)) throw invalidField(field(i), raw, 'A network endpoint must be an object.');
      const e: Json = {};
      if (raw.fqdn !== undefined) e.fqdn = raw.fqdn;
      if (raw.ipAddress !== undefined) e.ipAddress = raw.ipAddress;
      if (raw.port !== undefined) e.port = raw.port;
      if (type === 'INTERNET_FQDN_PORT') {
        if (typeof e.fqdn !== 'string' || !FQDN_RE.test(e.fqdn))
          throw invalidField(`${field(i)}.fqdn`, e.fqdn, 'A fully qualified domain name is required for this network endpoint group type.');
        if (e.ipAddress !== undefined)
          throw invalidField(`${field(i)}.ipAddress`, e.ipAddress, 'IP address is not supported for this network endpoint group type.');
      } else {
        if (typeof e.ipAddress !== 'string' || isIP(e.ipAddress) !== 4)
          throw invalidField(`${field(i)}.ipAddress`, e.ipAddress, 'An IPv4 address is required for this network endpoint group type.');
        if (e.fqdn !== undefined)
          throw invalidField(
            `${field(i)}.fqdn`,
            e.fqdn,
            'Fully qualified domain name is not supported for this network endpoint group type.',
          );
      }
      if (e.port !== undefined && (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535))
        throw invalidField(`${field(i)}.port`, e.port, 'Port must be between 1 and 65535.');
      if (e.port === undefined && current.body.defaultPort === undefined)
        throw invalidField(`${field(i)}.port`, '', 'A port is required when the network endpoint group has no default port.');
      return e;
    });
    if (!given.length) throw invalidField('resource.networkEndpoints', '', 'At least one network endpoint must be specified.');
    const same = (a: Json, b: Json) => a.fqdn === b.fqdn && a.ipAddress === b.ipAddress && a.port === b.port;
    let next: Json[];
    if (action === 'attachNetworkEndpoints') {
      for (const [i, e] of given.entries()) {
        if (endpoints.some((x) => same(x, e)) || given.slice(0, i).some((x) => same(x, e)))
          throw invalidField(field(i), e, 'The network endpoint already exists in the network endpoint group.');
      }
      next = [...endpoints, ...given];
      // Google's global internet NEGs hold a single endpoint (load balancing documentation; not in the API definitions).
      if (next.length > 1)
        throw invalidField(
          'resource.networkEndpoints',
          '',
          'A global internet network endpoint group can have at most one network endpoint.',
        );
    } else {
      for (const [i, e] of given.entries())
        if (!endpoints.some((x) => same(x, e)))
          throw invalidField(field(i), e, 'The network endpoint is not in the network endpoint group.');
      next = endpoints.filter((x) => !given.some((e) => same(x, e)));
    }
    const rec: ComputeRecord = { ...current, body: { ...structuredClone(current.body), size: next.length }, endpoints: next };
    return this.commit(req, rec, action, () => {
      this.store.compute.set(path, rec);
    });
  }

  /** getRule: the rule at `priority` (0, the field's default, when the query has none). */
  private getRule(path: string, req: ComputeRequest): Json {
    this.checkPermission(req, 'compute.securityPolicies.get', path);
    const policy = this.get(path);
    const priority = queryPriority(req.query.get('priority'));
    const rule = (policy.body.rules ?? []).find((r: Json) => r.priority === priority);
    if (!rule) throw ruleNotFound(path, priority);
    return withOrigin(structuredClone(rule), req.origin);
  }

  /**
   * addRule, patchRule, removeRule: each rewrites the policy (a new fingerprint) in one operation. Google names those
   * operations AddRule, PatchRule and RemoveRule (so recorded), unlike the lower-case insert, patch and delete.
   */
  private ruleAction(path: string, action: string, req: ComputeRequest): Reply {
    const operationType: Record<string, string> = { addRule: 'AddRule', patchRule: 'PatchRule', removeRule: 'RemoveRule' };
    if (!operationType[action]) throw new ApiError(404, 'Not Found', 'notFound');
    // Google has no per-rule permissions: changing a rule is updating the policy.
    this.checkPermission(req, 'compute.securityPolicies.update', path);
    const current = this.get(path);
    const replay = this.replayed(req);
    if (replay) return replay;
    const body: Json = req.body && typeof req.body === 'object' ? structuredClone(req.body) : {};
    const next: ComputeRecord = { ...current, body: structuredClone(current.body) };
    const rules: Json[] = next.body.rules ?? [];
    const at = (priority: unknown) => rules.findIndex((r) => r.priority === priority);
    if (action === 'addRule') {
      const rule = normaliseRule(body);
      validateRule(rule, 'resource');
      if (at(rule.priority) >= 0) throw samePriorities('resource.priority', rule.priority);
      rules.push(rule);
    } else if (action === 'patchRule') {
      const priority = queryPriority(req.query.get('priority'));
      const i = at(priority);
      if (i < 0) throw ruleNotFound(path, priority);
      const { kind: _kind, ...fields } = body;
      const patched: Json = { ...rules[i], ...fields };
      // updateMask names the fields to clear (gcloud sends e.g. redirect_options).
      for (const mask of (req.query.get('updateMask') ?? '')
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean))
        clearField(patched, mask, fields);
      const rule = normaliseRule(patched);
      validateRule(rule, 'resource');
      if (rule.priority !== priority) {
        if (priority === DEFAULT_RULE_PRIORITY)
          throw invalidField('resource.priority', String(rule.priority), 'The priority of the default rule cannot be changed.');
        if (at(rule.priority) >= 0) throw samePriorities('resource.priority', rule.priority);
      }
      rules[i] = rule;
    } else {
      const priority = queryPriority(req.query.get('priority'));
      if (priority === DEFAULT_RULE_PRIORITY)
        throw invalidField('priority', String(priority), 'The default rule of a security policy cannot be removed.');
      const i = at(priority);
      if (i < 0) throw ruleNotFound(path, priority);
      rules.splice(i, 1);
    }
    next.body.rules = rules;
    const sent = structuredClone(next.body);
    this.applyDefaults(next, action);
    this.validate(next, current);
    this.keepSparse(next, sent);
    return this.commit(req, next, operationType[action], () => {
      this.store.compute.set(path, next);
    });
  }

  /** The same requestId within a run answers with the operation it started (Google's idempotent retries). */
  private replayed(req: ComputeRequest): Reply | undefined {
    const id = req.query.get('requestId');
    const opKey = id ? this.store.requestIds.get(id) : undefined;
    const op = opKey ? this.store.operations.get(opKey) : undefined;
    return op ? ok(this.renderOperation(op, req.origin)) : undefined;
  }

  private commit(req: ComputeRequest, rec: ComputeRecord, type: string, apply: () => void, after?: (op: OperationRecord) => void): Reply {
    const now = this.now();
    const latency = this.store.operationLatencyMs;
    const fault = req.operationFault;
    const op: OperationRecord = {
      id: this.store.nextId(),
      name: this.store.newOperationName(),
      project: rec.project,
      scope: rec.scope,
      operationType: type,
      targetPath: rec.path,
      targetId: String(rec.body.id ?? ''),
      user: req.user,
      insertedAt: now,
      startedAt: now + Math.round(latency * 0.2),
      doneAt: now + latency,
    };
    if (fault) {
      const status = fault.status ?? 400;
      op.error = {
        code: camelToUpperSnake(fault.reason ?? 'invalid'),
        message: fault.message ?? 'The operation failed.',
        httpStatus: status,
      };
    } else {
      apply();
      this.changed();
    }
    after?.(op);
    this.store.operations.set(opKey(op), op);
    const id = req.query.get('requestId');
    if (id) this.store.requestIds.set(id, opKey(op));
    return ok(this.renderOperation(op, req.origin));
  }

  /** Fills in what Google adds on write: kind, id, timestamps, selfLink, defaults, fingerprints; references made canonical. */
  applyDefaults(rec: ComputeRecord, verb: string): void {
    const b = rec.body;
    const p = rec.project;
    const region = rec.scope.startsWith('regions/') ? rec.scope.slice('regions/'.length) : undefined;
    b.kind = `compute#${KIND[rec.collection]}`;
    b.id ??= this.store.nextId();
    b.creationTimestamp ??= googleTime(rec.createdAt);
    b.name = rec.name;
    b.selfLink = canonicalUrl(rec.path);
    const ref = (v: unknown, c?: Collection, r?: string): string | undefined => {
      const path = refPath(v, p, c ? { collection: c, region: r } : undefined);
      return path ? canonicalUrl(path) : typeof v === 'string' && v ? v : undefined;
    };
    switch (rec.collection) {
      case 'networkEndpointGroups':
        if (region) {
          b.region = canonicalUrl(`projects/${p}/regions/${region}`);
          b.networkEndpointType ??= 'GCE_VM_IP_PORT';
        }
        b.size ??= 0;
        break;
      case 'backendServices': {
        b.loadBalancingScheme ??= 'EXTERNAL';
        b.protocol ??= 'HTTP';
        b.port ??= 80;
        b.portName ??= 'http';
        b.timeoutSec ??= 30;
        b.sessionAffinity ??= 'NONE';
        b.affinityCookieTtlSec ??= 0;
        b.connectionDraining ??= { drainingTimeoutSec: 0 };
        b.enableCDN ??= false;
        if (b.enableCDN && !b.cdnPolicy) {
          b.cdnPolicy = {
            cacheKeyPolicy: { includeHost: true, includeProtocol: true, includeQueryString: true },
            signedUrlCacheMaxAgeSec: '3600',
            cacheMode: 'CACHE_ALL_STATIC',
            defaultTtl: 3600,
            maxTtl: 86400,
            clientTtl: 3600,
            negativeCaching: false,
            serveWhileStale: 0,
          };
        }
        b.backends = (b.backends ?? []).map((be: Json) => {
          const group = refPath(be.group, p);
          const out: Json = { ...be, group: group ? canonicalUrl(group) : be.group };
          out.balancingMode ??= 'UTILIZATION';
          out.capacityScaler ??= 1;
          return out;
        });
        if (!b.backends.length) delete b.backends;
        if (b.healthChecks) b.healthChecks = b.healthChecks.map((h: unknown) => ref(h, 'healthChecks'));
        for (const f of ['securityPolicy', 'edgeSecurityPolicy']) {
          if (b[f]) b[f] = ref(b[f], 'securityPolicies');
          else delete b[f];
        }
        break;
      }
      case 'backendBuckets':
        b.enableCdn ??= false;
        break;
      case 'healthChecks':
        b.type ??= 'HTTP';
        b.checkIntervalSec ??= 5;
        b.timeoutSec ??= 5;
        b.healthyThreshold ??= 2;
        b.unhealthyThreshold ??= 2;
        break;
      case 'urlMaps': {
        const svc = (v: unknown) => ref(v, this.isBucket(v, p) ? 'backendBuckets' : 'backendServices');
        if (b.defaultService) b.defaultService = svc(b.defaultService);
        if (b.defaultUrlRedirect) {
          b.defaultUrlRedirect = { redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false, ...b.defaultUrlRedirect };
        }
        for (const pm of b.pathMatchers ?? []) {
          if (pm.defaultService) pm.defaultService = svc(pm.defaultService);
          for (const pr of pm.pathRules ?? []) if (pr.service) pr.service = svc(pr.service);
          for (const rr of pm.routeRules ?? []) if (rr.service) rr.service = svc(rr.service);
        }
        break;
      }
      case 'sslCertificates':
        if (verb === 'insert') {
          b.type ??= b.managed ? 'MANAGED' : 'SELF_MANAGED';
          if (b.type === 'MANAGED') b.managed = { domains: [...(b.managed?.domains ?? [])] };
        }
        break;
      case 'targetHttpsProxies':
        if (b.urlMap) b.urlMap = ref(b.urlMap, 'urlMaps');
        b.sslCertificates = (b.sslCertificates ?? []).map((s: unknown) => ref(s, 'sslCertificates'));
        if (!b.sslCertificates.length) delete b.sslCertificates;
        b.quicOverride ??= 'NONE';
        break;
      case 'targetHttpProxies':
        if (b.urlMap) b.urlMap = ref(b.urlMap, 'urlMaps');
        break;
      case 'addresses':
        b.ipVersion ??= 'IPV4';
        b.addressType ??= 'EXTERNAL';
        b.networkTier ??= 'PREMIUM';
        b.labelFingerprint ??= fingerprintOf({});
        break;
      case 'forwardingRules': {
        if (b.target) b.target = ref(b.target);
        b.loadBalancingScheme ??= 'EXTERNAL';
        b.IPProtocol ??= 'TCP';
        b.networkTier ??= 'PREMIUM';
        b.labelFingerprint ??= fingerprintOf(b.labels ?? {});
        const portText = b.portRange ?? (Array.isArray(b.ports) && b.ports.length ? String(b.ports[0]) : undefined);
        if (portText !== undefined) b.portRange = /-/.test(String(portText)) ? String(portText) : `${portText}-${portText}`;
        delete b.ports;
        break;
      }
      case 'securityPolicies': {
        b.type ??= 'CLOUD_ARMOR';
        b.labelFingerprint ??= fingerprintOf(b.labels ?? {});
        const rules: Json[] = (Array.isArray(b.rules) ? b.rules : []).map(normaliseRule);
        // Google: "If no rules are provided when creating a security policy, a default rule with action "allow" will be added."
        if (!rules.some((r) => r.priority === DEFAULT_RULE_PRIORITY)) rules.push(defaultRule());
        b.rules = rules.sort((x, y) => x.priority - y.priority);
        break;
      }
    }
    if (
      [
        'backendServices',
        'urlMaps',
        'targetHttpsProxies',
        'targetHttpProxies',
        'forwardingRules',
        'healthChecks',
        'backendBuckets',
        'securityPolicies',
      ].includes(rec.collection)
    ) {
      const { fingerprint: _old, ...content } = b;
      b.fingerprint = fingerprintOf(content);
    }
  }

  /** In sparse mode, a written resource keeps only what its writer sent (as Google normalised it) and the output fields. */
  keepSparse(rec: ComputeRecord, sent: Json): void {
    if (this.store.sparse) rec.body = sparseBody(rec.collection, sent, rec.body);
  }

  private isBucket(v: unknown, project: string): boolean {
    const path = refPath(v, project);
    return !!path && path.includes('/backendBuckets/');
  }

  /** Google's synchronous checks (4xx before any operation starts). */
  private validate(rec: ComputeRecord, before: ComputeRecord | undefined): void {
    const b = rec.body;
    const p = rec.project;
    const must = (field: string, value: unknown, c: Collection | Collection[]): ComputeRecord => {
      const path = refPath(value, p);
      const kinds = Array.isArray(c) ? c : [c];
      const parsed = path ? parsePath(path) : undefined;
      if (!path || !parsed || !kinds.includes(parsed.collection as Collection)) {
        throw invalidField(field, value, `The URL is malformed.`);
      }
      const target = this.store.compute.get(path);
      if (!target) throw notFound(path);
      if (target.readyAt > this.now() && target !== before) throw resourceNotReady(path);
      return target;
    };
    switch (rec.collection) {
      case 'networkEndpointGroups': {
        const type = b.networkEndpointType;
        if (rec.scope === 'global') {
          if (!GLOBAL_NEG_TYPES.includes(type))
            throw invalidField(
              'resource.networkEndpointType',
              type,
              `A global network endpoint group must be of type ${GLOBAL_NEG_TYPES.join(' or ')}.`,
            );
          if (b.defaultPort !== undefined && (!Number.isInteger(b.defaultPort) || b.defaultPort < 1 || b.defaultPort > 65535))
            throw invalidField('resource.defaultPort', b.defaultPort, 'Port must be between 1 and 65535.');
          for (const f of ['network', 'subnetwork', 'cloudRun', 'appEngine', 'cloudFunction', 'serverlessDeployment'])
            if (b[f] !== undefined) throw invalidField(`resource.${f}`, b[f], `${f} is not supported for a global network endpoint group.`);
          break;
        }
        if (type === 'SERVERLESS') {
          const targets = ['cloudRun', 'appEngine', 'cloudFunction', 'serverlessDeployment'].filter((k) => b[k]);
          if (targets.length !== 1) {
            throw invalidField(
              'resource.networkEndpointType',
              type,
              'Exactly one of cloudRun, appEngine, cloudFunction or serverlessDeployment must be set for a serverless network endpoint group.',
            );
          }
          if (b.cloudRun && !b.cloudRun.service && !b.cloudRun.urlMask)
            throw invalidField('resource.cloudRun.service', '', 'Either service or urlMask must be set.');
        }
        break;
      }
      case 'backendServices': {
        if (!LOAD_BALANCING_SCHEMES.includes(b.loadBalancingScheme))
          throw invalidField('resource.loadBalancingScheme', b.loadBalancingScheme, 'Unknown load balancing scheme.');
        const groups: ComputeRecord[] = (b.backends ?? []).map((be: Json, i: number) =>
          must(`resource.backends[${i}].group`, be.group, 'networkEndpointGroups'),
        );
        for (const [i, h] of (b.healthChecks ?? []).entries()) must(`resource.healthChecks[${i}]`, h, 'healthChecks');
        const seen = new Set<string>();
        for (const [i, g] of groups.entries()) {
          if (seen.has(g.path)) throw invalidField(`resource.backends[${i}].group`, canonicalUrl(g.path), 'Duplicate backend group.');
          seen.add(g.path);
        }
        // IAP and Cloud CDN are incompatible on one backend service (IAP's documentation). Google's error text for this
        // is not in its API definitions or the SDK: the message below is the emulator's own, in Google's invalid-field form.
        if (b.iap?.enabled === true && b.enableCDN === true) {
          const cdnAdded = before?.body.iap?.enabled === true && before.body.enableCDN !== true;
          throw invalidField(
            cdnAdded ? 'resource.enableCDN' : 'resource.iap.enabled',
            'true',
            'Identity-Aware Proxy (IAP) and Cloud CDN cannot both be enabled on a backend service.',
          );
        }
        const serverless = groups.filter((g) => g.body.networkEndpointType === 'SERVERLESS');
        if (serverless.length) this.checkServerlessBackend(b, groups);
        else if (groups.some((g) => g.scope === 'global')) this.checkInternetBackend(b, groups);
        if (before) this.checkSchemeStillMatches(rec);
        for (const f of ['securityPolicy', 'edgeSecurityPolicy']) {
          if (!b[f]) continue;
          const policy = must(`resource.${f}`, b[f], 'securityPolicies');
          const type = policy.body.type ?? 'CLOUD_ARMOR';
          const wanted = f === 'securityPolicy' ? 'CLOUD_ARMOR' : 'CLOUD_ARMOR_EDGE';
          if (type !== wanted) {
            throw invalidField(
              `resource.${f}`,
              canonicalUrl(policy.path),
              `A security policy of type ${type} cannot be the ${f === 'securityPolicy' ? 'security policy' : 'edge security policy'} of a backend service; it needs type ${wanted}.`,
            );
          }
        }
        break;
      }
      case 'urlMaps': {
        if (!b.defaultService && !b.defaultUrlRedirect && !b.defaultRouteAction) {
          throw invalidField(
            'resource.defaultService',
            '',
            'A URL map must have a default service, a default URL redirect or a default route action.',
          );
        }
        if (b.defaultService && b.defaultUrlRedirect)
          throw invalidField('resource.defaultUrlRedirect', '', 'A URL map cannot have both a default service and a default URL redirect.');
        const services: Collection[] = ['backendServices', 'backendBuckets'];
        if (b.defaultService) must('resource.defaultService', b.defaultService, services);
        const matchers = new Set<string>();
        for (const [i, pm] of (b.pathMatchers ?? []).entries()) {
          if (matchers.has(pm.name)) throw invalidField(`resource.pathMatchers[${i}].name`, pm.name, 'Duplicate path matcher name.');
          matchers.add(pm.name);
          if (pm.defaultService) must(`resource.pathMatchers[${i}].defaultService`, pm.defaultService, services);
          for (const [j, pr] of (pm.pathRules ?? []).entries())
            if (pr.service) must(`resource.pathMatchers[${i}].pathRules[${j}].service`, pr.service, services);
          for (const [j, rr] of (pm.routeRules ?? []).entries())
            if (rr.service) must(`resource.pathMatchers[${i}].routeRules[${j}].service`, rr.service, services);
        }
        for (const [i, hr] of (b.hostRules ?? []).entries()) {
          if (!matchers.has(hr.pathMatcher))
            throw invalidField(
              `resource.hostRules[${i}].pathMatcher`,
              hr.pathMatcher,
              `Path matcher '${hr.pathMatcher}' does not exist in this URL map.`,
            );
          if (!Array.isArray(hr.hosts) || !hr.hosts.length)
            throw invalidField(`resource.hostRules[${i}].hosts`, '', 'A host rule needs at least one host.');
        }
        if (before) this.checkSchemeStillMatches(rec);
        break;
      }
      case 'sslCertificates': {
        if (b.type === 'MANAGED') {
          const domains: unknown[] = b.managed.domains;
          if (!domains.length)
            throw invalidField('resource.managed.domains', '', 'At least one domain must be specified for a managed certificate.');
          if (domains.length > 100)
            throw invalidField('resource.managed.domains', '', 'A managed certificate supports at most 100 domains.');
          for (const [i, d] of domains.entries()) {
            if (typeof d !== 'string' || !/^(?=.{1,253}$)([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$/i.test(d)) {
              throw invalidField(`resource.managed.domains[${i}]`, d, 'Invalid domain name.');
            }
          }
        } else {
          if (!b.certificate) throw invalidField('resource.certificate', '', 'The SSL certificate is missing.');
          if (!b.privateKey) throw invalidField('resource.privateKey', '', 'The SSL key is missing.');
          let x509: X509Certificate;
          try {
            x509 = new X509Certificate(b.certificate);
          } catch {
            throw invalidField('resource.certificate', '', 'The SSL certificate could not be parsed.');
          }
          b.subjectAlternativeNames = (x509.subjectAltName ?? '')
            .split(',')
            .map((s) => s.trim().replace(/^DNS:/, ''))
            .filter(Boolean);
          b.expireTime = googleTime(Date.parse(x509.validTo));
          delete b.privateKey; // never returned
        }
        break;
      }
      case 'targetHttpsProxies': {
        if (!b.urlMap) throw invalidField('resource.urlMap', '', 'A target HTTPS proxy must reference a URL map.');
        must('resource.urlMap', b.urlMap, 'urlMaps');
        const certs: string[] = b.sslCertificates ?? [];
        if (!certs.length && !b.certificateMap)
          throw invalidField(
            'resource.sslCertificates',
            '',
            'At least one SSL certificate or a certificate map must be specified for a target HTTPS proxy.',
          );
        if (certs.length > MAX_CERTS_PER_PROXY)
          throw invalidField(
            'resource.sslCertificates',
            '',
            `A target HTTPS proxy supports at most ${MAX_CERTS_PER_PROXY} SSL certificates.`,
          );
        certs.forEach((s, i) => must(`resource.sslCertificates[${i}]`, s, 'sslCertificates'));
        if (b.certificateMap) b.certificateMap = this.certificateMapRef(b.certificateMap, p);
        else delete b.certificateMap;
        if (before) this.checkSchemeStillMatches(rec);
        break;
      }
      case 'targetHttpProxies':
        if (!b.urlMap) throw invalidField('resource.urlMap', '', 'A target HTTP proxy must reference a URL map.');
        must('resource.urlMap', b.urlMap, 'urlMaps');
        if (before) this.checkSchemeStillMatches(rec);
        break;
      case 'addresses':
        if (!['IPV4', 'IPV6'].includes(b.ipVersion)) throw invalidField('resource.ipVersion', b.ipVersion, 'Unknown IP version.');
        if (b.address !== undefined) {
          const v = isIP(String(b.address));
          if (v === 0 || (v === 6) !== (b.ipVersion === 'IPV6')) throw invalidField('resource.address', b.address, 'Invalid IP address.');
          const taken = this.records(rec.project, 'addresses').find((a) => a.body.address === b.address && a.path !== rec.path);
          if (taken) throw invalidField('resource.address', b.address, `The IP address is already reserved by '${taken.path}'.`);
        } else {
          b.address = b.ipVersion === 'IPV6' ? this.store.nextIpv6() : this.store.nextIpv4();
        }
        b.status = 'RESERVED';
        break;
      case 'forwardingRules':
        this.validateForwardingRule(rec, must);
        break;
      case 'securityPolicies': {
        if (!SECURITY_POLICY_TYPES.includes(b.type))
          throw invalidField('resource.type', b.type, `The type must be one of ${SECURITY_POLICY_TYPES.join(', ')}.`);
        // Google: the type "can be set only at resource creation time".
        if (before && b.type !== (before.body.type ?? 'CLOUD_ARMOR'))
          throw invalidField('resource.type', b.type, 'The type of a security policy can only be set when it is created.');
        const seen = new Set<number>();
        for (const [i, r] of b.rules.entries()) {
          validateRule(r, `resource.rules[${i}]`);
          if (seen.has(r.priority)) throw samePriorities(`resource.rules[${i}].priority`, r.priority);
          seen.add(r.priority);
          const ranges = r.match.config?.srcIpRanges;
          if (r.priority === DEFAULT_RULE_PRIORITY && r.match.versionedExpr && !(ranges.length === 1 && ranges[0] === '*')) {
            throw invalidField(
              `resource.rules[${i}].match.config.srcIpRanges`,
              ranges.join(','),
              "The default rule (priority 2147483647) must match all traffic: srcIpRanges ['*'].",
            );
          }
        }
        break;
      }
      default:
        break;
    }
  }

  // Global internet NEGs serve global external Application Load Balancers only, without health checks; a backend service
  // does not mix them with other kinds of backend.
  private checkInternetBackend(b: Json, groups: ComputeRecord[]): void {
    const scheme = schemeOf(b);
    if (scheme !== 'EXTERNAL' && scheme !== 'EXTERNAL_MANAGED')
      throw invalidField(
        'resource.loadBalancingScheme',
        scheme,
        'Global internet network endpoint groups can only be backends of an external Application Load Balancer.',
      );
    if ((b.healthChecks ?? []).length)
      throw invalidField(
        'resource.healthChecks',
        '',
        'A backend service cannot have a healthcheck with internet network endpoint group backends.',
      );
    for (const [i, g] of groups.entries()) {
      if (!GLOBAL_NEG_TYPES.includes(g.body.networkEndpointType) || g.scope !== 'global')
        throw invalidField(
          `resource.backends[${i}].group`,
          canonicalUrl(g.path),
          'A backend service with internet network endpoint groups cannot have other backends.',
        );
    }
  }

  // Serverless NEG backends take Google's defaults only. gcloud's `backend-services create` sends no portName, timeoutSec
  // or health check for this seed; `add-backend` PUTs the resource back whole, including the defaults Google filled in
  // (portName "http", timeoutSec 30, balancingMode UTILIZATION, capacityScaler 1), so those values must pass; Google
  // refuses anything else ("Timeout sec is not supported …" for timeoutSec 120, verbatim).
  private checkServerlessBackend(b: Json, groups: ComputeRecord[]): void {
    const why = (what: string) => `${what} is not supported for a backend service with Serverless network endpoint groups.`;
    if ((b.healthChecks ?? []).length) {
      throw invalidField(
        'resource.healthChecks',
        '',
        'A backend service cannot have a healthcheck with Serverless network endpoint group backends.',
      );
    }
    if (b.timeoutSec !== undefined && b.timeoutSec !== 30)
      throw invalidField('resource.timeoutSec', String(b.timeoutSec), why('Timeout sec'));
    if (b.portName !== undefined && b.portName !== 'http') throw invalidField('resource.portName', b.portName, why('Port name'));
    const capacity = [
      'maxUtilization',
      'maxRate',
      'maxRatePerInstance',
      'maxRatePerEndpoint',
      'maxConnections',
      'maxConnectionsPerInstance',
      'maxConnectionsPerEndpoint',
    ];
    const regions = new Map<string, number>();
    for (const [i, be] of (b.backends ?? []).entries()) {
      if (be.balancingMode !== undefined && be.balancingMode !== 'UTILIZATION')
        throw invalidField(`resource.backends[${i}].balancingMode`, be.balancingMode, why('Balancing mode'));
      if (be.capacityScaler !== undefined && be.capacityScaler !== 1)
        throw invalidField(`resource.backends[${i}].capacityScaler`, String(be.capacityScaler), why('Capacity scaler'));
      for (const f of capacity)
        if (be[f] !== undefined) throw invalidField(`resource.backends[${i}].${f}`, String(be[f]), why('Capacity setting'));
      const g = groups[i];
      if (g.body.networkEndpointType !== 'SERVERLESS') {
        throw invalidField(
          `resource.backends[${i}].group`,
          canonicalUrl(g.path),
          'A backend service with Serverless network endpoint groups cannot have other backends.',
        );
      }
      const region = g.scope;
      if (regions.has(region)) {
        throw invalidField(
          `resource.backends[${i}].group`,
          canonicalUrl(g.path),
          `A backend service can have at most one Serverless network endpoint group per region (${region.slice(8)}).`,
        );
      }
      regions.set(region, i);
    }
  }

  private validateForwardingRule(
    rec: ComputeRecord,
    must: (field: string, value: unknown, c: Collection | Collection[]) => ComputeRecord,
  ): void {
    const b = rec.body;
    if (!LOAD_BALANCING_SCHEMES.includes(b.loadBalancingScheme))
      throw invalidField('resource.loadBalancingScheme', b.loadBalancingScheme, 'Unknown load balancing scheme.');
    if (!b.target) throw invalidField('resource.target', '', 'A global forwarding rule must have a target.');
    const target = must('resource.target', b.target, ['targetHttpsProxies', 'targetHttpProxies']);
    const fallback = DEFAULT_PORT[target.collection] ?? 443;
    if (!b.portRange) b.portRange = `${fallback}-${fallback}`;
    const range = /^(\d{1,5})-(\d{1,5})$/.exec(String(b.portRange));
    const lo = range ? Number(range[1]) : NaN;
    if (!range || lo !== Number(range[2]) || lo < 1 || lo > 65535) {
      throw invalidField(
        'resource.portRange',
        b.portRange,
        `Port range ${b.portRange} is not allowed for a forwarding rule to a ${SINGULAR[target.collection]}. ${SINGLE_PORT_TEXT}`,
      );
    }
    b.portRange = `${lo}-${lo}`;
    // The address: a reference to a reserved address, a literal IP of one, or nothing (an ephemeral IP).
    const addressPath = refPath(b.IPAddress, rec.project, { collection: 'addresses' });
    if (b.IPAddress && isIP(String(b.IPAddress)) === 0) {
      if (!addressPath || !addressPath.includes('/addresses/'))
        throw invalidField('resource.IPAddress', b.IPAddress, 'Invalid IP address or address reference.');
      const address = must('resource.IPAddress', b.IPAddress, 'addresses');
      b.IPAddress = address.body.address;
    } else if (b.IPAddress) {
      const reserved = this.records(rec.project, 'addresses').find((a) => a.body.address === b.IPAddress);
      if (!reserved) throw invalidField('resource.IPAddress', b.IPAddress, 'Specified IP address is not reserved in this project.');
    } else {
      b.IPAddress = b.ipVersion === 'IPV6' ? this.store.nextIpv6() : this.store.nextIpv4();
    }
    if (String(b.IPAddress).includes(':')) b.ipVersion = 'IPV6';
    const clash = this.records(rec.project, 'forwardingRules').find(
      (r) => r.path !== rec.path && r.body.IPAddress === b.IPAddress && r.body.portRange === b.portRange,
    );
    if (clash) throw invalidField('resource.IPAddress', b.IPAddress, 'Specified IP address is in-use and would result in a conflict.');
    this.checkScheme(schemeOf(b), target);
  }

  /** The rule's scheme must equal every backend service's behind its target (design.md §1; verbatim message). */
  private checkScheme(ruleScheme: string, target: ComputeRecord): void {
    for (const bs of this.backendServicesBehind(target)) {
      if (schemeOf(bs.body) !== ruleScheme) {
        throw invalidField(
          'resource.backendService',
          '',
          `Load balancing scheme ${ruleScheme} does not match the backend service load balancing scheme ${schemeOf(bs.body)}.`,
        );
      }
    }
  }

  /** After a change to a proxy, URL map or backend service, the rules in front of it must still agree on the scheme. */
  private checkSchemeStillMatches(changed: ComputeRecord): void {
    const overlay = (r: ComputeRecord) => (r.path === changed.path ? changed : r);
    for (const rule of this.records(changed.project, 'forwardingRules')) {
      const targetPath = refPath(rule.body.target, rule.project);
      const target = targetPath ? this.store.compute.get(targetPath) : undefined;
      if (!target) continue;
      const services = this.backendServicesBehind(overlay(target), overlay);
      for (const bs of services) {
        if (schemeOf(bs.body) !== schemeOf(rule.body)) {
          throw invalidField(
            'resource.loadBalancingScheme',
            schemeOf(bs.body),
            `Load balancing scheme ${schemeOf(rule.body)} of forwarding rule '${rule.path}' does not match the backend service load balancing scheme ${schemeOf(bs.body)}.`,
          );
        }
      }
    }
  }

  private backendServicesBehind(target: ComputeRecord, overlay: (r: ComputeRecord) => ComputeRecord = (r) => r): ComputeRecord[] {
    const mapPath = refPath(target.body.urlMap, target.project);
    const map = mapPath ? this.store.compute.get(mapPath) : undefined;
    if (!map) return [];
    const m = overlay(map).body;
    const refs: unknown[] = [m.defaultService];
    for (const pm of m.pathMatchers ?? []) {
      refs.push(pm.defaultService);
      for (const pr of pm.pathRules ?? []) refs.push(pr.service);
      for (const rr of pm.routeRules ?? []) refs.push(rr.service);
    }
    const out: ComputeRecord[] = [];
    for (const r of refs) {
      const path = refPath(r, target.project);
      const rec = path ? this.store.compute.get(path) : undefined;
      if (rec && rec.collection === 'backendServices' && !out.includes(rec)) out.push(overlay(rec));
    }
    return out;
  }

  /** The first resource that still references `rec`, as Google names it in resourceInUseByAnotherResource. */
  private firstUser(rec: ComputeRecord): string | undefined {
    if (rec.collection === 'addresses') return this.rulesUsingIp(rec.project, rec.body.address)[0]?.path;
    const url = canonicalUrl(rec.path);
    for (const other of this.store.compute.values()) {
      if (other.project !== rec.project || other === rec) continue;
      if (referencesOf(other).includes(url)) return other.path;
    }
    return undefined;
  }

  // ---- operations ----------------------------------------------------------------------------

  private async operationsRoute(project: string, scope: string, tail: string[], req: ComputeRequest): Promise<Reply> {
    const collection = scope === 'global' ? 'globalOperations' : 'regionOperations';
    const base = `projects/${project}/${scope}/operations`;
    if (tail.length === 0 && req.method === 'GET') {
      this.checkPermission(req, `compute.${collection}.list`, `projects/${project}`);
      const ops = [...this.store.operations.values()]
        .filter((o) => o.project === project && o.scope === scope)
        .sort((a, b) => a.insertedAt - b.insertedAt);
      // Google honours orderBy on creationTimestamp (newest first with "desc").
      if (/^\s*creationTimestamp\s+desc\s*$/i.test(req.query.get('orderBy') ?? '')) ops.reverse();
      return ok(this.page('compute#operationList', base, ops, (o) => this.renderOperation(o, req.origin), req));
    }
    const op = this.store.operations.get(`${base}/${tail[0]}`);
    if (tail.length === 1 && req.method === 'DELETE') {
      this.checkPermission(req, `compute.${collection}.delete`, `${base}/${tail[0]}`);
      if (!op) throw notFound(`${base}/${tail[0]}`);
      this.store.operations.delete(`${base}/${tail[0]}`);
      return { status: 204, body: undefined };
    }
    if (tail.length === 1 && req.method === 'GET') {
      this.checkPermission(req, `compute.${collection}.get`, `${base}/${tail[0]}`);
      if (!op) throw notFound(`${base}/${tail[0]}`);
      return ok(this.renderOperation(op, req.origin));
    }
    if (tail.length === 2 && tail[1] === 'wait' && req.method === 'POST') {
      this.checkPermission(req, `compute.${collection}.get`, `${base}/${tail[0]}`);
      if (!op) throw notFound(`${base}/${tail[0]}`);
      const remaining = op.doneAt - this.now();
      // A timer may fire a millisecond early: without the extra one, wait could answer RUNNING just before DONE.
      if (remaining > 0) await new Promise((r) => setTimeout(r, Math.min(remaining + 1, WAIT_CAP_MS)));
      return ok(this.renderOperation(op, req.origin));
    }
    throw new ApiError(404, 'Not Found', 'notFound');
  }

  private aggregatedOperations(project: string, req: ComputeRequest): Json {
    const items: Json = {};
    for (const scope of ['global', ...REGION_NAMES.map((r) => `regions/${r}`)]) {
      const ops = [...this.store.operations.values()]
        .filter((o) => o.project === project && o.scope === scope)
        .map((o) => this.renderOperation(o, req.origin));
      items[scope] = ops.length
        ? { operations: ops }
        : {
            warning: {
              code: 'NO_RESULTS_ON_PAGE',
              message: `There are no results for scope '${scope}' on this page.`,
              data: [{ key: 'scope', value: scope }],
            },
          };
    }
    return {
      kind: 'compute#operationAggregatedList',
      id: `projects/${project}/aggregated/operations`,
      items,
      selfLink: `${req.origin}compute/v1/projects/${project}/aggregated/operations`,
    };
  }

  renderOperation(op: OperationRecord, origin: string): Json {
    const now = this.now();
    const status = now >= op.doneAt ? 'DONE' : now >= op.startedAt ? 'RUNNING' : 'PENDING';
    const out: Json = {
      kind: 'compute#operation',
      id: op.id,
      name: op.name,
      operationType: op.operationType,
      targetLink: canonicalUrl(op.targetPath),
      targetId: op.targetId,
      status,
      user: op.user,
      progress: status === 'DONE' ? 100 : 0,
      insertTime: googleTime(op.insertedAt),
      selfLink: canonicalUrl(opKey(op)),
    };
    if (status !== 'PENDING') out.startTime = googleTime(op.startedAt);
    if (op.scope.startsWith('regions/')) out.region = canonicalUrl(`projects/${op.project}/${op.scope}`);
    if (status === 'DONE') {
      out.endTime = googleTime(op.doneAt);
      if (op.error) {
        out.error = { errors: [{ code: op.error.code, message: op.error.message }] };
        out.httpErrorStatusCode = op.error.httpStatus;
        out.httpErrorMessage = httpStatusText[op.error.httpStatus] ?? 'ERROR';
      }
    }
    return withOrigin(out, origin);
  }
}

/** Every Compute URL a resource holds (what makes it "in use" for others). */
export function referencesOf(rec: ComputeRecord): string[] {
  const b = rec.body;
  const out: unknown[] = [];
  switch (rec.collection) {
    case 'backendServices':
      for (const be of b.backends ?? []) out.push(be.group);
      out.push(...(b.healthChecks ?? []), b.securityPolicy, b.edgeSecurityPolicy);
      break;
    case 'urlMaps':
      out.push(b.defaultService);
      for (const pm of b.pathMatchers ?? []) {
        out.push(pm.defaultService);
        for (const pr of pm.pathRules ?? []) out.push(pr.service);
        for (const rr of pm.routeRules ?? []) out.push(rr.service);
      }
      break;
    case 'targetHttpsProxies':
      out.push(b.urlMap, ...(b.sslCertificates ?? []));
      break;
    case 'targetHttpProxies':
      out.push(b.urlMap);
      break;
    case 'forwardingRules':
      out.push(b.target);
      break;
    default:
      break;
  }
  return out.filter((x): x is string => typeof x === 'string');
}

/** A resource's load-balancing scheme, Google's default (EXTERNAL) when it was created without one (sparse mode). */
const schemeOf = (body: Json): string => body.loadBalancingScheme ?? 'EXTERNAL';

/** Fields Google sets on every resource of a collection, whatever its creator sent (kept in sparse mode). */
const COMMON_OUTPUT = ['kind', 'id', 'creationTimestamp', 'name', 'selfLink', 'fingerprint'];
const OUTPUT_FIELDS: Partial<Record<Collection, string[]>> = {
  networkEndpointGroups: ['region', 'size'],
  addresses: ['address', 'status', 'labelFingerprint'],
  forwardingRules: ['IPAddress', 'portRange', 'labelFingerprint'],
  sslCertificates: ['type', 'subjectAlternativeNames', 'expireTime'],
  securityPolicies: ['type', 'rules', 'labelFingerprint'],
};

/**
 * `full` (the resource with Google's defaults and normalisations) cut down to the fields the writer sent, deep, plus the
 * collection's output fields. Sent values come back as Google normalised them (canonical references, "443-443").
 */
export function sparseBody(c: Collection, sent: Json, full: Json): Json {
  const output = [...COMMON_OUTPUT, ...(OUTPUT_FIELDS[c] ?? [])];
  const out: Json = {};
  for (const [k, v] of Object.entries(full)) {
    if (output.includes(k)) out[k] = v;
    else if (sent && typeof sent === 'object' && k in sent) out[k] = sentPart(sent[k], v);
  }
  return out;
}

function sentPart(sent: unknown, full: unknown): unknown {
  if (Array.isArray(sent) && Array.isArray(full) && sent.length === full.length) return full.map((f, i) => sentPart(sent[i], f));
  if (isPlainObject(sent) && isPlainObject(full)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(full)) if (k in sent) out[k] = sentPart(sent[k], v);
    return out;
  }
  return full;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export const opKey = (op: { project: string; scope: string; name: string }): string =>
  `projects/${op.project}/${op.scope}/operations/${op.name}`;

const ok = (body: unknown): Reply => ({ status: 200, body });
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));
const encodeToken = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
function decodeToken(token: string | null): number {
  if (!token) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw invalidField('pageToken', token, 'Invalid page token.');
  return Number(m[1]);
}
const camelToUpperSnake = (s: string) => (/^[A-Z_]+$/.test(s) ? s : s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase());

/** Google's default rule, as a new security policy gets it. */
const defaultRule = (): Json =>
  normaliseRule({
    action: 'allow',
    description: 'Default rule, higher priority overrides it',
    priority: DEFAULT_RULE_PRIORITY,
    match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
  });

/** A rule as Google stores it: kind, an empty description and preview false when unset, a numeric priority (0 when unset). */
function normaliseRule(rule: Json): Json {
  const r: Json = rule && typeof rule === 'object' ? rule : {};
  const priority = typeof r.priority === 'string' && /^\d+$/.test(r.priority) ? Number(r.priority) : (r.priority ?? 0);
  return { description: '', ...r, kind: 'compute#securityPolicyRule', priority, preview: r.preview ?? false };
}

/** The checks Google makes on a rule (texts inferred from the field descriptions in Compute v1's discovery document). */
function validateRule(rule: Json, field: string): void {
  const p = rule.priority;
  if (!Number.isInteger(p) || p < 0 || p > DEFAULT_RULE_PRIORITY)
    throw invalidField(`${field}.priority`, p, 'The priority must be an integer between 0 and 2147483647.');
  if (typeof rule.action !== 'string' || !RULE_ACTION_RE.test(rule.action)) {
    throw invalidField(
      `${field}.action`,
      rule.action,
      'The action must be one of allow, deny(403), deny(404), deny(502), rate_based_ban, redirect or throttle.',
    );
  }
  const limited = rule.action === 'rate_based_ban' || rule.action === 'throttle';
  if (limited !== !!rule.rateLimitOptions) {
    throw invalidField(
      `${field}.rateLimitOptions`,
      '',
      limited
        ? `Rate limit options must be specified for the action ${rule.action}.`
        : `Rate limit options cannot be specified for the action ${rule.action}.`,
    );
  }
  const m = rule.match;
  if (!m || typeof m !== 'object' || (m.versionedExpr === undefined) === (m.expr === undefined)) {
    throw invalidField(`${field}.match`, '', 'A rule must match with exactly one of versionedExpr (with config) or expr.');
  }
  if (m.expr !== undefined) {
    if (typeof m.expr?.expression !== 'string' || !m.expr.expression.trim())
      throw invalidField(`${field}.match.expr.expression`, '', 'The expression must not be empty.');
    if (m.config !== undefined) throw invalidField(`${field}.match.config`, '', 'config can only be specified with versionedExpr.');
    return;
  }
  if (m.versionedExpr !== 'SRC_IPS_V1')
    throw invalidField(`${field}.match.versionedExpr`, m.versionedExpr, 'The only versioned expression is SRC_IPS_V1.');
  const ranges = m.config?.srcIpRanges;
  if (!Array.isArray(ranges) || !ranges.length)
    throw invalidField(`${field}.match.config.srcIpRanges`, '', 'SRC_IPS_V1 needs at least one source IP range in config.srcIpRanges.');
  // Google: "Maximum number of src_ip_ranges allowed is 10."
  if (ranges.length > 10)
    throw invalidField(`${field}.match.config.srcIpRanges`, ranges.join(','), 'Maximum number of src_ip_ranges allowed is 10.');
  for (const [i, range] of ranges.entries()) {
    if (range !== '*' && !isIpRange(range))
      throw invalidField(`${field}.match.config.srcIpRanges[${i}]`, range, 'Invalid IP address or CIDR range.');
  }
}

function isIpRange(value: unknown): boolean {
  const m = typeof value === 'string' ? /^([^/]+)(?:\/(\d{1,3}))?$/.exec(value) : null;
  const version = m ? isIP(m[1]) : 0;
  return version !== 0 && (m![2] === undefined || Number(m![2]) <= (version === 4 ? 32 : 128));
}

// Inferred text: Google's refusal of a second rule at a priority was not seen.
const samePriorities = (field: string, priority: number): ApiError =>
  invalidField(field, String(priority), 'Cannot have rules with the same priorities.');

/** The `priority` query parameter of getRule, patchRule and removeRule. */
function queryPriority(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > DEFAULT_RULE_PRIORITY)
    throw invalidField('priority', raw, 'The priority must be an integer between 0 and 2147483647.');
  return Number(raw);
}

/** Clears one updateMask path (snake_case or camelCase, dotted) from `target` unless the request sets it. */
function clearField(target: Json, mask: string, sent: Json): void {
  const keys = mask.split('.').map((k) => k.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase()));
  let at: Json = target,
    given: Json = sent;
  for (const k of keys.slice(0, -1)) {
    if (!at || typeof at !== 'object') return;
    at = at[k];
    given = given?.[k];
  }
  const last = keys[keys.length - 1];
  if (at && typeof at === 'object' && !(given && typeof given === 'object' && last in given)) delete at[last];
}

function asCollection(s: string | undefined): Collection {
  if (s && isCollection(s)) return s;
  throw new ApiError(404, 'Not Found', 'notFound');
}

function checkRegion(r: string): string {
  if (!(r in REGIONS)) throw invalidField('region', r, 'Unknown region.');
  return r;
}

/**
 * Compute's list filter, the subset clients send: `name eq REGEX`, `name ne REGEX`, `name = "x"`, `name != "x"`,
 * nested fields with dots, several terms ANDed (optionally parenthesized).
 */
export function applyFilter(items: Json[], filter: string | null): Json[] {
  if (!filter || !filter.trim()) return items;
  const terms = [...filter.matchAll(/\(?\s*([A-Za-z_][\w.]*)\s*(eq|ne|=|!=)\s*("[^"]*"|'[^']*'|[^\s()]+)\s*\)?/g)];
  if (!terms.length) throw invalidField('filter', filter, 'Invalid list filter expression.');
  return items.filter((item) =>
    terms.every(([, field, op, raw]) => {
      const value = raw.replace(/^["']|["']$/g, '');
      const actual = field.split('.').reduce<Json>((o, k) => (o == null ? undefined : o[k]), item);
      const text = actual === undefined ? '' : String(actual);
      const match = op === 'eq' || op === 'ne' ? new RegExp(`^(?:${value})$`).test(text) : text === value;
      return op === 'ne' || op === '!=' ? !match : match;
    }),
  );
}

export { GLOBAL_COLLECTIONS };
