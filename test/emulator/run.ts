// Cloud Run Admin API: v1 (Knative: ServiceList, Service) and v2 (services, long-running operations), one store behind both.
import { createHash, randomUUID } from 'node:crypto';
import { ApiError, domainRestrictedSharing, iamConcurrentChange, runPermissionDenied } from './errors';
import type { Reply } from './compute';
import {
  REGIONS,
  REGION_NAMES,
  type IamBinding,
  type Ingress,
  type Json,
  type RunServiceRecord,
  type RunServiceSpec,
  type Store,
} from './store';

export interface RunRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Json;
  /** The host the caller addressed (Host header, or the URL of an absolute-form request): the regional Knative endpoint is R-<host>. */
  host: string;
  user: string;
  deniedPermissions: string[];
  /** The project's organisation refuses allUsers / allAuthenticatedUsers in IAM policies. */
  domainRestrictedSharing?: boolean;
}

/** What a seeded service's policy is unless the seed says otherwise: public, as a service serving users through a load balancer. */
export const PUBLIC_INVOKER: IamBinding[] = [{ role: 'roles/run.invoker', members: ['allUsers'] }];
/** Google's etag of a policy never written: bytes 00 20 01. */
const EMPTY_POLICY_ETAG = 'ACAB';
const MEMBER =
  /^(?:allUsers|allAuthenticatedUsers|(?:user|serviceAccount|group|domain|principal|principalSet|deleted:user|deleted:serviceAccount|deleted:group):\S+)$/;
const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'];

const KNATIVE_NAME = /^[a-z](?:[-a-z0-9]{0,47}[a-z0-9])?$/;
const V2_INGRESS: Record<Ingress, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};
const DEFAULT_IMAGE = 'us-docker.pkg.dev/cloudrun/container/hello';

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const key = (project: string, region: string, name: string) => `${project}/${region}/${name}`;

export class CloudRun {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a service the way a finished deployment leaves it (seeds). */
  addService(spec: RunServiceSpec, project: string): RunServiceRecord {
    const t = spec.createTime ? Date.parse(spec.createTime) : this.now();
    const rec: RunServiceRecord = {
      project,
      region: spec.region,
      name: spec.name,
      uid: uidFor(project, spec.region, spec.name),
      generation: 1,
      createTime: t,
      updateTime: t,
      labels: { ...(spec.labels ?? {}) },
      annotations: {},
      ingress: spec.ingress ?? 'all',
      template: { spec: { containers: [{ image: spec.image ?? DEFAULT_IMAGE }] } },
      ready: spec.ready ?? true,
      creator: 'deployer@example.com',
      revision: 1,
      iam: { bindings: structuredClone(spec.iamPolicy?.bindings ?? PUBLIC_INVOKER), version: 1, writes: 1 },
    };
    this.store.runServices.set(key(project, spec.region, spec.name), rec);
    return rec;
  }

  async handle(req: RunRequest): Promise<Reply> {
    const seg = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (seg[0] === 'apis') return this.knativeRegional(req, seg);
    // Cloud Resource Manager's project lookup shares the path space (gcloud asks it for a project number).
    if ((seg[0] === 'v1' || seg[0] === 'v3') && seg[1] === 'projects' && seg.length === 3 && req.method === 'GET')
      return this.resourceManagerProject(seg[0], seg[2]);
    if (seg[0] === 'v1' && seg[1] === 'projects' && seg.length === 2 && req.method === 'GET') return this.resourceManagerList();
    if (seg[0] === 'v1' && seg[1] === 'projects' && seg[3] === 'locations') return this.v1(req, seg[2], seg.slice(4));
    if (seg[0] === 'v2' && seg[1] === 'projects' && seg[3] === 'locations') return this.v2(req, seg[2], seg.slice(4));
    throw notFoundRun('The requested URL was not found on this server.');
  }

  private resourceManagerProject(version: string, ref: string): Reply {
    const p = this.store.project(ref);
    if (!p) throw new ApiError(403, 'The caller does not have permission', 'forbidden', { status: 'PERMISSION_DENIED' });
    const createTime = '2024-01-01T00:00:00.000Z';
    if (version === 'v3')
      return ok({ name: `projects/${p.number}`, projectId: p.id, state: 'ACTIVE', displayName: p.id, createTime, etag: `"${p.number}"` });
    return ok({ projectNumber: p.number, projectId: p.id, lifecycleState: 'ACTIVE', name: p.id, createTime });
  }

  /** Resource Manager v1 `projects.list`: every project the caller can see (all of the emulator's). */
  private resourceManagerList(): Reply {
    const projects = [...this.store.projects.values()].map((p) => ({
      projectNumber: p.number,
      projectId: p.id,
      lifecycleState: 'ACTIVE',
      name: p.id,
      createTime: '2024-01-01T00:00:00.000Z',
    }));
    return ok({ projects });
  }

  private projectOf(idOrNumber: string, permission: string, resource: string): { id: string; number: string } {
    const p = this.store.project(idOrNumber);
    if (!p) throw runPermissionDenied(permission, resource);
    return p;
  }

  private permit(req: RunRequest, permission: string, resource: string): void {
    if (req.deniedPermissions.includes(permission)) throw runPermissionDenied(permission, resource);
  }

  // ---- v1 -------------------------------------------------------------------------------------

  private v1(req: RunRequest, projectRef: string, rest: string[]): Reply {
    const m = req.method;
    if (rest.length === 0 && m === 'GET') {
      const p = this.projectOf(projectRef, 'run.locations.list', `projects/${projectRef}`);
      this.permit(req, 'run.locations.list', `projects/${projectRef}`);
      return ok({
        locations: REGION_NAMES.map((r) => ({
          name: `projects/${p.id}/locations/${r}`,
          locationId: r,
          displayName: REGIONS[r],
          labels: { 'cloud.googleapis.com/region': r },
        })),
      });
    }
    const region = rest[0];
    if (rest[1] !== 'services') throw notFoundRun('The requested URL was not found on this server.');
    const parent = `projects/${projectRef}/locations/${region}`;
    if (rest.length === 3 && rest[2].includes(':')) return this.iam(req, projectRef, region, rest[2], 'v1');
    return this.knative(req, projectRef, region === '-' ? undefined : region, rest.slice(2), parent);
  }

  private knativeRegional(req: RunRequest, seg: string[]): Reply {
    // /apis/serving.knative.dev/v1/namespaces/P/services[/S], region from the host: R-run.googleapis.com
    if (seg[1] !== 'serving.knative.dev' || seg[2] !== 'v1' || seg[3] !== 'namespaces' || seg[5] !== 'services') {
      throw notFoundRun('The requested URL was not found on this server.');
    }
    const hostname = req.host.replace(/:\d+$/, '');
    const m = /^([a-z]+-[a-z]+\d+)-/.exec(hostname);
    const region = m && m[1] in REGIONS ? m[1] : undefined;
    return this.knative(req, seg[4], region, seg.slice(6), `namespaces/${seg[4]}`);
  }

  private knative(req: RunRequest, projectRef: string, region: string | undefined, rest: string[], parent: string): Reply {
    const m = req.method;
    if (region && !(region in REGIONS)) throw runPermissionDenied('run.services.list', `locations/${region}`);
    if (rest.length === 0 && m === 'GET') {
      const p = this.projectOf(projectRef, 'run.services.list', `${parent}/services`);
      this.permit(req, 'run.services.list', `${parent}/services`);
      const items = this.services(p.id, region).map((s) => this.knativeService(s));
      const labelSelector = req.query.get('labelSelector');
      const selected = labelSelector ? items.filter((s) => matchesSelector(s.metadata.labels, labelSelector)) : items;
      return ok({ apiVersion: 'serving.knative.dev/v1', kind: 'ServiceList', metadata: {}, items: selected, unreachable: [] });
    }
    if (rest.length === 0 && m === 'POST') {
      const p = this.projectOf(projectRef, 'run.services.create', `${parent}/services`);
      this.permit(req, 'run.services.create', `${parent}/services`);
      const body = checkKnative(req.body, p);
      const r = region ?? body.metadata.labels?.['cloud.googleapis.com/location'];
      if (!r || !(r in REGIONS))
        throw new ApiError(
          400,
          'The request has errors: a region is required (a regional endpoint, or the label cloud.googleapis.com/location).',
          'badRequest',
        );
      const name = body.metadata.name;
      if (this.store.runServices.has(key(p.id, r, name)))
        throw new ApiError(409, `Resource '${name}' already exists.`, 'alreadyExists', { status: 'ALREADY_EXISTS' });
      const now = this.now();
      const rec: RunServiceRecord = {
        project: p.id,
        region: r,
        name,
        uid: uidFor(p.id, r, name),
        generation: 1,
        createTime: now,
        updateTime: now,
        labels: {},
        annotations: {},
        ingress: 'all',
        template: {},
        ready: true,
        creator: req.user,
        revision: 1,
        iam: emptyPolicy(),
      };
      applyKnative(rec, body, r);
      this.store.runServices.set(key(p.id, r, name), rec);
      return ok(this.knativeService(rec));
    }
    const name = rest[0];
    if (rest.length !== 1) throw notFoundRun('The requested URL was not found on this server.');
    const verb = m === 'GET' ? 'get' : m === 'PUT' ? 'update' : m === 'DELETE' ? 'delete' : undefined;
    if (!verb) throw notFoundRun('The requested URL was not found on this server.');
    const resource = `${parent}/services/${name}`;
    const p = this.projectOf(projectRef, `run.services.${verb}`, resource);
    this.permit(req, `run.services.${verb}`, resource);
    const found = region ? this.store.runServices.get(key(p.id, region, name)) : this.services(p.id).find((s) => s.name === name);
    if (!found) {
      throw notFoundRun(`Resource '${name}' of kind 'SERVICE' in region '${region ?? '-'}' in project '${projectRef}' does not exist.`);
    }
    if (verb === 'get') return ok(this.knativeService(found));
    if (verb === 'delete') {
      this.store.runServices.delete(key(found.project, found.region, found.name));
      return ok({
        apiVersion: 'v1',
        kind: 'Status',
        status: 'Success',
        details: { name, group: 'serving.knative.dev', kind: 'services', uid: found.uid },
      });
    }
    const body = checkKnative(req.body, p);
    if (body.metadata.name !== name)
      throw new ApiError(
        400,
        `metadata.name '${body.metadata.name}' does not match the service name '${name}' in the request.`,
        'badRequest',
      );
    const templateBefore = JSON.stringify(found.template);
    applyKnative(found, body, found.region);
    found.generation += 1;
    if (JSON.stringify(found.template) !== templateBefore) found.revision += 1;
    found.updateTime = this.now();
    return ok(this.knativeService(found));
  }

  services(project: string, region?: string): RunServiceRecord[] {
    return [...this.store.runServices.values()]
      .filter((s) => s.project === project && (!region || s.region === region))
      .sort((a, b) => (a.region === b.region ? (a.name < b.name ? -1 : 1) : a.region < b.region ? -1 : 1));
  }

  /** Listing 10,000 services renders each one: kept until the record changes (every write replaces what it touches). */
  private readonly rendered = new WeakMap<
    RunServiceRecord,
    { stamp: string; labels: object; annotations: object; template: Json; json: Json }
  >();

  knativeService(s: RunServiceRecord): Json {
    const stamp = `${s.generation}|${s.revision}|${s.updateTime}|${s.ingress}|${s.ready}|${s.creator}`;
    const cached = this.rendered.get(s);
    if (
      cached &&
      cached.stamp === stamp &&
      cached.labels === s.labels &&
      cached.annotations === s.annotations &&
      cached.template === s.template
    ) {
      return cached.json; // answers are serialized, never changed in place
    }
    const json = this.renderKnativeService(s);
    this.rendered.set(s, { stamp, labels: s.labels, annotations: s.annotations, template: s.template, json });
    return json;
  }

  private renderKnativeService(s: RunServiceRecord): Json {
    const p = this.store.project(s.project)!;
    const revision = revisionName(s);
    const time = rfc3339(s.updateTime);
    const cond = (type: string) => ({
      type,
      status: s.ready ? 'True' : 'False',
      lastTransitionTime: time,
      ...(s.ready
        ? {}
        : {
            reason: 'HealthCheckFailed',
            message: 'The user-provided container failed to start and listen on the port defined by the PORT=8080 environment variable.',
          }),
    });
    return {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: {
        name: s.name,
        namespace: p.number,
        selfLink: `/apis/serving.knative.dev/v1/namespaces/${p.number}/services/${s.name}`,
        uid: s.uid,
        resourceVersion: Buffer.from(`${s.generation}:${s.updateTime}`).toString('base64'),
        generation: s.generation,
        creationTimestamp: rfc3339(s.createTime),
        labels: { ...s.labels, 'cloud.googleapis.com/location': s.region },
        annotations: {
          ...s.annotations,
          'serving.knative.dev/creator': s.creator,
          'serving.knative.dev/lastModifier': s.creator,
          'run.googleapis.com/ingress': s.ingress,
          'run.googleapis.com/ingress-status': s.ingress,
          'run.googleapis.com/urls': JSON.stringify([serviceUrl(s, p.number)]),
        },
      },
      spec: {
        template: withTemplateDefaults(s.template, s),
        traffic: [{ percent: 100, latestRevision: true }],
      },
      status: {
        observedGeneration: s.generation,
        conditions: [cond('Ready'), cond('ConfigurationsReady'), cond('RoutesReady')],
        latestReadyRevisionName: s.ready ? revision : undefined,
        latestCreatedRevisionName: revision,
        traffic: [{ revisionName: revision, percent: 100, latestRevision: true }],
        url: serviceUrl(s, p.number),
        address: { url: serviceUrl(s, p.number) },
      },
    };
  }

  // ---- IAM (v1 and v2: services/S:getIamPolicy, :setIamPolicy, :testIamPermissions) -------------

  private iam(req: RunRequest, projectRef: string, region: string, nameAndVerb: string, version: 'v1' | 'v2'): Reply {
    const [name, verb] = nameAndVerb.split(':');
    // getIamPolicy is a GET in v1 and v2 (gcloud, googleapis run_v1 send GET ?options.requestedPolicyVersion=3); POST is accepted too.
    const methods: Record<string, string> = { getIamPolicy: 'GET', setIamPolicy: 'POST', testIamPermissions: 'POST' };
    if (!(verb in methods) || (req.method !== methods[verb] && !(verb === 'getIamPolicy' && req.method === 'POST'))) {
      throw notFoundRun('The requested URL was not found on this server.');
    }
    const resource = `projects/${projectRef}/locations/${region}/services/${name}`;
    if (region === '-' || !(region in REGIONS)) throw runPermissionDenied(`run.services.${verb}`, resource);
    const permission = verb === 'testIamPermissions' ? 'run.services.get' : `run.services.${verb}`;
    const p = this.projectOf(projectRef, permission, resource);
    if (verb !== 'testIamPermissions') this.permit(req, permission, resource);
    const rec = this.store.runServices.get(key(p.id, region, name));
    if (!rec) {
      throw version === 'v1'
        ? notFoundRun(`Resource '${name}' of kind 'SERVICE' in region '${region}' in project '${projectRef}' does not exist.`)
        : notFoundRun(`Resource '${resource}' was not found`);
    }
    if (verb === 'getIamPolicy') return ok(policyJson(rec));
    if (verb === 'testIamPermissions') {
      const asked: unknown[] = Array.isArray(req.body?.permissions) ? req.body.permissions : [];
      const granted = asked.filter((x): x is string => typeof x === 'string' && !req.deniedPermissions.includes(x));
      return ok(granted.length ? { permissions: granted } : {});
    }
    const policy: Json = req.body?.policy;
    if (!policy || typeof policy !== 'object')
      throw new ApiError(400, 'Request contains an invalid argument.', 'badRequest', { status: 'INVALID_ARGUMENT' });
    if (policy.etag !== undefined && !sameEtag(policy.etag, etagOfPolicy(rec))) throw iamConcurrentChange();
    const bindings: IamBinding[] = [];
    for (const [i, b] of (Array.isArray(policy.bindings) ? policy.bindings : []).entries()) {
      if (typeof b?.role !== 'string' || !b.role.startsWith('roles/')) {
        throw new ApiError(400, `Role ${b?.role ?? ''} is not supported for this resource.`, 'badRequest', { status: 'INVALID_ARGUMENT' });
      }
      const members: unknown[] = Array.isArray(b.members) ? b.members : [];
      for (const m of members) {
        if (typeof m !== 'string' || !MEMBER.test(m))
          throw new ApiError(400, `Invalid member '${String(m)}' in bindings[${i}].`, 'badRequest', { status: 'INVALID_ARGUMENT' });
      }
      if (!members.length) continue; // Google drops bindings without members
      bindings.push({ role: b.role, members: [...new Set(members as string[])], ...(b.condition ? { condition: b.condition } : {}) });
    }
    if (req.domainRestrictedSharing) {
      const before = new Set(rec.iam.bindings.flatMap((b) => b.members));
      const added = bindings.flatMap((b) => b.members).find((m) => PUBLIC_MEMBERS.includes(m) && !before.has(m));
      if (added) throw domainRestrictedSharing(added);
    }
    // Google keeps version 1 for a policy without conditions, whatever version the writer named (gcloud sends 3).
    rec.iam = { bindings, version: bindings.some((b) => b.condition) ? 3 : 1, writes: rec.iam.writes + 1 };
    return ok(policyJson(rec));
  }

  /** The policy as getIamPolicy answers it (for the control API's state). */
  iamPolicy(s: RunServiceRecord): Json {
    return policyJson(s);
  }

  // ---- v2 -------------------------------------------------------------------------------------

  private v2(req: RunRequest, projectRef: string, rest: string[]): Reply {
    const m = req.method;
    const region = rest[0];
    const parent = `projects/${projectRef}/locations/${region}`;
    if (region === '-') {
      // The v2 API has no all-regions wildcard; Google answers as for any location that does not exist.
      throw runPermissionDenied(
        rest[1] === 'services' && rest.length === 2 ? 'run.services.list' : 'run.services.get',
        `projects/${projectRef}/locations/-`,
      );
    }
    if (!region || !(region in REGIONS)) throw runPermissionDenied('run.services.list', parent);
    if (rest[1] === 'operations' && rest.length === 3 && m === 'GET') {
      const p = this.projectOf(projectRef, 'run.operations.get', `${parent}/operations/${rest[2]}`);
      this.permit(req, 'run.operations.get', `${parent}/operations/${rest[2]}`);
      const op = this.store.runOperations.get(`projects/${p.id}/locations/${region}/operations/${rest[2]}`);
      if (!op) throw notFoundRun(`Operation '${parent}/operations/${rest[2]}' was not found.`);
      return ok(this.v2Operation(op.name, this.store.runServices.get(op.serviceKey), op.doneAt, projectRef));
    }
    if (rest[1] !== 'services') throw notFoundRun('The requested URL was not found on this server.');
    if (rest.length === 3 && rest[2].includes(':')) return this.iam(req, projectRef, region, rest[2], 'v2');
    if (rest.length === 2 && m === 'GET') {
      const p = this.projectOf(projectRef, 'run.services.list', parent);
      this.permit(req, 'run.services.list', parent);
      const all = this.services(p.id, region).map((s) => this.v2Service(s, projectRef));
      const size = Math.max(1, Math.min(Number(req.query.get('pageSize') ?? 1000) || 1000, 1000));
      const start = req.query.get('pageToken') ? Number(Buffer.from(req.query.get('pageToken')!, 'base64url').toString()) || 0 : 0;
      const out: Json = { services: all.slice(start, start + size) };
      if (start + size < all.length) out.nextPageToken = Buffer.from(String(start + size)).toString('base64url');
      if (!out.services.length) delete out.services;
      return ok(out);
    }
    const name = rest[2];
    const resource = `${parent}/services/${name}`;
    if (rest.length === 2 && m === 'POST') {
      const p = this.projectOf(projectRef, 'run.services.create', parent);
      this.permit(req, 'run.services.create', parent);
      const id = req.query.get('serviceId') ?? '';
      if (!KNATIVE_NAME.test(id)) throw new ApiError(400, `Invalid service id '${id}'.`, 'badRequest');
      if (this.store.runServices.has(key(p.id, region, id)))
        throw new ApiError(409, `Resource '${id}' already exists.`, 'alreadyExists', { status: 'ALREADY_EXISTS' });
      const rec = this.addService(
        {
          name: id,
          region,
          ingress: fromV2Ingress(req.body?.ingress) ?? 'all',
          image: req.body?.template?.containers?.[0]?.image,
          labels: req.body?.labels,
        },
        p.id,
      );
      rec.creator = req.user;
      rec.iam = emptyPolicy();
      return ok(this.startV2Operation(rec, projectRef));
    }
    if (rest.length !== 3) throw notFoundRun('The requested URL was not found on this server.');
    const verb = m === 'GET' ? 'get' : m === 'PATCH' ? 'update' : m === 'DELETE' ? 'delete' : undefined;
    if (!verb) throw notFoundRun('The requested URL was not found on this server.');
    const p = this.projectOf(projectRef, `run.services.${verb}`, resource);
    this.permit(req, `run.services.${verb}`, resource);
    const rec = this.store.runServices.get(key(p.id, region, name));
    if (!rec) throw notFoundRun(`Resource '${resource}' was not found`);
    if (verb === 'get') return ok(this.v2Service(rec, projectRef));
    if (verb === 'delete') {
      const op = this.startV2Operation(rec, projectRef);
      this.store.runServices.delete(key(p.id, region, name));
      return ok(op);
    }
    const body: Json = req.body ?? {};
    const mask = (req.query.get('updateMask') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const wants = (field: string) => (mask.length ? mask.includes(field) : body[field] !== undefined);
    if (body.etag && body.etag !== etagOf(rec))
      throw new ApiError(409, 'The etag in the request does not match the current etag of the service.', 'aborted', { status: 'ABORTED' });
    if (wants('ingress')) {
      const ingress = fromV2Ingress(body.ingress);
      if (!ingress) throw new ApiError(400, `Invalid value for ingress: '${body.ingress}'.`, 'badRequest');
      rec.ingress = ingress;
    }
    if (wants('labels')) rec.labels = { ...(body.labels ?? {}) };
    if (wants('annotations')) rec.annotations = { ...(body.annotations ?? {}) };
    if (wants('template') && body.template?.containers?.[0]?.image) {
      rec.template = { spec: { containers: [{ image: body.template.containers[0].image }] } };
      rec.revision += 1;
    }
    rec.generation += 1;
    rec.updateTime = this.now();
    rec.creator = rec.creator || req.user;
    return ok(this.startV2Operation(rec, projectRef));
  }

  private startV2Operation(rec: RunServiceRecord, projectRef: string): Json {
    const name = `projects/${projectRef}/locations/${rec.region}/operations/${randomUUID()}`;
    const doneAt = this.now() + this.store.operationLatencyMs;
    this.store.runOperations.set(`projects/${rec.project}/locations/${rec.region}/operations/${name.split('/').pop()}`, {
      name,
      project: rec.project,
      region: rec.region,
      serviceKey: key(rec.project, rec.region, rec.name),
      insertedAt: this.now(),
      doneAt,
      kind: 'service',
    });
    return this.v2Operation(name, rec, doneAt, projectRef);
  }

  private v2Operation(name: string, rec: RunServiceRecord | undefined, doneAt: number, projectRef: string): Json {
    const done = this.now() >= doneAt;
    const service = rec
      ? { '@type': 'type.googleapis.com/google.cloud.run.v2.Service', ...this.v2Service(rec, projectRef, !done) }
      : undefined;
    const out: Json = { name, metadata: service, done };
    if (done && service) out.response = service;
    return out;
  }

  v2Service(s: RunServiceRecord, projectRef: string, reconciling = false): Json {
    const p = this.store.project(s.project)!;
    const time = rfc3339(s.updateTime);
    const revision = `projects/${projectRef}/locations/${s.region}/revisions/${revisionName(s)}`;
    const state = s.ready ? 'CONDITION_SUCCEEDED' : 'CONDITION_FAILED';
    const url = serviceUrl(s, p.number);
    return {
      name: `projects/${projectRef}/locations/${s.region}/services/${s.name}`,
      uid: s.uid,
      generation: String(s.generation),
      labels: { ...s.labels },
      annotations: { ...s.annotations },
      createTime: rfc3339(s.createTime),
      updateTime: time,
      creator: s.creator,
      lastModifier: s.creator,
      ingress: V2_INGRESS[s.ingress],
      launchStage: 'GA',
      template: {
        containers: [
          {
            image: s.template?.spec?.containers?.[0]?.image ?? DEFAULT_IMAGE,
            ports: [{ name: 'http1', containerPort: 8080 }],
            resources: { limits: { cpu: '1000m', memory: '512Mi' }, cpuIdle: true },
          },
        ],
        scaling: { maxInstanceCount: 100 },
        timeout: '300s',
        serviceAccount: `${p.number}-compute@developer.gserviceaccount.com`,
        maxInstanceRequestConcurrency: 80,
      },
      traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      observedGeneration: String(s.generation),
      terminalCondition: { type: 'Ready', state: reconciling ? 'CONDITION_RECONCILING' : state, lastTransitionTime: time },
      conditions: [
        { type: 'RoutesReady', state, lastTransitionTime: time },
        { type: 'ConfigurationsReady', state, lastTransitionTime: time },
      ],
      latestReadyRevision: s.ready ? revision : undefined,
      latestCreatedRevision: revision,
      trafficStatuses: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      uri: url,
      urls: [url],
      reconciling,
      etag: etagOf(s),
    };
  }
}

function checkKnative(body: Json, p: { id: string; number: string }): Json {
  if (!body || typeof body !== 'object')
    throw new ApiError(400, 'The request has errors: the body must be a Knative Service.', 'badRequest');
  if (body.apiVersion !== 'serving.knative.dev/v1')
    throw new ApiError(
      400,
      `apiVersion: Unsupported value: "${body.apiVersion ?? ''}": supported values: "serving.knative.dev/v1"`,
      'badRequest',
    );
  if (body.kind !== 'Service')
    throw new ApiError(400, `kind: Unsupported value: "${body.kind ?? ''}": supported values: "Service"`, 'badRequest');
  const name = body.metadata?.name;
  if (typeof name !== 'string' || !KNATIVE_NAME.test(name)) {
    throw new ApiError(
      400,
      `metadata.name: Invalid value: "${name ?? ''}": must use only lowercase alphanumeric characters and dashes, cannot begin or end with a dash, and cannot be longer than 49 characters.`,
      'badRequest',
    );
  }
  const ns = body.metadata.namespace;
  if (ns !== undefined && ns !== p.id && ns !== p.number) {
    throw new ApiError(
      400,
      `metadata.namespace: Invalid value: "${ns}": the namespace must be the project ID or number ('${p.id}' or '${p.number}').`,
      'badRequest',
    );
  }
  const ingress = body.metadata.annotations?.['run.googleapis.com/ingress'];
  if (ingress !== undefined && !(ingress in V2_INGRESS)) {
    throw new ApiError(
      400,
      `metadata.annotations[run.googleapis.com/ingress]: Invalid value: "${ingress}": must be one of all, internal, internal-and-cloud-load-balancing.`,
      'badRequest',
    );
  }
  if (!body.spec?.template?.spec?.containers?.length)
    throw new ApiError(400, 'spec.template.spec.containers: Required value: at least one container is required.', 'badRequest');
  return body;
}

function applyKnative(rec: RunServiceRecord, body: Json, region: string): void {
  const location = body.metadata.labels?.['cloud.googleapis.com/location'];
  if (location !== undefined && location !== region) {
    throw new ApiError(
      400,
      `metadata.labels[cloud.googleapis.com/location]: Invalid value: "${location}": the region of the request is '${region}'.`,
      'badRequest',
    );
  }
  const { 'cloud.googleapis.com/location': _ignored, ...labels } = body.metadata.labels ?? {};
  const annotations: Record<string, string> = { ...(body.metadata.annotations ?? {}) };
  rec.ingress = (annotations['run.googleapis.com/ingress'] as Ingress | undefined) ?? rec.ingress ?? 'all';
  for (const k of [
    'run.googleapis.com/ingress',
    'run.googleapis.com/ingress-status',
    'serving.knative.dev/creator',
    'serving.knative.dev/lastModifier',
    'run.googleapis.com/urls',
  ])
    delete annotations[k];
  rec.labels = labels;
  rec.annotations = annotations;
  rec.template = structuredClone(body.spec.template);
}

function withTemplateDefaults(template: Json, s: RunServiceRecord): Json {
  const t = structuredClone(template ?? {});
  t.metadata = { ...(t.metadata ?? {}), name: revisionName(s) };
  t.spec = t.spec ?? {};
  t.spec.containerConcurrency ??= 80;
  t.spec.timeoutSeconds ??= 300;
  t.spec.containers = (t.spec.containers ?? [{ image: DEFAULT_IMAGE }]).map((c: Json) => ({
    ports: [{ name: 'http1', containerPort: 8080 }],
    resources: { limits: { cpu: '1000m', memory: '512Mi' } },
    ...c,
  }));
  return t;
}

const emptyPolicy = (): RunServiceRecord['iam'] => ({ bindings: [], version: 1, writes: 0 });

/** IAM etags are 8 opaque bytes in base64 ("BwX…"); a policy never written has Google's "ACAB". */
function etagOfPolicy(s: RunServiceRecord): string {
  if (s.iam.writes === 0) return EMPTY_POLICY_ETAG;
  const h = createHash('sha256')
    .update(`${s.uid}/${s.iam.writes}/${JSON.stringify(s.iam.bindings)}`)
    .digest();
  return Buffer.concat([Buffer.from([0x07, 0x06]), h.subarray(0, 6)]).toString('base64');
}

/**
 * A policy etag is bytes; proto3 JSON reads base64 in either alphabet. gcloud (apitools) sends back the etag it read in
 * URL-safe base64, so an etag with '+' or '/' comes back with '-' or '_' and is still the same etag.
 */
function sameEtag(sent: unknown, current: string): boolean {
  if (typeof sent !== 'string') return false;
  const bytes = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return /^[A-Za-z0-9+/_-]*={0,2}$/.test(sent) && bytes(sent).equals(bytes(current));
}

/** Google's Policy JSON: an empty policy is only its etag; otherwise version, etag and the bindings that have members. */
function policyJson(s: RunServiceRecord): Json {
  const etag = etagOfPolicy(s);
  if (!s.iam.bindings.length) return s.iam.writes === 0 ? { etag } : { version: s.iam.version, etag };
  return { version: s.iam.version, etag, bindings: structuredClone(s.iam.bindings) };
}

const revisionName = (s: RunServiceRecord) =>
  `${s.name}-${String(s.revision).padStart(5, '0')}-${createHash('sha1').update(`${s.uid}/${s.revision}`).digest('hex').slice(0, 3)}`;
const serviceUrl = (s: RunServiceRecord, projectNumber: string) => `https://${s.name}-${projectNumber}.${s.region}.run.app`;
const etagOf = (s: RunServiceRecord) => `"${Buffer.from(`${s.uid}/${s.generation}`).toString('base64')}"`;
function uidFor(project: string, region: string, name: string): string {
  const h = createHash('sha256').update(`${project}/${region}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function fromV2Ingress(v: unknown): Ingress | undefined {
  for (const [k, x] of Object.entries(V2_INGRESS)) if (x === v) return k as Ingress;
  return undefined;
}

function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=').map((s) => s.trim());
    return v === undefined ? k in labels : labels[k] === v;
  });
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const notFoundRun = (message: string) => new ApiError(404, message, 'notFound', { status: 'NOT_FOUND' });
