// "Diagnose certificate…": every check about one certificate, in the order a troubleshooter walks them
// (exists → status → domains → attachment → rules → 443 → certificate map → DNS → CAA → recent
// changes), each OK / FAIL / UNCERTAIN with its reason, remedy and time of observation.
import type { DomainInspection } from '../dns/inspect';
import { normalizeDomain } from '../dns/types';
import type { Operation } from '../gcp/types';
import type { CertificateNode, Topology } from '../topology/model';
import { certificateFindings, checkableDomains, recentChanges } from './certificate';
import { certificateManagerChecks } from './certificateManager';
import type { Finding, FindingCode } from './finding';
import { formatDuration, listText, parseTime } from './format';
import { certificateServing } from './serving';

export type CheckStatus = 'OK' | 'FAIL' | 'UNCERTAIN';

export interface ReportCheck {
  title: string;
  status: CheckStatus;
  reason: string;
  remedy?: string;
  /** Milliseconds since the epoch: when what this check looked at was observed. */
  observedAt: number;
  /** Ids of the resources the check is about. */
  related: string[];
  /** Finding codes behind a FAIL or UNCERTAIN. */
  codes?: FindingCode[];
}

export interface CertificateReport {
  certificateId: string;
  certificateName: string;
  project: string;
  /** Milliseconds since the epoch. */
  generatedAt: number;
  checks: ReportCheck[];
  /** The same facts as diagnostics findings. */
  findings: Finding[];
}

export interface CertificateReportInput {
  certificateId: string;
  topology: Topology;
  dns: ReadonlyMap<string, DomainInspection>;
  operations?: readonly Operation[];
  now: number;
  /** When the topology was listed (default `now`). */
  topologyObservedAt?: number;
  /** When the operations were listed (default `now`). */
  operationsObservedAt?: number;
}

const DNS_ADDRESS_CODES: FindingCode[] = ['dns-missing-a', 'dns-wrong-ip', 'dns-partly-wrong', 'dns-stray-aaaa'];

export function certificateReport(input: CertificateReportInput): CertificateReport {
  const { topology, now } = input;
  const seen = input.topologyObservedAt ?? now;
  const node = topology.nodes.get(input.certificateId);
  const name = node?.name ?? input.certificateId.split('/').pop() ?? input.certificateId;
  const base = { certificateId: input.certificateId, certificateName: name, project: topology.project, generatedAt: now };
  if (node?.kind === 'certificateManagerCertificate') {
    const { checks, findings } = certificateManagerChecks(node, { topology, dns: input.dns });
    return {
      ...base,
      findings,
      checks: [
        {
          title: 'Certificate exists',
          status: 'OK',
          reason: `Certificate Manager certificate ${name} for ${listText(node.domains)}.`,
          observedAt: seen,
          related: [node.id],
        },
        ...checks.map((c) => ({ ...c, observedAt: seen })),
      ],
    };
  }
  if (!node || node.kind !== 'sslCertificate') {
    return {
      ...base,
      findings: [],
      checks: [
        {
          title: 'Certificate exists',
          status: 'FAIL',
          reason: `No SSL certificate ${name} is listed in project ${topology.project}.`,
          remedy: 'Refresh the explorer; the certificate may have been deleted.',
          observedAt: seen,
          related: [input.certificateId],
        },
      ],
    };
  }
  const cert: CertificateNode = node;
  const findings = certificateFindings(cert, { topology, dns: input.dns, operations: input.operations, now });
  const serving = certificateServing(topology, cert);
  const checks: ReportCheck[] = [];
  const from = (codes: FindingCode[], filter: (f: Finding) => boolean = () => true) =>
    findings.filter((f) => codes.includes(f.code) && filter(f));
  const failWith = (title: string, found: Finding[], observedAt: number, related: string[], status: CheckStatus = 'FAIL'): ReportCheck => ({
    title,
    status,
    reason: found.map((f) => f.message).join(' '),
    remedy: [...new Set(found.map((f) => f.remedy))].join(' '),
    observedAt,
    related: [...new Set([...related, ...found.flatMap((f) => f.related.map((r) => r.id))])],
    codes: [...new Set(found.map((f) => f.code))],
  });

  checks.push({
    title: 'Certificate exists',
    status: 'OK',
    reason: `SSL certificate ${cert.name} exists.`,
    observedAt: seen,
    related: [cert.id],
  });
  checks.push(
    cert.managed
      ? {
          title: 'Google-managed certificate',
          status: 'OK',
          reason: `${cert.name} is Google-managed for ${listText(cert.domains)}.`,
          observedAt: seen,
          related: [cert.id],
        }
      : {
          title: 'Google-managed certificate',
          status: 'UNCERTAIN',
          reason: `${cert.name} is self-managed${cert.expireTime ? `, expiring ${cert.expireTime}` : ''}: provisioning checks do not apply; serving and DNS checks still do.`,
          observedAt: seen,
          related: [cert.id],
        },
  );

  if (cert.managed) {
    const created = parseTime(cert.resource.creationTimestamp);
    const statusFindings = from(['cert-provisioning-failed', 'cert-failed-permanently', 'cert-renewal-failed']);
    if (cert.status === 'ACTIVE')
      checks.push({ title: 'Certificate status', status: 'OK', reason: `${cert.name} is ACTIVE.`, observedAt: seen, related: [cert.id] });
    else if (statusFindings.length) checks.push(failWith('Certificate status', statusFindings, seen, [cert.id]));
    else
      checks.push({
        title: 'Certificate status',
        status: 'UNCERTAIN',
        reason: `${cert.name} is ${cert.status ?? 'in an unknown state'}${created !== undefined ? ` (created ${formatDuration(now - created)} ago)` : ''}. Google says provisioning can take up to 60 minutes once DNS points at the load balancer.`,
        remedy: 'Wait, and fix any check below that fails.',
        observedAt: seen,
        related: [cert.id],
      });

    for (const domain of cert.domains) {
      const state = cert.domainStatus[domain] ?? cert.domainStatus[normalizeDomain(domain)];
      const domainFindings = findings.filter((f) => f.code.startsWith('cert-') && f.domain === normalizeDomain(domain));
      const title = `Domain status: ${domain}`;
      if (state === 'ACTIVE') checks.push({ title, status: 'OK', reason: `${domain} is ACTIVE.`, observedAt: seen, related: [cert.id] });
      else if (domainFindings.length)
        checks.push(
          failWith(title, domainFindings, seen, [cert.id], domainFindings.every((f) => f.severity !== 'error') ? 'UNCERTAIN' : 'FAIL'),
        );
      else
        checks.push({
          title,
          status: 'UNCERTAIN',
          reason: `${domain} is ${state ?? 'not reported yet'}: Google has not validated it yet.`,
          observedAt: seen,
          related: [cert.id],
        });
    }
  }

  const notServed = from(['cert-not-served']);
  if (serving.proxies.length === 0) checks.push(failWith('Attached to a target HTTPS proxy', notServed, seen, [cert.id]));
  else
    checks.push({
      title: 'Attached to a target HTTPS proxy',
      status: 'OK',
      reason: `On ${listText(serving.proxies.map((p) => p.name))}.`,
      observedAt: seen,
      related: serving.proxies.map((p) => p.id),
    });

  if (serving.proxies.length > 0) {
    if (serving.rules.length === 0)
      checks.push(
        failWith(
          'A forwarding rule uses the proxy',
          notServed,
          seen,
          serving.proxies.map((p) => p.id),
        ),
      );
    else
      checks.push({
        title: 'A forwarding rule uses the proxy',
        status: 'OK',
        reason: `${listText(serving.rules.map((r) => `${r.name} (${r.ip ?? 'no IP'}:${r.ports})`))}.`,
        observedAt: seen,
        related: serving.rules.map((r) => r.id),
      });
  }

  if (serving.rules.length > 0) {
    const no443 = from(['cert-no-443-rule']);
    if (no443.length)
      checks.push(
        failWith(
          'Every IP has a forwarding rule on port 443',
          no443,
          seen,
          serving.rules.map((r) => r.id),
        ),
      );
    else
      checks.push({
        title: 'Every IP has a forwarding rule on port 443',
        status: 'OK',
        reason: `443 on ${listText(serving.ips.map((e) => e.ip))}.`,
        observedAt: seen,
        related: serving.rules.map((r) => r.id),
      });
  }

  if (serving.proxies.length > 0) {
    const maps = from(['cert-map-overrides']);
    if (maps.length)
      checks.push(
        failWith(
          'No certificate map overrides the certificate',
          maps,
          seen,
          serving.proxies.map((p) => p.id),
        ),
      );
    else
      checks.push({
        title: 'No certificate map overrides the certificate',
        status: 'OK',
        reason: 'No proxy that lists it has a Certificate Manager map.',
        observedAt: seen,
        related: serving.proxies.map((p) => p.id),
      });
  }

  const servedIps = serving.ips.map((e) => e.ip);
  for (const domain of checkableDomains(cert)) {
    const inspection = input.dns.get(domain);
    const title = `DNS: ${domain} points at the load balancer`;
    const caaTitle = `CAA: ${domain} allows Google's certificate authorities`;
    if (servedIps.length === 0) {
      checks.push({
        title,
        status: 'UNCERTAIN',
        reason: 'No forwarding rule serves the certificate, so there is no address to compare with.',
        observedAt: seen,
        related: [cert.id],
      });
      continue;
    }
    if (!inspection) {
      checks.push({
        title,
        status: 'UNCERTAIN',
        reason: `${domain} was not looked up.`,
        remedy: 'Refresh the report.',
        observedAt: now,
        related: [cert.id],
      });
      continue;
    }
    const addressFindings = from(DNS_ADDRESS_CODES, (f) => f.domain === domain);
    const addressLookupFailed =
      inspection.a.kind === 'error' || inspection.aaaa.kind === 'error' || inspection.failures.some((f) => f.type === 'CNAME');
    const addressFailures = addressLookupFailed ? from(['dns-lookup-failed'], (f) => f.domain === domain) : [];
    const chain = inspection.cnameChain.length ? ` via ${inspection.cnameChain.join(' → ')}` : '';
    if (addressFindings.length) checks.push(failWith(title, addressFindings, inspection.observedAt, [cert.id]));
    else if (addressFailures.length) checks.push(failWith(title, addressFailures, inspection.observedAt, [cert.id], 'UNCERTAIN'));
    else {
      const answers = [inspection.a, inspection.aaaa].flatMap((a) => (a.kind === 'records' ? a.values : []));
      checks.push({
        title,
        status: 'OK',
        reason: `${domain}${chain} answers ${listText(answers)}.`,
        observedAt: inspection.observedAt,
        related: [cert.id],
      });
    }
    if (!cert.managed) continue;
    const caaFindings = from(['dns-caa-forbids'], (f) => f.domain === domain);
    const caaFailures = inspection.caa.kind === 'error' ? from(['dns-lookup-failed'], (f) => f.domain === domain) : [];
    if (caaFindings.length) checks.push(failWith(caaTitle, caaFindings, inspection.observedAt, [cert.id]));
    else if (caaFailures.length) checks.push(failWith(caaTitle, caaFailures, inspection.observedAt, [cert.id], 'UNCERTAIN'));
    else {
      const caa = inspection.caa;
      const reason =
        caa.kind === 'found'
          ? `The CAA set of ${caa.owner} allows pki.goog or letsencrypt.org.`
          : `No CAA records on ${domain} or its parents: any CA may issue.`;
      checks.push({ title: caaTitle, status: 'OK', reason, observedAt: inspection.observedAt, related: [cert.id] });
    }
  }

  const operationsSeen = input.operationsObservedAt ?? now;
  if (!input.operations) {
    checks.push({
      title: 'Recent changes',
      status: 'UNCERTAIN',
      reason: 'The operations list was not read.',
      observedAt: operationsSeen,
      related: [cert.id],
    });
  } else {
    const changes = recentChanges(cert, serving, { topology, dns: input.dns, operations: input.operations, now });
    const recent = from(['cert-recent-change']);
    if (recent.length) checks.push(failWith('Recent changes', recent, operationsSeen, [cert.id], 'UNCERTAIN'));
    else if (changes.length)
      checks.push({
        title: 'Recent changes',
        status: 'OK',
        reason: `The ${changes[0].targetName} changed ${formatDuration(now - changes[0].at)} ago (${changes[0].operationType}); the certificate is already ACTIVE.`,
        observedAt: operationsSeen,
        related: [changes[0].targetId],
      });
    else
      checks.push({
        title: 'Recent changes',
        status: 'OK',
        reason: 'No change to the certificate, its proxies or its forwarding rules in the last 24 hours.',
        observedAt: operationsSeen,
        related: [cert.id],
      });
  }

  return { ...base, findings, checks };
}

export interface RenderOptions {
  /** A link for a resource id (into the explorer, the console); ids without one are shown as code. */
  linkFor?: (id: string) => string | undefined;
}

/** The report as markdown, for a read-only document. */
export function renderCertificateReport(report: CertificateReport, options: RenderOptions = {}): string {
  const counts = { OK: 0, FAIL: 0, UNCERTAIN: 0 };
  for (const check of report.checks) counts[check.status] += 1;
  const lines: string[] = [
    `# Certificate ${report.certificateName}`,
    '',
    `Project \`${report.project}\` · generated ${new Date(report.generatedAt).toISOString()} · ${counts.FAIL} failed, ${counts.UNCERTAIN} uncertain, ${counts.OK} OK`,
    '',
  ];
  report.checks.forEach((check, index) => {
    lines.push(`## ${index + 1}. [${check.status}] ${check.title}`, '');
    lines.push(check.reason, '');
    if (check.remedy) lines.push(`**Remedy:** ${check.remedy}`, '');
    const related = check.related.map((id) => {
      const link = options.linkFor?.(id);
      const label = id.split('/').slice(-2).join('/');
      return link ? `[${label}](${link})` : `\`${id}\``;
    });
    const observed = `Observed ${new Date(check.observedAt).toISOString()}`;
    lines.push(related.length ? `${observed} · ${related.join(', ')}` : observed, '');
  });
  return `${lines.join('\n').trimEnd()}\n`;
}
