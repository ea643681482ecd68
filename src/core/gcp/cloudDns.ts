// Cloud DNS v1: the public managed zones a user can see and the record sets of the domains that matter.
// Every write is a change (additions and deletions applied atomically); a deletion names the record set
// as it was read, so a record someone changed meanwhile is refused (412) rather than overwritten.
import type { dns_v1 } from 'googleapis/build/src/apis/dns/v1';
import { CloudError, toCloudError } from './errors';
import { callGoogle, RequestContext } from './request';
import { sleep } from './retry';

/** A managed zone, reduced to what the extension uses. Names have no trailing dot and are lower case. */
export interface DnsZone {
  project: string;
  /** The zone's resource name: `shop-zone`. */
  name: string;
  /** `example.com` */
  dnsName: string;
  visibility: 'public' | 'private';
}

/** A record set: `name` without the trailing dot; `rrdatas` as Cloud DNS writes them. */
export interface DnsRecordSet {
  name: string;
  type: string;
  ttl: number;
  rrdatas: string[];
}

/** A record set together with the zone that holds it. */
export interface ZoneRecordSet extends DnsRecordSet {
  zone: string;
  project: string;
}

/** What the live model knows about Cloud DNS: the public zones of each project read, and the record sets of the domains asked about. */
export interface CloudDnsState {
  zones: DnsZone[];
  /** Record sets at the domains asked about (every type Cloud DNS holds there). */
  records: ZoneRecordSet[];
  /** The domains whose record sets were read (a domain here without records has none). */
  domains: string[];
  /** Projects whose zones could not be read, with the reason (`kind` as CloudError says it). */
  problems: { project: string; message: string; kind?: string }[];
}

export const normalizeName = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');
const absolute = (name: string): string => `${normalizeName(name)}.`;

/** The zone that holds a domain: the public zone with the longest matching DNS name (first project listed wins a tie). */
export function zoneFor(domain: string, zones: readonly DnsZone[]): DnsZone | undefined {
  const d = normalizeName(domain);
  let best: DnsZone | undefined;
  for (const z of zones) {
    if (z.visibility !== 'public') continue;
    if (d !== z.dnsName && !d.endsWith(`.${z.dnsName}`)) continue;
    if (!best || z.dnsName.length > best.dnsName.length) best = z;
  }
  return best;
}

/** The record sets of one name and type as last read. */
export function recordAt(
  state: Pick<CloudDnsState, 'records'> | undefined,
  zone: DnsZone,
  name: string,
  type: string,
): ZoneRecordSet | undefined {
  const n = normalizeName(name);
  return state?.records.find((r) => r.project === zone.project && r.zone === zone.name && r.name === n && r.type === type);
}

/** The permission each action needs: Cloud DNS answers a missing one with a bare "Forbidden". */
const PERMISSIONS = {
  listZones: 'dns.managedZones.list',
  listRecords: 'dns.resourceRecordSets.list',
  change: 'dns.changes.create',
  getChange: 'dns.changes.get',
} as const;

const CHANGE_WAIT_MS = 120_000;

export class CloudDnsClient {
  constructor(
    private readonly dns: () => Promise<dns_v1.Dns>,
    private readonly context: RequestContext,
  ) {}

  get project(): string {
    return this.context.project;
  }

  /** Runs one request; a bare 403 gets the permission it lacked, a missing zone says which. */
  private async call<T>(
    project: string,
    action: string,
    permissions: string | string[],
    repeatable: boolean,
    send: (signal?: AbortSignal) => Promise<{ data: T }>,
    signal?: AbortSignal,
    zone?: string,
  ): Promise<T> {
    try {
      return await callGoogle({ ...this.context, project }, { action, repeatable, signal }, send);
    } catch (err) {
      const e = toCloudError(err, { action, project, endpoint: this.context.endpoint });
      if (e.kind === 'permission' && !e.permission) {
        const all = typeof permissions === 'string' ? [permissions] : permissions;
        const named = all.length === 1 ? `the permission ${all[0]}` : `one of the permissions ${all.join(', ')}`;
        throw new CloudError(`Could not ${action}: you lack ${named} in project ${project}.`, {
          kind: 'permission',
          action,
          status: e.status,
          reason: e.reason,
          googleMessage: e.googleMessage,
          permission: all[0],
          cause: err,
          remedy: `Ask a project owner to grant you roles/dns.admin on ${project} (or a role with ${all.length === 1 ? 'it' : 'them'}), or switch to an account that has it.`,
        });
      }
      if (e.kind === 'notFound' && zone && /managedZone/.test(e.googleMessage ?? '')) {
        throw new CloudError(`Could not ${action}: Cloud DNS zone ${zone} does not exist in project ${project}.`, {
          kind: 'notFound',
          action,
          status: e.status,
          reason: e.reason,
          googleMessage: e.googleMessage,
          cause: err,
          remedy: 'It may have been deleted or moved: refresh, then plan again.',
        });
      }
      throw e;
    }
  }

  /** The public managed zones of a project (private zones are not on the internet: nothing to write there). */
  async listPublicZones(project: string = this.project, signal?: AbortSignal): Promise<DnsZone[]> {
    const api = await this.dns();
    const zones: DnsZone[] = [];
    let pageToken: string | undefined;
    do {
      const data = await this.call(
        project,
        `list the Cloud DNS zones of ${project}`,
        PERMISSIONS.listZones,
        true,
        (s) => api.managedZones.list({ project, maxResults: 1000, ...(pageToken ? { pageToken } : {}) }, { signal: s }),
        signal,
      );
      for (const z of data.managedZones ?? []) {
        const visibility = z.visibility === 'private' ? 'private' : 'public';
        if (visibility === 'public' && z.name && z.dnsName)
          zones.push({ project, name: z.name, dnsName: normalizeName(z.dnsName), visibility });
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return zones;
  }

  /** The record sets at one name (every type, or one). */
  async listRecordSets(zone: DnsZone, name: string, type?: string, signal?: AbortSignal): Promise<ZoneRecordSet[]> {
    const api = await this.dns();
    const out: ZoneRecordSet[] = [];
    let pageToken: string | undefined;
    do {
      const data = await this.call(
        zone.project,
        `read the Cloud DNS records of ${normalizeName(name)} in zone ${zone.name}`,
        PERMISSIONS.listRecords,
        true,
        (s) =>
          api.resourceRecordSets.list(
            {
              project: zone.project,
              managedZone: zone.name,
              name: absolute(name),
              ...(type ? { type } : {}),
              ...(pageToken ? { pageToken } : {}),
            },
            { signal: s },
          ),
        signal,
        zone.name,
      );
      for (const r of data.rrsets ?? []) out.push(fromApi(r, zone));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  async getRecordSet(zone: DnsZone, name: string, type: string, signal?: AbortSignal): Promise<ZoneRecordSet | undefined> {
    return (await this.listRecordSets(zone, name, type, signal))[0];
  }

  /**
   * One atomic change: `remove` must be the record sets exactly as they are (else 412: someone changed them,
   * and nothing is written), `add` what replaces them. Waits until Cloud DNS reports the change done.
   */
  async change(zone: DnsZone, change: { add?: DnsRecordSet[]; remove?: DnsRecordSet[] }, signal?: AbortSignal): Promise<void> {
    const api = await this.dns();
    const what = [
      ...(change.remove ?? []).map((r) => `remove ${r.name} ${r.type}`),
      ...(change.add ?? []).map((r) => `add ${r.name} ${r.type}`),
    ].join(', ');
    const action = `change Cloud DNS zone ${zone.name} (${what})`;
    const requestBody: dns_v1.Schema$Change = {
      additions: (change.add ?? []).map(toApi),
      deletions: (change.remove ?? []).map(toApi),
    };
    // Not repeatable: a lost answer to an applied change would make the repeat fail on its own deletions.
    // Cloud DNS does not say which permission was missing: name every one this change needs.
    const permissions = [
      PERMISSIONS.change,
      ...(change.add?.length ? ['dns.resourceRecordSets.create'] : []),
      ...(change.remove?.length ? ['dns.resourceRecordSets.delete'] : []),
    ];
    let sent = await this.call(
      zone.project,
      action,
      permissions,
      false,
      (s) => api.changes.create({ project: zone.project, managedZone: zone.name, requestBody }, { signal: s }),
      signal,
      zone.name,
    );
    const deadline = Date.now() + CHANGE_WAIT_MS;
    for (let delay = 200; sent.status !== 'done'; delay = Math.min(delay * 2, 5000)) {
      if (Date.now() > deadline) {
        throw new CloudError(
          `Cloud DNS accepted the change to zone ${zone.name} but it is still pending after ${CHANGE_WAIT_MS / 1000} s.`,
          {
            kind: 'transient',
            action,
            remedy: 'It usually completes by itself; refresh in a minute.',
          },
        );
      }
      await sleep(delay, signal);
      const id = sent.id ?? '';
      sent = await this.call(
        zone.project,
        `read change ${id} of Cloud DNS zone ${zone.name}`,
        PERMISSIONS.getChange,
        true,
        (s) => api.changes.get({ project: zone.project, managedZone: zone.name, changeId: id }, { signal: s }),
        signal,
        zone.name,
      );
    }
  }

  /**
   * Reads what the model needs for these domains: the public zones of every project, then the record sets
   * of each domain that falls in one. A project whose zones cannot be read is named in `problems`.
   */
  async readState(projects: readonly string[], domains: readonly string[], signal?: AbortSignal): Promise<CloudDnsState> {
    const problems: CloudDnsState['problems'] = [];
    const unique = [...new Set(projects.map((p) => p.trim()).filter(Boolean))];
    const lists = await Promise.all(
      unique.map(async (project) => {
        try {
          return await this.listPublicZones(project, signal);
        } catch (err) {
          const e = toCloudError(err);
          if (e.kind === 'cancelled') throw e;
          problems.push({ project, message: e.message, kind: e.kind });
          return [];
        }
      }),
    );
    const zones = lists.flat();
    const wanted = [...new Set(domains.map(normalizeName))].sort();
    const records: ZoneRecordSet[] = [];
    const read: string[] = [];
    await Promise.all(
      wanted.map(async (domain) => {
        const zone = zoneFor(domain, zones);
        if (!zone) return;
        try {
          records.push(...(await this.listRecordSets(zone, domain, undefined, signal)));
          read.push(domain);
        } catch (err) {
          const e = toCloudError(err);
          if (e.kind === 'cancelled') throw e;
          problems.push({ project: zone.project, message: e.message, kind: e.kind });
        }
      }),
    );
    records.sort((a, b) => `${a.name}|${a.type}`.localeCompare(`${b.name}|${b.type}`));
    return { zones, records, domains: read.sort(), problems };
  }
}

function fromApi(r: dns_v1.Schema$ResourceRecordSet, zone: DnsZone): ZoneRecordSet {
  return {
    project: zone.project,
    zone: zone.name,
    name: normalizeName(r.name ?? ''),
    type: r.type ?? '',
    ttl: r.ttl ?? 0,
    rrdatas: [...(r.rrdatas ?? [])],
  };
}

function toApi(r: DnsRecordSet): dns_v1.Schema$ResourceRecordSet {
  return { kind: 'dns#resourceRecordSet', name: absolute(r.name), type: r.type, ttl: r.ttl, rrdatas: [...r.rrdatas] };
}
