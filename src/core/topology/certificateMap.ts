// Certificate Manager's resources as topology nodes: maps with their entries, the certificates the entries serve,
// and the DNS authorizations those certificates use. Every resource read becomes a node, used or not, so that a
// certificate another map still serves is known to be in use. Pure.
import { mapOfEntry, shortName, type CertificateManagerInventory } from '../gcp/certificateManager';
import type {
  CertificateManagerCertificateNode,
  CertificateManagerNode,
  CertificateMapEntryNode,
  CertificateMapNode,
  DnsAuthorizationNode,
  MissingNode,
} from './model';

export interface CertificateManagerGraph {
  nodes: CertificateManagerNode[];
  maps: Map<string, CertificateMapNode>;
  /** target id → ids of what refers to it (an entry refers to its map, so a kept map keeps its entries). */
  referrers: [string, string][];
}

/** projects/123/… and projects/id/… name the same project: ids use the inventory's project id. */
function canonical(name: string | null | undefined, project: string): string {
  return String(name ?? '').replace(/^projects\/[^/]+\//, `projects/${project}/`);
}

const missing = (id: string, expected: MissingNode['expected']): MissingNode => ({
  kind: 'missing',
  id,
  expected,
  ref: id,
  name: shortName(id),
});

export function buildCertificateManagerGraph(inventory: CertificateManagerInventory, project: string): CertificateManagerGraph {
  const referrers: [string, string][] = [];
  const auths = new Map<string, DnsAuthorizationNode>();
  for (const a of inventory.dnsAuthorizations) {
    const id = canonical(a.name, project);
    const r = a.dnsResourceRecord;
    auths.set(id, {
      kind: 'dnsAuthorization',
      id,
      name: shortName(id),
      domain: a.domain ?? '',
      record: r?.name && r.data ? { name: r.name, type: r.type ?? 'CNAME', data: r.data } : undefined,
      resource: a,
    });
  }
  const certs = new Map<string, CertificateManagerCertificateNode>();
  for (const c of inventory.certificates) {
    const id = canonical(c.name, project);
    const managed = c.managed ?? undefined;
    const authorizations = (managed?.dnsAuthorizations ?? []).map((ref) => {
      const authId = canonical(ref, project);
      referrers.push([authId, id]);
      return auths.get(authId) ?? missing(authId, 'dnsAuthorization');
    });
    certs.set(id, {
      kind: 'certificateManagerCertificate',
      id,
      name: shortName(id),
      managed: !!managed,
      state: managed?.state ?? undefined,
      domains: managed?.domains ?? c.sanDnsnames ?? [],
      attempts: (managed?.authorizationAttemptInfo ?? []).map((a) => ({
        domain: a.domain ?? '',
        state: a.state ?? 'UNKNOWN',
        ...(a.failureReason ? { failureReason: a.failureReason } : {}),
        ...(a.details ? { details: a.details } : {}),
      })),
      provisioningIssue: managed?.provisioningIssue
        ? { reason: managed.provisioningIssue.reason ?? undefined, details: managed.provisioningIssue.details ?? undefined }
        : undefined,
      authorizations,
      expireTime: c.expireTime ?? undefined,
      resource: c,
    });
  }
  const maps = new Map<string, CertificateMapNode>();
  for (const m of inventory.certificateMaps) {
    const id = canonical(m.name, project);
    maps.set(id, { kind: 'certificateMap', id, name: shortName(id), entries: [], resource: m });
  }
  const entries: CertificateMapEntryNode[] = [];
  for (const e of inventory.certificateMapEntries) {
    const id = canonical(e.name, project);
    const mapId = canonical(mapOfEntry(e.name), project);
    const certificates = (e.certificates ?? []).map((ref) => {
      const certId = canonical(ref, project);
      referrers.push([certId, id]);
      return certs.get(certId) ?? missing(certId, 'certificateManagerCertificate');
    });
    const node: CertificateMapEntryNode = {
      kind: 'certificateMapEntry',
      id,
      name: shortName(id),
      mapId,
      hostname: e.hostname ?? undefined,
      primary: e.matcher === 'PRIMARY',
      certificates,
      resource: e,
    };
    referrers.push([id, mapId]);
    entries.push(node);
    maps.get(mapId)?.entries.push(node);
  }
  // Hostname entries first, by name; the primary entry last.
  for (const map of maps.values())
    map.entries.sort(
      (a, b) => Number(a.primary) - Number(b.primary) || (a.hostname ?? '').localeCompare(b.hostname ?? '') || a.name.localeCompare(b.name),
    );
  return { nodes: [...auths.values(), ...certs.values(), ...maps.values(), ...entries], maps, referrers };
}

/** Every node a map reaches: its entries, their certificates, and those certificates' authorizations. */
export function reachableFromMap(map: CertificateMapNode): (CertificateManagerNode | MissingNode)[] {
  const out: (CertificateManagerNode | MissingNode)[] = [map];
  for (const entry of map.entries) {
    out.push(entry);
    for (const cert of entry.certificates) {
      out.push(cert);
      if (cert.kind === 'certificateManagerCertificate') out.push(...cert.authorizations);
    }
  }
  return out;
}

/** The Certificate Manager certificates a map serves, once each. */
export function certificatesOfMap(map: CertificateMapNode): CertificateManagerCertificateNode[] {
  const seen = new Map<string, CertificateManagerCertificateNode>();
  for (const entry of map.entries)
    for (const cert of entry.certificates) if (cert.kind === 'certificateManagerCertificate') seen.set(cert.id, cert);
  return [...seen.values()];
}
