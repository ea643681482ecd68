// Rules for a load balancer that serves a Certificate Manager map: each DNS authorization's `_acme-challenge` CNAME
// (missing, pointing elsewhere, CAA in the way), each certificate's and domain's state with its cause and remedy,
// domains no map entry serves, and — once the certificate is ACTIVE — whether the A record can move now.
// Pure: no vscode, no I/O.
import { evaluateCaa, formatCaaRecord, GOOGLE_CA_DOMAINS } from '../dns/caa';
import type { DomainInspection } from '../dns/inspect';
import { addressesOf } from '../dns/inspect';
import { describeDnsError, normalizeDomain } from '../dns/types';
import { consoleUrl } from '../gcp/consoleUrl';
import type {
  CertificateManagerCertificateNode,
  CertificateMapEntryNode,
  CertificateMapNode,
  DnsAuthorizationNode,
  LoadBalancer,
  TargetHttpsProxyNode,
  Topology,
} from '../topology/model';
import type { Finding, QuickFix, RelatedResource } from './finding';
import { listText } from './format';

/** Google's page on DNS authorization for Certificate Manager. */
export const DNS_AUTHORIZATION_URL = 'https://cloud.google.com/certificate-manager/docs/dns-authorizations';

export interface CertificateMapContext {
  topology: Topology;
  /** Inspections by normalised name: the domains and their `_acme-challenge` names. */
  dns: ReadonlyMap<string, DomainInspection>;
}

/** The maps a load balancer's HTTPS proxies serve, with the proxy that serves each. */
export function certificateMapsOf(lb: LoadBalancer): { proxy: TargetHttpsProxyNode; map: CertificateMapNode }[] {
  const out: { proxy: TargetHttpsProxyNode; map: CertificateMapNode }[] = [];
  for (const rule of lb.rules) {
    const proxy = rule.target;
    if (proxy?.kind !== 'targetHttpsProxy' || proxy.certificateMap?.kind !== 'certificateMap') continue;
    if (!out.some((x) => x.proxy.id === proxy.id)) out.push({ proxy, map: proxy.certificateMap });
  }
  return out;
}

const certificatesOf = (map: CertificateMapNode): CertificateManagerCertificateNode[] => {
  const seen = new Map<string, CertificateManagerCertificateNode>();
  for (const e of map.entries) for (const c of e.certificates) if (c.kind === 'certificateManagerCertificate') seen.set(c.id, c);
  return [...seen.values()];
};

/** The names whose DNS the rules read: the certificates' domains and their authorizations' record names. */
export function certificateMapNames(lb: LoadBalancer): string[] {
  const names = new Set<string>();
  for (const { map } of certificateMapsOf(lb)) {
    for (const cert of certificatesOf(map)) {
      for (const d of cert.domains) if (!d.startsWith('*.')) names.add(normalizeDomain(d));
      for (const a of cert.authorizations) if (a.kind === 'dnsAuthorization' && a.record) names.add(normalizeDomain(a.record.name));
    }
  }
  return [...names].sort();
}

/** Does a certificate (its domains, wildcards included) cover a host name? */
function covers(cert: CertificateManagerCertificateNode, host: string): boolean {
  return cert.domains.some((d) => {
    const domain = normalizeDomain(d);
    return (
      domain === host || (domain.startsWith('*.') && host.endsWith(domain.slice(1)) && host.split('.').length === domain.split('.').length)
    );
  });
}

/** The entry Google picks for a client's SNI name: exact hostname, then wildcard hostname, then primary. */
function servingEntry(map: CertificateMapNode, host: string): CertificateMapEntryNode | undefined {
  const wildcard = `*.${host.split('.').slice(1).join('.')}`;
  return (
    map.entries.find((e) => e.hostname === host) ?? map.entries.find((e) => e.hostname === wildcard) ?? map.entries.find((e) => e.primary)
  );
}

export function certificateMapFindings(lb: LoadBalancer, context: CertificateMapContext): Finding[] {
  const out: Finding[] = [];
  for (const { proxy, map } of certificateMapsOf(lb)) {
    const certs = certificatesOf(map);
    const mapRelated: RelatedResource = { id: map.id, message: `certificate map ${map.name} on target HTTPS proxy ${proxy.name}` };
    for (const cert of certs) out.push(...certificateRules(lb, cert, mapRelated, context));
    out.push(...coverageRules(lb, map, certs, mapRelated));
  }
  return out;
}

function certificateRules(
  lb: LoadBalancer,
  cert: CertificateManagerCertificateNode,
  mapRelated: RelatedResource,
  context: CertificateMapContext,
): Finding[] {
  const out: Finding[] = [];
  const project = context.topology.project;
  const certRelated: RelatedResource = {
    id: cert.id,
    message: `Certificate Manager certificate ${cert.name}: ${cert.state ?? 'self-managed'}`,
  };
  const open: QuickFix = {
    kind: 'openCertificate',
    consoleUrl: consoleUrl(project, { kind: 'certificateManagerCertificate', name: cert.name }),
  };
  const base = { anchor: 'name' as const, certificateId: cert.id, loadBalancerId: lb.id };
  if (!cert.managed) return out;
  const active = cert.state === 'ACTIVE';
  const causes = new Map<string, string[]>();

  // The authorization CNAMEs: each must exist and point at the target Google gave; CAA must allow Google's CAs.
  for (const auth of cert.authorizations) {
    if (auth.kind !== 'dnsAuthorization' || !auth.record) continue;
    const found = cnameFinding(cert, auth, context.dns, active);
    if (found) {
      out.push({
        ...found,
        ...base,
        related: [{ id: auth.id, message: `DNS authorization ${auth.name} for ${auth.domain}` }, certRelated, mapRelated],
        fixes: [{ kind: 'copyDnsRecord', record: `${auth.record.name} 300 IN CNAME ${auth.record.data}` }, { kind: 'recheck' }],
        domain: auth.domain,
      });
      causes.set(auth.domain, [...(causes.get(auth.domain) ?? []), found.key]);
    }
  }
  for (const domain of cert.domains.map(normalizeDomain).filter((d) => !d.startsWith('*.'))) {
    const caa = context.dns.get(domain)?.caa;
    if (active || caa?.kind !== 'found') continue;
    const verdict = evaluateCaa(caa.records);
    if (verdict.allowed) continue;
    const key = `cm-caa-forbids:${cert.id}:${domain}`;
    out.push({
      code: 'cm-caa-forbids',
      key,
      severity: 'error',
      ...base,
      domain,
      message: `The CAA records of ${caa.owner} (${listText(caa.records.map(formatCaaRecord))}) do not let Google's certificate authorities issue for ${domain}, so certificate ${cert.name} cannot be issued.`,
      remedy: `Add a CAA record to ${caa.owner}: ${caa.owner}. 300 IN CAA 0 issue "${GOOGLE_CA_DOMAINS[0]}" (and one for ${GOOGLE_CA_DOMAINS[1]}), keeping the issuers you use.`,
      related: [certRelated, mapRelated],
      fixes: [{ kind: 'copyDnsRecord', record: `${caa.owner}. 300 IN CAA 0 issue "${GOOGLE_CA_DOMAINS[0]}"` }, { kind: 'recheck' }],
      pending: false,
    });
    causes.set(domain, [...(causes.get(domain) ?? []), key]);
  }

  // The certificate's and each domain's state, with what explains it.
  if (cert.state === 'FAILED') {
    out.push({
      code: 'cm-failed',
      key: `cm-failed:${cert.id}`,
      severity: 'error',
      ...base,
      message: `Certificate Manager certificate ${cert.name} failed${cert.provisioningIssue?.details ? `: ${cert.provisioningIssue.details}` : '.'} Google no longer retries it.`,
      remedy: `Fix the causes below, then create the certificate again (a new name) and point the map entries at it: gcloud certificate-manager certificates create NEW_NAME --domains=${cert.domains.join(',')} --dns-authorizations=${cert.authorizations.map((a) => a.name).join(',')}`,
      related: [certRelated, mapRelated],
      fixes: [open],
      pending: false,
      explainedBy: [...causes.values()].flat(),
    });
  } else if (!active) {
    const failed = cert.attempts.filter((a) => a.state === 'FAILED');
    for (const attempt of failed) {
      const reason = attempt.failureReason ?? 'UNKNOWN';
      out.push({
        code: 'cm-domain-failed',
        key: `cm-domain-failed:${cert.id}:${attempt.domain}`,
        severity: 'error',
        ...base,
        domain: attempt.domain,
        message: `Certificate ${cert.name} cannot be issued for ${attempt.domain} (${reason})${attempt.details ? `: ${attempt.details}` : '.'}`,
        remedy:
          reason === 'CAA'
            ? `Let Google's CAs issue for ${attempt.domain}: add CAA 0 issue "pki.goog" to its zone (or remove the CAA records that forbid it). Google retries by itself.`
            : reason === 'RATE_LIMITED'
              ? 'The certificate authority is limiting requests for this domain; Google retries by itself. Wait, and avoid re-creating the certificate meanwhile.'
              : `Create the _acme-challenge CNAME of ${attempt.domain}'s DNS authorization exactly as Google gave it (gcloud certificate-manager dns-authorizations describe ${cert.authorizations.find((a) => a.kind === 'dnsAuthorization' && a.domain === attempt.domain.replace(/^\*\./, ''))?.name ?? 'AUTHORIZATION'}); Google retries by itself.`,
        related: [certRelated, mapRelated],
        fixes: [open, { kind: 'recheck' }],
        pending: true,
        explainedBy: causes.get(attempt.domain.replace(/^\*\./, '')),
      });
    }
    if (!failed.length) {
      const waiting = cert.attempts.filter((a) => a.state !== 'AUTHORIZED').map((a) => a.domain);
      out.push({
        code: 'cm-provisioning',
        key: `cm-provisioning:${cert.id}`,
        severity: 'information',
        ...base,
        message: `Certificate Manager certificate ${cert.name} is being issued${waiting.length ? ` (waiting for ${listText(waiting)})` : ''}; it does not need the A record${lb.ip ? ` to point at ${lb.ip}` : ''}.`,
        remedy: causes.size
          ? 'Create the _acme-challenge CNAME records named below; it becomes ACTIVE minutes after they resolve.'
          : 'Nothing to do: it becomes ACTIVE minutes after the _acme-challenge CNAMEs resolve. Keep the A record where it is until then.',
        related: [certRelated, mapRelated],
        fixes: [{ kind: 'recheck' }],
        pending: true,
        explainedBy: [...causes.values()].flat(),
      });
    }
  } else if (lb.ip) {
    // ACTIVE: the certificate works wherever the A record points; say so while it points elsewhere.
    for (const domain of cert.domains.map(normalizeDomain).filter((d) => !d.startsWith('*.'))) {
      const inspection = context.dns.get(domain);
      if (!inspection) continue;
      const ips = addressesOf(inspection.a);
      if (inspection.a.kind === 'error' || (ips.length && ips.every((ip) => ip === lb.ip))) continue;
      out.push({
        code: 'cm-a-can-move',
        key: `cm-a-can-move:${cert.id}:${domain}`,
        severity: 'information',
        ...base,
        domain,
        message: ips.length
          ? `Certificate ${cert.name} is ACTIVE: the A record of ${domain} can move now. It points to ${listText(ips)}; load balancer ${lb.name} serves ${lb.ip} with a valid certificate already, so HTTPS keeps working through the move.`
          : `Certificate ${cert.name} is ACTIVE: create the A record of ${domain} now; load balancer ${lb.name} serves ${lb.ip} with a valid certificate already.`,
        remedy: `Set the A record: ${domain}. 300 IN A ${lb.ip}${ips.length ? ` (replacing ${listText(ips)})` : ''}.`,
        related: [certRelated, mapRelated],
        fixes: [{ kind: 'copyDnsRecord', record: `${domain}. 300 IN A ${lb.ip}` }, { kind: 'copyIp', ip: lb.ip }, { kind: 'recheck' }],
        pending: true,
      });
    }
  }
  return out;
}

/** A missing or wrong `_acme-challenge` CNAME; undefined when it is right or was not looked up. */
function cnameFinding(
  cert: CertificateManagerCertificateNode,
  auth: DnsAuthorizationNode,
  dns: ReadonlyMap<string, DomainInspection>,
  active: boolean,
): Omit<Finding, 'anchor' | 'related' | 'fixes'> | undefined {
  const record = auth.record!;
  const name = normalizeDomain(record.name);
  const inspection = dns.get(name);
  if (!inspection) return undefined;
  const target = normalizeDomain(record.data);
  const severity = active ? ('warning' as const) : ('error' as const);
  const why = active
    ? `Certificate ${cert.name} is ACTIVE, but Google renews it through this record: keep it.`
    : `Certificate ${cert.name} cannot be issued for ${auth.domain} without it.`;
  const failure = inspection.failures.find((f) => f.type === 'CNAME');
  if (failure) {
    return {
      code: 'cm-cname-missing',
      key: `cm-cname-missing:${auth.id}`,
      severity: 'warning',
      pending: true,
      domain: auth.domain,
      message: `The CNAME record ${name} could not be checked: ${describeDnsError(failure.code)}.`,
      remedy: 'Check again in a minute; if it persists, check the DNS servers in cloudRunGlobal.dnsServers.',
    };
  }
  const found = inspection.cnameChain[0];
  if (!found) {
    return {
      code: 'cm-cname-missing',
      key: `cm-cname-missing:${auth.id}`,
      severity,
      pending: !active,
      domain: auth.domain,
      message: `The DNS authorization record ${name} CNAME ${target} is missing. ${why}`,
      remedy: `Create the record in the zone of ${auth.domain}: ${name}. 300 IN CNAME ${target}.`,
    };
  }
  if (found !== target) {
    return {
      code: 'cm-cname-wrong',
      key: `cm-cname-wrong:${auth.id}`,
      severity,
      pending: !active,
      domain: auth.domain,
      message: `The CNAME record ${name} points to ${found}, not to ${target} as DNS authorization ${auth.name} requires. ${why}`,
      remedy: `Change the record: ${name}. 300 IN CNAME ${target}.`,
    };
  }
  return undefined;
}

/** Domains that no entry serves, or whose entry serves a certificate that does not cover them. */
function coverageRules(
  lb: LoadBalancer,
  map: CertificateMapNode,
  certs: CertificateManagerCertificateNode[],
  mapRelated: RelatedResource,
): Finding[] {
  const out: Finding[] = [];
  const hosts = new Set([...certs.flatMap((c) => c.domains), ...lb.domains].map(normalizeDomain).filter((d) => d && !d.startsWith('*.')));
  for (const host of [...hosts].sort()) {
    const entry = servingEntry(map, host);
    const base = { anchor: 'name' as const, loadBalancerId: lb.id, domain: host, pending: false, fixes: [{ kind: 'recheck' as const }] };
    if (!entry) {
      out.push({
        code: 'cm-entry-missing',
        key: `cm-entry-missing:${map.id}:${host}`,
        severity: 'error',
        ...base,
        message: `Certificate map ${map.name} has no entry for ${host} and no primary entry: clients asking for ${host} get no certificate from load balancer ${lb.name}.`,
        remedy: `Add an entry: gcloud certificate-manager maps entries create ${host.replace(/[^a-z0-9]+/g, '-')}-entry --map=${map.name} --hostname=${host} --certificates=${certs[0]?.name ?? 'CERTIFICATE'}`,
        related: [mapRelated],
      });
      continue;
    }
    const served = entry.certificates.filter((c): c is CertificateManagerCertificateNode => c.kind === 'certificateManagerCertificate');
    if (served.length && !served.some((c) => covers(c, host))) {
      out.push({
        code: 'cm-entry-wrong-certificate',
        key: `cm-entry-wrong-certificate:${map.id}:${host}`,
        severity: 'error',
        ...base,
        message: `Clients asking for ${host} get the ${entry.primary ? 'primary' : `${entry.hostname}`} entry of certificate map ${map.name}, whose certificate ${listText(served.map((c) => c.name))} does not cover ${host}: browsers refuse it.`,
        remedy: `Add an entry for ${host} with a certificate that covers it: gcloud certificate-manager maps entries create ${host.replace(/[^a-z0-9]+/g, '-')}-entry --map=${map.name} --hostname=${host} --certificates=${certs.find((c) => covers(c, host))?.name ?? 'CERTIFICATE'}`,
        related: [{ id: entry.id, message: `certificate map entry ${entry.name}` }, mapRelated],
      });
    }
  }
  return out;
}

/** The load balancers whose maps serve a Certificate Manager certificate. */
export function loadBalancersServing(topology: Topology, certificateId: string): LoadBalancer[] {
  return topology.loadBalancers.filter((lb) =>
    certificateMapsOf(lb).some(({ map }) => certificatesOf(map).some((c) => c.id === certificateId)),
  );
}

export interface CertificateManagerCheck {
  title: string;
  status: 'OK' | 'FAIL' | 'UNCERTAIN';
  reason: string;
  remedy?: string;
  related: string[];
  codes?: Finding['code'][];
}

/**
 * "Diagnose certificate" for a Certificate Manager certificate: served through a map → each authorization's CNAME →
 * CAA → map entries → state → the A record. The findings are the ones the editor shows.
 */
export function certificateManagerChecks(
  cert: CertificateManagerCertificateNode,
  context: CertificateMapContext,
): { checks: CertificateManagerCheck[]; findings: Finding[] } {
  const lbs = loadBalancersServing(context.topology, cert.id);
  const domains = new Set(cert.domains.map(normalizeDomain));
  const findings = lbs
    .flatMap((lb) => certificateMapFindings(lb, context))
    .filter((f) => f.certificateId === cert.id || (f.certificateId === undefined && f.domain !== undefined && domains.has(f.domain)));
  const unique = findings.filter((f, i) => findings.findIndex((g) => g.key === f.key) === i);
  const checks: CertificateManagerCheck[] = [];
  const fail = (
    title: string,
    found: Finding[],
    related: string[],
    status: CertificateManagerCheck['status'] = 'FAIL',
  ): CertificateManagerCheck => ({
    title,
    status,
    reason: found.map((f) => f.message).join(' '),
    remedy: [...new Set(found.map((f) => f.remedy))].join(' '),
    related,
    codes: [...new Set(found.map((f) => f.code))],
  });
  checks.push(
    lbs.length
      ? {
          title: 'Served through a certificate map',
          status: 'OK',
          reason: `Load balancer ${lbs.map((lb) => lb.name).join(', ')} serves it through ${listText(lbs.flatMap((lb) => certificateMapsOf(lb).map(({ map, proxy }) => `map ${map.name} on proxy ${proxy.name}`)))}.`,
          related: lbs.map((lb) => lb.id),
        }
      : {
          title: 'Served through a certificate map',
          status: 'UNCERTAIN',
          reason: `No HTTPS proxy serves a certificate map with an entry for ${cert.name}.`,
          remedy: 'Add a map entry for each domain with this certificate, and point the HTTPS proxy at the map.',
          related: [cert.id],
        },
  );
  for (const auth of cert.authorizations) {
    if (auth.kind !== 'dnsAuthorization') {
      checks.push({
        title: `DNS authorization ${auth.name}`,
        status: 'FAIL',
        reason: `The certificate names DNS authorization ${auth.name}, which does not exist.`,
        remedy: 'Create the certificate again with authorizations that exist.',
        related: [auth.id],
      });
      continue;
    }
    const title = `CNAME ${auth.record?.name ?? `_acme-challenge.${auth.domain}.`}`;
    const found = unique.filter(
      (f) => (f.code === 'cm-cname-missing' || f.code === 'cm-cname-wrong') && f.related.some((r) => r.id === auth.id),
    );
    if (found.length) checks.push(fail(title, found, [auth.id]));
    else if (!auth.record || !context.dns.has(normalizeDomain(auth.record.name)))
      checks.push({ title, status: 'UNCERTAIN', reason: 'Not looked up yet.', remedy: 'Re-check in a moment.', related: [auth.id] });
    else
      checks.push({
        title,
        status: 'OK',
        reason: `${auth.record.name} points to ${auth.record.data}, as DNS authorization ${auth.name} requires.`,
        related: [auth.id],
      });
  }
  const caa = unique.filter((f) => f.code === 'cm-caa-forbids');
  checks.push(
    caa.length
      ? fail("CAA allows Google's certificate authorities", caa, [cert.id])
      : { title: "CAA allows Google's certificate authorities", status: 'OK', reason: 'No CAA record in the way.', related: [cert.id] },
  );
  const coverage = unique.filter((f) => f.code === 'cm-entry-missing' || f.code === 'cm-entry-wrong-certificate');
  checks.push(
    coverage.length
      ? fail('Map entries serve every domain', coverage, [])
      : {
          title: 'Map entries serve every domain',
          status: lbs.length ? 'OK' : 'UNCERTAIN',
          reason: lbs.length ? 'Every domain has an entry whose certificate covers it.' : 'No map serves it.',
          related: [],
        },
  );
  const state = unique.filter((f) => f.code === 'cm-failed' || f.code === 'cm-domain-failed');
  const waiting = unique.filter((f) => f.code === 'cm-provisioning');
  checks.push(
    cert.state === 'ACTIVE'
      ? { title: 'Status', status: 'OK', reason: `ACTIVE${cert.expireTime ? `, until ${cert.expireTime}` : ''}.`, related: [cert.id] }
      : state.length
        ? fail('Status', state, [cert.id])
        : waiting.length
          ? fail('Status', waiting, [cert.id], 'UNCERTAIN')
          : {
              title: 'Status',
              status: cert.managed ? 'UNCERTAIN' : 'OK',
              reason: cert.managed ? `${cert.state ?? 'PROVISIONING'}.` : 'Self-managed.',
              related: [cert.id],
            },
  );
  const move = unique.filter((f) => f.code === 'cm-a-can-move');
  checks.push(
    move.length
      ? fail('A records', move, [], 'UNCERTAIN')
      : {
          title: 'A records',
          status: 'OK',
          reason:
            cert.state === 'ACTIVE'
              ? 'They point at the load balancer.'
              : 'Not needed before the certificate is ACTIVE: keep them where they are until then.',
          related: [],
        },
  );
  return { checks, findings: unique };
}
