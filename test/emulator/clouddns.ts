// Cloud DNS v1 as Google serves it under /dns/v1/: managed zones, resource record sets (the rrsets API) and changes.
// The record sets of public zones are what the emulator's DNS server answers (as if the registrar delegated the
// zone to Cloud DNS): every write is mirrored into the store's DNS map, which the DNS server and the certificate
// checks read. Errors are Google's v1 JSON shape; Cloud DNS answers a missing permission with a bare "Forbidden".
import { createHash } from 'node:crypto';
import { ApiError } from './errors';
import { normalizeDnsName, type DnsType, type DnsZoneSpec, type Json, type Store } from './store';

interface RecordSet {
  name: string;
  type: string;
  ttl: number;
  rrdatas: string[];
}
interface ChangeRecord {
  id: string;
  startTime: string;
  doneAt: number;
  additions: RecordSet[];
  deletions: RecordSet[];
}
interface ZoneRecord {
  project: string;
  name: string;
  id: string;
  dnsName: string;
  description: string;
  visibility: string;
  creationTime: string;
  nameServers: string[];
  /** By `name|type`. */
  rrsets: Map<string, RecordSet>;
  changes: ChangeRecord[];
}

export interface DnsRequest {
  method: string;
  /** After /dns/v1/: projects/P/managedZones/… */
  path: string;
  query: URLSearchParams;
  body: Json;
  deniedPermissions: string[];
}

/** The record types the DNS server answers; the others are kept in the zone only. */
const SERVED: readonly string[] = ['A', 'AAAA', 'CNAME', 'CAA', 'TXT'];
const KNOWN_TYPES = new Set(['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'TXT', 'DS', 'HTTPS', 'SVCB', 'TLSA']);
const ZONE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const PAGE = 1000;

const absolute = (name: string) => `${normalizeDnsName(name)}.`;
// Verbatim (Cloud DNS names no permission in its 403).
const forbidden = () => new ApiError(403, 'Forbidden', 'forbidden');
const zoneNotFound = (zone: string) =>
  new ApiError(404, `The 'parameters.managedZone' resource named '${zone}' does not exist.`, 'notFound');
const invalidValue = (field: string, value: unknown) =>
  new ApiError(400, `Invalid value for '${field}': '${String(value ?? '')}'`, 'invalid');

export class CloudDns {
  private readonly zones = new Map<string, ZoneRecord>();

  constructor(
    private readonly store: Store,
    private readonly onChange: () => void = () => undefined,
  ) {}

  clear(): void {
    this.zones.clear();
  }

  /** Every zone with its record sets, for the control API's state. */
  snapshot(): Json[] {
    return [...this.zones.values()].map((z) => ({
      ...this.renderZone(z),
      project: z.project,
      rrsets: [...z.rrsets.values()].map(renderRrset),
    }));
  }

  seedZone(spec: DnsZoneSpec, defaultProject: string): void {
    const project = spec.project ?? defaultProject;
    const zone = this.createZone(project, {
      name: spec.name,
      dnsName: absolute(spec.dnsName),
      description: spec.description ?? '',
      visibility: spec.visibility ?? 'public',
    });
    for (const r of spec.records ?? [])
      this.put(zone, { name: absolute(r.name), type: r.type.toUpperCase(), ttl: r.ttl ?? 300, rrdatas: [...r.rrdatas] });
    this.onChange();
  }

  handle(req: DnsRequest): { status: number; body: Json } {
    const seg = req.path.split('/').map(decodeURIComponent);
    if (seg[0] !== 'projects' || !seg[1] || seg[2] !== 'managedZones') throw new ApiError(404, 'Not Found', 'notFound');
    const project = seg[1];
    const m = req.method;
    const need = (permission: string) => {
      if (req.deniedPermissions.includes(permission)) throw forbidden();
    };
    if (seg.length === 3) {
      if (m === 'GET') {
        need('dns.managedZones.list');
        return ok(this.listZones(project, req.query));
      }
      if (m === 'POST') {
        need('dns.managedZones.create');
        return ok(this.insertZone(project, req.body ?? {}));
      }
    }
    const zone = this.zones.get(`${project}/${seg[3]}`);
    if (seg.length === 4) {
      if (m === 'GET') {
        need('dns.managedZones.get');
        if (!zone) throw zoneNotFound(seg[3]);
        return ok(this.renderZone(zone));
      }
      if (m === 'DELETE') {
        need('dns.managedZones.delete');
        if (!zone) throw zoneNotFound(seg[3]);
        this.deleteZone(zone);
        return { status: 204, body: undefined };
      }
    }
    if (!zone) {
      need(seg[4] === 'changes' && m === 'POST' ? 'dns.changes.create' : 'dns.managedZones.get');
      throw zoneNotFound(seg[3]);
    }
    if (seg[4] === 'rrsets') {
      if (seg.length === 5 && m === 'GET') {
        need('dns.resourceRecordSets.list');
        return ok(this.listRrsets(zone, req.query));
      }
      if (seg.length === 5 && m === 'POST') {
        need('dns.resourceRecordSets.create');
        return ok(this.createRrset(zone, req.body ?? {}));
      }
      if (seg.length === 7) {
        const key = `${absolute(seg[5])}|${seg[6].toUpperCase()}`;
        const label = `${absolute(seg[5])} (${seg[6].toUpperCase()})`;
        const found = zone.rrsets.get(key);
        const missing = () => new ApiError(404, `The 'parameters.name' resource named '${label}' does not exist.`, 'notFound');
        if (m === 'GET') {
          need('dns.resourceRecordSets.get');
          if (!found) throw missing();
          return ok(renderRrset(found));
        }
        if (m === 'PATCH') {
          need('dns.resourceRecordSets.update');
          if (!found) throw missing();
          return ok(this.patchRrset(zone, found, req.body ?? {}));
        }
        if (m === 'DELETE') {
          need('dns.resourceRecordSets.delete');
          if (!found) throw missing();
          this.applyChange(zone, [], [found]);
          return ok({ kind: 'dns#resourceRecordSetsDeleteResponse' });
        }
      }
    }
    if (seg[4] === 'changes') {
      if (seg.length === 5 && m === 'GET') {
        need('dns.changes.list');
        return ok(this.listChanges(zone, req.query));
      }
      if (seg.length === 5 && m === 'POST') {
        // A change needs the right to change the zone and to add and remove the record sets it names.
        need('dns.changes.create');
        if (Array.isArray(req.body?.additions) && req.body.additions.length) need('dns.resourceRecordSets.create');
        if (Array.isArray(req.body?.deletions) && req.body.deletions.length) need('dns.resourceRecordSets.delete');
        return ok(this.createChange(zone, req.body ?? {}));
      }
      if (seg.length === 6 && m === 'GET') {
        need('dns.changes.get');
        const change = zone.changes.find((c) => c.id === seg[5]);
        if (!change) throw new ApiError(404, `The 'parameters.changeId' resource named '${seg[5]}' does not exist.`, 'notFound');
        return ok(this.renderChange(change));
      }
    }
    throw new ApiError(404, 'Not Found', 'notFound');
  }

  // ---- managed zones ----

  private insertZone(project: string, body: Json): Json {
    const name = body.name;
    if (typeof name !== 'string' || !ZONE_NAME.test(name)) throw invalidValue('entity.managedZone.name', name);
    const dnsName = body.dnsName;
    if (typeof dnsName !== 'string' || !dnsName.endsWith('.') || !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+$/i.test(dnsName))
      throw invalidValue('entity.managedZone.dnsName', dnsName);
    const visibility = body.visibility ?? 'public';
    if (visibility !== 'public' && visibility !== 'private') throw invalidValue('entity.managedZone.visibility', visibility);
    // Verbatim format: "The resource 'entity.managedZone' named 'my-zone' already exists".
    if (this.zones.has(`${project}/${name}`))
      throw new ApiError(409, `The resource 'entity.managedZone' named '${name}' already exists`, 'alreadyExists');
    const zone = this.createZone(project, { name, dnsName: dnsName.toLowerCase(), description: body.description ?? '', visibility });
    this.onChange();
    return this.renderZone(zone);
  }

  private createZone(project: string, z: { name: string; dnsName: string; description: string; visibility: string }): ZoneRecord {
    const digest = createHash('sha256').update(`${project}/${z.name}/${Date.now()}`).digest();
    const shard = 'abcde'[digest[0] % 5] + String(1 + (digest[1] % 4));
    const nameServers = [1, 2, 3, 4].map((i) => `ns-cloud-${shard[0]}${i}.googledomains.com.`);
    const zone: ZoneRecord = {
      project,
      ...z,
      id: ((BigInt('0x' + digest.subarray(2, 9).toString('hex')) % 9_000_000_000_000_000n) + 1_000_000_000_000_000n).toString(),
      creationTime: new Date().toISOString(),
      nameServers,
      rrsets: new Map(),
      changes: [],
    };
    // A new zone holds its NS and SOA record sets; they are change 0.
    this.put(zone, { name: z.dnsName, type: 'NS', ttl: 21600, rrdatas: nameServers });
    this.put(zone, {
      name: z.dnsName,
      type: 'SOA',
      ttl: 21600,
      rrdatas: [`${nameServers[0]} cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300`],
    });
    zone.changes.push({
      id: '0',
      startTime: zone.creationTime,
      doneAt: Date.now(),
      additions: [...zone.rrsets.values()].map((r) => ({ ...r })),
      deletions: [],
    });
    this.zones.set(`${project}/${z.name}`, zone);
    return zone;
  }

  private deleteZone(zone: ZoneRecord): void {
    const others = [...zone.rrsets.values()].filter((r) => !(r.name === zone.dnsName && (r.type === 'NS' || r.type === 'SOA')));
    // Verbatim format: "The resource named 'my-zone' cannot be deleted because it is not empty".
    if (others.length)
      throw new ApiError(400, `The resource named '${zone.name}' cannot be deleted because it is not empty`, 'containerNotEmpty');
    this.zones.delete(`${zone.project}/${zone.name}`);
  }

  private listZones(project: string, query: URLSearchParams): Json {
    const wanted = query.get('dnsName');
    const zones = [...this.zones.values()].filter((z) => z.project === project && (!wanted || z.dnsName === absolute(wanted)));
    const { items, nextPageToken } = page(zones, query);
    return {
      kind: 'dns#managedZonesListResponse',
      managedZones: items.map((z) => this.renderZone(z)),
      ...(nextPageToken ? { nextPageToken } : {}),
    };
  }

  private renderZone(z: ZoneRecord): Json {
    return {
      kind: 'dns#managedZone',
      name: z.name,
      dnsName: z.dnsName,
      description: z.description,
      id: z.id,
      nameServers: [...z.nameServers],
      creationTime: z.creationTime,
      visibility: z.visibility,
      cloudLoggingConfig: { kind: 'dns#managedZoneCloudLoggingConfig' },
    };
  }

  // ---- record sets ----

  private listRrsets(zone: ZoneRecord, query: URLSearchParams): Json {
    const name = query.get('name');
    const type = query.get('type');
    // Verbatim: a type filter needs a name.
    if (type && !name)
      throw new ApiError(400, "Invalid value for 'parameters.type': 'type' may only be specified when 'name' is specified.", 'invalid');
    const found = [...zone.rrsets.values()].filter((r) => (!name || r.name === absolute(name)) && (!type || r.type === type.toUpperCase()));
    const { items, nextPageToken } = page(found, query);
    return { kind: 'dns#resourceRecordSetsListResponse', rrsets: items.map(renderRrset), ...(nextPageToken ? { nextPageToken } : {}) };
  }

  private createRrset(zone: ZoneRecord, body: Json): Json {
    const rrset = this.checked(zone, body, 'entity.rrset');
    if (zone.rrsets.has(key(rrset)))
      throw new ApiError(409, `The resource 'entity.rrset' named '${rrset.name} (${rrset.type})' already exists`, 'alreadyExists');
    this.applyChange(zone, [rrset], []);
    return renderRrset(rrset);
  }

  private patchRrset(zone: ZoneRecord, found: RecordSet, body: Json): Json {
    const next = this.checked(
      zone,
      { name: found.name, type: found.type, ttl: body.ttl ?? found.ttl, rrdatas: body.rrdatas ?? found.rrdatas },
      'entity.rrset',
    );
    this.applyChange(zone, [next], [found]);
    return renderRrset(next);
  }

  // ---- changes ----

  private createChange(zone: ZoneRecord, body: Json): Json {
    const additions = (Array.isArray(body.additions) ? body.additions : []).map((r: Json, i: number) =>
      this.checked(zone, r, `entity.change.additions[${i}]`),
    );
    const deletions: RecordSet[] = (Array.isArray(body.deletions) ? body.deletions : []).map((r: Json, i: number) =>
      this.checked(zone, r, `entity.change.deletions[${i}]`),
    );
    // Verbatim: "The 'entity.change' resource named 'change' does not have any additions or deletions."
    if (!additions.length && !deletions.length)
      throw new ApiError(400, "The 'entity.change' resource named 'change' does not have any additions or deletions.", 'required');
    deletions.forEach((d, i) => {
      const live = zone.rrsets.get(key(d));
      if (!live)
        throw new ApiError(404, `The 'entity.change.deletions[${i}]' resource named '${d.name} (${d.type})' does not exist.`, 'notFound');
      // A deletion must name the record set as it is: someone else may have changed it since it was read.
      if (live.ttl !== d.ttl || [...live.rrdatas].sort().join('\n') !== [...d.rrdatas].sort().join('\n')) {
        throw new ApiError(412, `Precondition not met for 'entity.change.deletions[${i}]'`, 'conditionNotMet');
      }
    });
    const deleted = new Set(deletions.map(key));
    additions.forEach((a: RecordSet, i: number) => {
      if (zone.rrsets.has(key(a)) && !deleted.has(key(a))) {
        throw new ApiError(
          409,
          `The resource 'entity.change.additions[${i}]' named '${a.name} (${a.type})' already exists`,
          'alreadyExists',
        );
      }
    });
    return this.renderChange(this.applyChange(zone, additions, deletions));
  }

  /** Applies at once (reads see it); the change reads "pending" until the operation latency has passed. */
  private applyChange(zone: ZoneRecord, additions: RecordSet[], deletions: RecordSet[]): ChangeRecord {
    for (const d of deletions) this.remove(zone, d);
    for (const a of additions) this.put(zone, a);
    const now = Date.now();
    const change: ChangeRecord = {
      id: String(zone.changes.length),
      startTime: new Date(now).toISOString(),
      doneAt: now + this.store.operationLatencyMs,
      additions,
      deletions,
    };
    zone.changes.push(change);
    this.onChange();
    return change;
  }

  private listChanges(zone: ZoneRecord, query: URLSearchParams): Json {
    const ordered = query.get('sortOrder') === 'descending' ? [...zone.changes].reverse() : zone.changes;
    const { items, nextPageToken } = page(ordered, query);
    return {
      kind: 'dns#changesListResponse',
      changes: items.map((c) => this.renderChange(c)),
      ...(nextPageToken ? { nextPageToken } : {}),
    };
  }

  private renderChange(c: ChangeRecord): Json {
    return {
      kind: 'dns#change',
      id: c.id,
      startTime: c.startTime,
      status: Date.now() >= c.doneAt ? 'done' : 'pending',
      ...(c.additions.length ? { additions: c.additions.map(renderRrset) } : {}),
      ...(c.deletions.length ? { deletions: c.deletions.map(renderRrset) } : {}),
    };
  }

  /** A record set as sent, checked as Google checks it. */
  private checked(zone: ZoneRecord, body: Json, field: string): RecordSet {
    const rawName = body?.name;
    if (typeof rawName !== 'string' || !rawName.endsWith('.')) throw invalidValue(`${field}.name`, rawName);
    const name = rawName.toLowerCase();
    if (name !== zone.dnsName && !name.endsWith(`.${zone.dnsName}`)) {
      throw new ApiError(400, `The resource '${field}' named '${name}' is not within the zone '${zone.dnsName}'`, 'invalid');
    }
    const type = String(body.type ?? '').toUpperCase();
    if (!KNOWN_TYPES.has(type)) throw invalidValue(`${field}.type`, body.type);
    const ttl = body.ttl === undefined ? 300 : Number(body.ttl);
    if (!Number.isInteger(ttl) || ttl < 0) throw invalidValue(`${field}.ttl`, body.ttl);
    const rrdatas: string[] = Array.isArray(body.rrdatas) ? body.rrdatas.map(String) : [];
    if (!rrdatas.length) throw new ApiError(400, `The resource '${field}' named '${name} (${type})' has no rrdatas.`, 'required');
    rrdatas.forEach((v, i) => {
      const bad =
        (type === 'A' && !IPV4.test(v)) ||
        (type === 'AAAA' && (!v.includes(':') || !/^[0-9a-f:.]+$/i.test(v))) ||
        (type === 'CNAME' && (rrdatas.length > 1 || !v.endsWith('.')));
      if (bad) throw invalidValue(`${field}.rrdata[${i}]`, v);
    });
    if (type === 'CNAME' && name === zone.dnsName)
      throw new ApiError(400, `The resource '${field}' named '${name} (CNAME)' is a CNAME at the zone apex.`, 'invalid');
    return { name, type, ttl, rrdatas };
  }

  private put(zone: ZoneRecord, r: RecordSet): void {
    zone.rrsets.set(key(r), r);
    if (zone.visibility === 'public' && SERVED.includes(r.type)) {
      this.store.setDns({ name: r.name, type: r.type as DnsType, values: r.rrdatas.map((v) => served(r.type, v)), ttl: r.ttl });
    }
  }

  private remove(zone: ZoneRecord, r: RecordSet): void {
    zone.rrsets.delete(key(r));
    if (zone.visibility === 'public' && SERVED.includes(r.type)) this.store.removeDns(r.name, r.type as DnsType);
  }
}

const key = (r: { name: string; type: string }) => `${r.name}|${r.type}`;
const renderRrset = (r: RecordSet): Json => ({
  kind: 'dns#resourceRecordSet',
  name: r.name,
  type: r.type,
  ttl: r.ttl,
  rrdatas: [...r.rrdatas],
});
const ok = (body: Json) => ({ status: 200, body });

/** Zone-file text → what the DNS server puts on the wire: TXT strings lose their quotes. */
function served(type: string, value: string): string {
  if (type !== 'TXT') return value;
  const parts = [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  return parts.length ? parts.join('') : value;
}

function page<T>(items: T[], query: URLSearchParams): { items: T[]; nextPageToken?: string } {
  const size = Math.min(Math.max(Number(query.get('maxResults')) || PAGE, 1), PAGE);
  const start = Number(query.get('pageToken') ? Buffer.from(query.get('pageToken')!, 'base64url').toString() : 0) || 0;
  const slice = items.slice(start, start + size);
  return { items: slice, nextPageToken: start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined };
}
