// Rules about one certificate: is it served where Google validates it (a 443 rule on a proxy, no
// certificate map in the way), do its domains' DNS records point there and allow Google's CAs, what
// its status means, and whether a recent change explains a wait.
import { evaluateCaa, formatCaaRecord, GOOGLE_CA_DOMAINS } from '../dns/caa';
import type { DomainInspection } from '../dns/inspect';
import { describeDnsError, normalizeDomain, type DnsAnswer } from '../dns/types';
import { consoleUrl } from '../gcp/consoleUrl';
import type { Operation } from '../gcp/types';
import { refId } from '../gcp/refs';
import type { CertificateNode, Topology } from '../topology/model';
import { cdnForAddress, cdnForAlias } from './cdn';
import { recordAt, zoneFor, type CloudDnsState } from '../gcp/cloudDns';
import { CERTIFICATE_TROUBLESHOOTING_URL, type Finding, type QuickFix, type RelatedResource } from './finding';
import { dnsRecordLine, formatDuration, listText, parseTime, plural } from './format';
import { certificateServing, type CertificateServing } from './serving';

export interface CertificateCheckContext {
  topology: Topology;
  /** Inspections by normalised domain; a domain absent here has not been looked up and gets no DNS finding. */
  dns: ReadonlyMap<string, DomainInspection>;
  /** Compute operations, newest first (any order works). */
  operations?: readonly Operation[];
  /** Milliseconds since the epoch. */
  now: number;
  /** The public Cloud DNS zones the user can see: a domain in one gets a quick fix that writes its record there. */
  cloudDns?: CloudDnsState;
}

/** Google: a managed certificate can take up to 60 minutes once DNS points at the load balancer. */
export const PROVISIONING_EXPECTATION_MS = 60 * 60_000;
/** A change this recent may still be in validation. */
export const RECENT_CHANGE_WINDOW_MS = 24 * 60 * 60_000;
/** Operations that (re)start validation of a certificate when they touch it, its proxy or its rule. */
const VALIDATION_RESTARTING_OPERATIONS = new Set(['insert', 'setSslCertificates', 'setTarget', 'setCertificateMap']);

const RECORD_TTL = 300;

export interface RecentChange {
  operationType: string;
  targetId: string;
  targetName: string;
  at: number;
}

export function certificateFindings(certificate: CertificateNode, context: CertificateCheckContext): Finding[] {
  return new CertificateRules(certificate, context).findings();
}

/** Domains a validator checks: wildcards cannot be Google-managed and have no A record to look at. */
export function checkableDomains(certificate: CertificateNode): string[] {
  return [...new Set(certificate.domains.map(normalizeDomain).filter((d) => d !== '' && !d.startsWith('*.')))];
}

export function recentChanges(certificate: CertificateNode, serving: CertificateServing, context: CertificateCheckContext): RecentChange[] {
  const project = context.topology.project;
  const watched = new Map<string, string>([[certificate.id, `certificate ${certificate.name}`]]);
  for (const proxy of serving.proxies) watched.set(proxy.id, `target HTTPS proxy ${proxy.name}`);
  for (const rule of serving.rules) watched.set(rule.id, `forwarding rule ${rule.name}`);
  const changes: RecentChange[] = [];
  for (const op of context.operations ?? []) {
    if (!op.operationType || !VALIDATION_RESTARTING_OPERATIONS.has(op.operationType)) continue;
    if (op.error?.errors?.length) continue; // a failed operation changed nothing
    const targetId = refId(op.targetLink, project);
    const targetName = targetId ? watched.get(targetId) : undefined;
    const at = parseTime(op.endTime) ?? parseTime(op.insertTime);
    if (!targetId || !targetName || at === undefined) continue;
    if (context.now - at > RECENT_CHANGE_WINDOW_MS || at > context.now + 60_000) continue;
    changes.push({ operationType: op.operationType, targetId, targetName, at });
  }
  return changes.sort((a, b) => b.at - a.at);
}

class CertificateRules {
  private readonly serving: CertificateServing;
  private readonly out: Finding[] = [];
  private readonly project: string;
  private readonly loadBalancerId?: string;
  private readonly changes: RecentChange[];
  /** DNS finding keys per domain, for the status findings they explain. */
  private readonly dnsKeys = new Map<string, Finding[]>();
  /** A short cause per DNS finding key, joined into the status findings it explains. */
  private readonly causes = new Map<string, string>();

  constructor(
    private readonly cert: CertificateNode,
    private readonly context: CertificateCheckContext,
  ) {
    this.serving = certificateServing(context.topology, cert);
    this.project = context.topology.project;
    this.loadBalancerId = context.topology.usedBy.get(cert.id)?.[0];
    this.changes = recentChanges(cert, this.serving, context);
  }

  findings(): Finding[] {
    this.servingRules();
    const expected = this.expectedAddresses();
    if (expected) for (const domain of checkableDomains(this.cert)) this.dnsRules(domain, expected);
    this.statusRules();
    this.recentChangeRule();
    return this.out;
  }

  // ---- shared pieces ----

  private get label(): string {
    return `certificate ${this.cert.name}`;
  }

  private get notActive(): boolean {
    return this.cert.managed && this.cert.status !== 'ACTIVE';
  }

  private certRelated(): RelatedResource {
    const state = this.cert.status ? ` (${this.cert.status})` : this.cert.managed ? '' : ' (self-managed)';
    return { id: this.cert.id, selfLink: this.cert.resource.selfLink ?? undefined, message: `${this.label}${state}` };
  }

  private openCertificate(): QuickFix {
    return { kind: 'openCertificate', consoleUrl: consoleUrl(this.project, { kind: 'sslCertificate', name: this.cert.name }) };
  }

  private add(finding: Omit<Finding, 'certificateId' | 'loadBalancerId'> & { loadBalancerId?: string }): Finding {
    const full: Finding = { certificateId: this.cert.id, loadBalancerId: this.loadBalancerId, ...finding };
    this.out.push(full);
    return full;
  }

  // ---- attachment, ports, certificate maps ----

  private servingRules(): void {
    const { proxies, rules, ips, certificateMaps } = this.serving;
    const blocks = this.cert.managed ? 'it can never be provisioned' : 'no client receives it';
    if (proxies.length === 0) {
      this.add({
        code: 'cert-not-served',
        key: `cert-not-served:${this.cert.id}`,
        severity: 'warning',
        message: `The ${this.label} is attached to no target HTTPS proxy, so ${blocks}.`,
        remedy: `Attach it to the load balancer's proxy: gcloud compute target-https-proxies update PROXY --global --ssl-certificates=${this.cert.name} (list the proxy's other certificates too; the flag replaces the list).`,
        anchor: 'name',
        related: [this.certRelated()],
        fixes: [this.openCertificate(), { kind: 'openTroubleshooting', url: CERTIFICATE_TROUBLESHOOTING_URL }],
        pending: false,
      });
      return;
    }
    if (rules.length === 0) {
      this.add({
        code: 'cert-not-served',
        key: `cert-not-served:${this.cert.id}`,
        severity: 'warning',
        message: `The ${this.label} is on ${plural(proxies.length, 'target HTTPS proxy', 'target HTTPS proxies')} ${listText(proxies.map((p) => p.name))}, but no forwarding rule uses ${plural(proxies.length, 'it', 'them')}, so ${blocks}.`,
        remedy: `Create a forwarding rule on port 443 for the proxy: gcloud compute forwarding-rules create NAME --global --load-balancing-scheme=EXTERNAL_MANAGED --target-https-proxy=${proxies[0].name} --ports=443 --address=ADDRESS`,
        anchor: 'name',
        related: [
          this.certRelated(),
          ...proxies.map((p) => ({
            id: p.id,
            selfLink: p.resource.selfLink ?? undefined,
            message: `target HTTPS proxy ${p.name}: no forwarding rule`,
          })),
        ],
        fixes: [this.openCertificate()],
        pending: false,
      });
      return;
    }
    for (const entry of ips) {
      if (entry.has443) continue;
      const ports = listText(entry.rules.map((r) => `${r.name} (port ${r.ports || 'none'})`));
      this.add({
        code: 'cert-no-443-rule',
        key: `cert-no-443-rule:${this.cert.id}:${entry.ip}`,
        severity: 'warning',
        message: `The ${this.label} is served on ${entry.ip} only by ${ports}; ${this.cert.managed ? 'Google validates managed certificates on port 443, so it cannot be provisioned through this IP' : 'clients connect to HTTPS on port 443'}.`,
        remedy: `Add a forwarding rule on port 443 for ${entry.ip}: gcloud compute forwarding-rules create NAME-443 --global --load-balancing-scheme=${entry.rules[0].scheme} --target-https-proxy=${proxyNameOf(entry.rules[0]) ?? 'PROXY'} --ports=443 --address=${entry.ip}`,
        anchor: 'name',
        related: [
          this.certRelated(),
          ...entry.rules.map((r) => ({
            id: r.id,
            selfLink: r.resource.selfLink ?? undefined,
            message: `forwarding rule ${r.name} on ${entry.ip}, port ${r.ports || 'none'}`,
          })),
        ],
        fixes: [{ kind: 'copyIp', ip: entry.ip }, this.openCertificate()],
        pending: false,
      });
    }
    for (const { proxy, map } of certificateMaps) {
      this.add({
        code: 'cert-map-overrides',
        key: `cert-map-overrides:${this.cert.id}:${proxy.id}`,
        severity: 'warning',
        message: `Target HTTPS proxy ${proxy.name} uses the Certificate Manager map ${map.name}; Google serves the map's certificates and ignores the ${this.label} on that proxy.`,
        remedy: `Serve the domain from the map (add a certificate map entry), or remove the map so the classic certificates are used: gcloud compute target-https-proxies update ${proxy.name} --global --clear-certificate-map --ssl-certificates=${this.cert.name}`,
        anchor: 'name',
        related: [
          this.certRelated(),
          {
            id: proxy.id,
            selfLink: proxy.resource.selfLink ?? undefined,
            message: `target HTTPS proxy ${proxy.name}: certificate map ${map.name}`,
          },
          { id: map.id, message: `certificate map ${map.name}` },
        ],
        fixes: [this.openCertificate()],
        pending: false,
      });
    }
  }

  /** Where the domain's records must point; undefined when nothing serves the certificate. */
  private expectedAddresses(): { v4: string[]; v6: string[]; on443: boolean } | undefined {
    const { ipv4On443, ipv6On443, ips } = this.serving;
    if (ipv4On443.length || ipv6On443.length) return { v4: ipv4On443, v6: ipv6On443, on443: true };
    if (ips.length === 0) return undefined;
    // Rules only on other ports: still name the IPs so the records are right once a 443 rule exists.
    return {
      v4: ips.filter((e) => e.version === 'IPV4').map((e) => e.ip),
      v6: ips.filter((e) => e.version === 'IPV6').map((e) => e.ip),
      on443: false,
    };
  }

  // ---- DNS ----

  private dnsRules(domain: string, expected: { v4: string[]; v6: string[] }): void {
    const inspection = this.context.dns.get(domain);
    if (!inspection) return;
    const found: Finding[] = [];
    const lbText = this.addressesText(expected);
    const wantRecords = [
      ...expected.v4.map((ip) => dnsRecordLine(domain, 'A', ip, RECORD_TTL)),
      ...(expected.v4.length ? [] : expected.v6.map((ip) => dnsRecordLine(domain, 'AAAA', ip, RECORD_TTL))),
    ];
    // Where Cloud DNS holds the domain's zone, the record can be written there instead of copied.
    const zone = this.context.cloudDns ? zoneFor(domain, this.context.cloudDns.zones) : undefined;
    const cloudDnsFix = (type: 'A' | 'AAAA', ips: string[]): QuickFix[] =>
      zone && ips.length
        ? [
            {
              kind: 'writeCloudDnsRecord',
              record: {
                domain,
                type,
                ips,
                zone: zone.name,
                zoneProject: zone.project,
                zoneDnsName: zone.dnsName,
                current: recordAt(this.context.cloudDns, zone, domain, type)?.rrdatas,
              },
            },
          ]
        : [];
    const recordFixes = (): QuickFix[] => [
      ...(expected.v4.length ? cloudDnsFix('A', expected.v4) : cloudDnsFix('AAAA', expected.v6)),
      ...wantRecords.map((record): QuickFix => ({ kind: 'copyDnsRecord', record })),
      ...[...expected.v4, ...expected.v6].slice(0, 1).map((ip): QuickFix => ({ kind: 'copyIp', ip })),
      { kind: 'recheck' },
    ];
    const related = [
      this.certRelated(),
      ...this.serving.rules
        .filter((r) => r.ip && [...expected.v4, ...expected.v6].includes(r.ip))
        .slice(0, 2)
        .map((r) => ({
          id: r.id,
          selfLink: r.resource.selfLink ?? undefined,
          message: `forwarding rule ${r.name}: ${r.ip}, port ${r.ports}`,
        })),
    ];
    const chainText = inspection.cnameChain.length ? ` (through ${[domain, ...inspection.cnameChain].join(' → ')})` : '';
    // A DNS problem is one someone is fixing (or a cache that will expire): always look again, with
    // backoff. Even with the certificate ACTIVE, a record that moved away breaks renewal.
    const pending = true;
    const consequence = this.cert.managed
      ? this.cert.status === 'ACTIVE'
        ? 'the certificate cannot be renewed and clients do not reach the load balancer'
        : 'the certificate cannot be provisioned'
      : 'clients do not reach the load balancer';

    const addressLookupFailed = inspection.a.kind === 'error' || inspection.aaaa.kind === 'error';
    if (inspection.failures.length) {
      const caaFailed = inspection.caa.kind === 'error';
      const loop = inspection.failures.find((f) => f.code.startsWith('CNAME_'));
      const what = groupFailures(inspection.failures);
      const unknown = [
        addressLookupFailed || inspection.failures.some((f) => f.type === 'CNAME') ? `whether ${domain} points at ${lbText}` : undefined,
        caaFailed ? "whether CAA allows Google's certificate authorities" : undefined,
      ].filter((t): t is string => t !== undefined);
      found.push(
        this.cause(
          this.add({
            code: 'dns-lookup-failed',
            key: `dns-lookup-failed:${domain}`,
            severity: 'warning',
            message: `DNS lookups for ${domain} failed (${what.join('; ')}), so ${listText(unknown)} is unknown.${caaFailed && this.cert.managed ? " If Google's CA cannot read CAA either, the domain ends in FAILED_CAA_CHECKING." : ''}`,
            remedy: loop
              ? `Fix the CNAME records of ${domain} so the chain ends at a name with an A record for ${lbText}.`
              : "Check again; if it keeps failing, check the DNS servers in the setting cloudRunGlobal.dnsServers (empty: the system's) and that the domain's name servers answer every query type, CAA included (an empty answer is fine).",
            anchor: 'name',
            related,
            fixes: [{ kind: 'recheck' }],
            pending: true,
            domain,
          }),
          `DNS lookups for ${domain} failed`,
        ),
      );
    }
    if (!addressLookupFailed) {
      const a = answerValues(inspection.a);
      const aaaa = answerValues(inspection.aaaa);
      if (a.length === 0 && aaaa.length === 0) {
        const why =
          inspection.a.kind === 'none' && inspection.a.reason === 'NXDOMAIN'
            ? `${inspection.canonicalName} does not exist in DNS (NXDOMAIN)`
            : `${domain} has no A record${chainText}`;
        found.push(
          this.cause(
            this.add({
              code: 'dns-missing-a',
              key: `dns-missing-a:${domain}:${wantRecords.join(',')}`,
              severity: 'error',
              message: `${why}; it must point at ${lbText}, or ${consequence}.`,
              remedy: inspection.cnameChain.length
                ? `Replace the CNAME with ${listText(wantRecords.map((r) => `\`${r}\``))}, or give ${inspection.canonicalName} that address.`
                : `Create ${listText(wantRecords.map((r) => `\`${r}\``))} at the domain's DNS provider.`,
              anchor: 'name',
              related,
              fixes: recordFixes(),
              pending,
              domain,
            }),
            why,
          ),
        );
      } else {
        const v4 = splitRightWrong(a, expected.v4);
        if (v4.wrong.length)
          found.push(
            this.cause(
              this.add(
                this.wrongAddressFinding(domain, 'A', v4, expected, inspection, {
                  wantRecords,
                  related,
                  fixes: recordFixes(),
                  pending,
                  consequence,
                  lbText,
                  chainText,
                }),
              ),
              wrongCause(domain, v4, expected.v4, inspection),
            ),
          );
        if (aaaa.length && expected.v6.length === 0) {
          found.push(
            this.cause(
              this.add({
                code: 'dns-stray-aaaa',
                key: `dns-stray-aaaa:${domain}`,
                severity: 'warning',
                message: `${domain} has ${plural(aaaa.length, 'an AAAA record', 'AAAA records')} (${listText(aaaa)})${chainText}, but no IPv6 forwarding rule on 443 serves the ${this.label}; ${this.cert.managed ? 'Google cannot validate over IPv6 and provisioning is blocked' : 'IPv6 clients do not reach the load balancer'}.`,
                remedy: `Delete the AAAA ${plural(aaaa.length, 'record')} of ${domain}, or reserve a global IPv6 address and add an IPv6 forwarding rule on 443 for the same proxy, then point the AAAA record at it.`,
                anchor: 'name',
                related,
                fixes: [{ kind: 'recheck' }, { kind: 'openTroubleshooting', url: CERTIFICATE_TROUBLESHOOTING_URL }],
                pending,
                domain,
              }),
              `${domain} has ${plural(aaaa.length, 'an AAAA record', 'AAAA records')} but no IPv6 rule serves the certificate`,
            ),
          );
        } else if (aaaa.length) {
          const v6 = splitRightWrong(aaaa, expected.v6);
          if (v6.wrong.length)
            found.push(
              this.cause(
                this.add(
                  this.wrongAddressFinding(domain, 'AAAA', v6, expected, inspection, {
                    wantRecords: expected.v6.map((ip) => dnsRecordLine(domain, 'AAAA', ip, RECORD_TTL)),
                    related,
                    fixes: [
                      ...cloudDnsFix('AAAA', expected.v6),
                      ...expected.v6.map((ip): QuickFix => ({
                        kind: 'copyDnsRecord',
                        record: dnsRecordLine(domain, 'AAAA', ip, RECORD_TTL),
                      })),
                      { kind: 'recheck' },
                    ],
                    pending,
                    consequence,
                    lbText,
                    chainText,
                  }),
                ),
                wrongCause(domain, v6, expected.v6, inspection),
              ),
            );
        }
      }
    }
    const caaFinding = this.caaRule(domain, inspection, related, pending);
    if (caaFinding)
      this.causes.set(
        caaFinding.key,
        `the CAA records of ${inspection.caa.kind === 'found' ? inspection.caa.owner : domain} forbid Google's certificate authorities`,
      );
    if (caaFinding) found.push(caaFinding);
    this.dnsKeys.set(domain, found);
  }

  private wrongAddressFinding(
    domain: string,
    type: 'A' | 'AAAA',
    split: { right: string[]; wrong: string[] },
    expected: { v4: string[]; v6: string[] },
    inspection: DomainInspection,
    parts: {
      wantRecords: string[];
      related: RelatedResource[];
      fixes: QuickFix[];
      pending: boolean;
      consequence: string;
      lbText: string;
      chainText: string;
    },
  ): Omit<Finding, 'certificateId' | 'loadBalancerId'> {
    const want = type === 'A' ? expected.v4 : expected.v6;
    const hint = proxyHint(split.wrong, inspection);
    const partly = split.right.length > 0;
    const message = partly
      ? `${domain} has ${type} records that partly point at the load balancer${parts.chainText}: ${listText(split.right)} ${plural(split.right.length, 'is', 'are')} right, ${listText(split.wrong)} ${plural(split.wrong.length, 'is', 'are')} not (expected ${listText(want)}). Validators that get a wrong address fail, so ${parts.consequence}.`
      : `${domain} points at ${listText(split.wrong)}${parts.chainText}, not at the load balancer's ${listText(want)}; ${parts.consequence}.`;
    const remedy = partly
      ? `Delete the ${type} ${plural(split.wrong.length, 'record')} for ${listText(split.wrong)} and keep ${listText(parts.wantRecords.map((r) => `\`${r}\``))}.`
      : `Replace the ${type} ${plural(split.wrong.length, 'record')} with ${listText(parts.wantRecords.map((r) => `\`${r}\``))}.`;
    return {
      code: partly ? 'dns-partly-wrong' : 'dns-wrong-ip',
      key: `${partly ? 'dns-partly-wrong' : 'dns-wrong-ip'}:${domain}:${type}:${want.join(',')}`,
      severity: 'error',
      message: hint ? `${message} ${hint}` : message,
      remedy: hint ? `${remedy} If a proxy or CDN must stay in front, switch it to DNS-only until the certificate is ACTIVE.` : remedy,
      anchor: 'name',
      related: parts.related,
      fixes: parts.fixes,
      pending: parts.pending,
      domain,
    };
  }

  private caaRule(domain: string, inspection: DomainInspection, related: RelatedResource[], pending: boolean): Finding | undefined {
    const caa = inspection.caa;
    if (caa.kind !== 'found' || !this.cert.managed) return undefined;
    const verdict = evaluateCaa(caa.records, GOOGLE_CA_DOMAINS);
    if (verdict.allowed) return undefined;
    const record = dnsRecordLine(caa.owner, 'CAA', formatCaaRecord({ flags: 0, tag: 'issue', value: 'pki.goog' }), RECORD_TTL);
    const which = verdict.unknownCritical
      ? `include a critical property "${verdict.unknownCritical}" no CA understands, which forbids issuance`
      : verdict.permittedIssuers?.length
        ? `allow only ${listText(verdict.permittedIssuers)}`
        : 'allow no certificate authority';
    return this.add({
      code: 'dns-caa-forbids',
      key: `dns-caa-forbids:${caa.owner}`,
      severity: 'error',
      message: `The CAA records of ${caa.owner}${caa.owner === domain ? '' : ` (which apply to ${domain})`} ${which}; Google-managed certificates come from pki.goog or letsencrypt.org, so the ${this.label} cannot be issued.`,
      remedy: `Add \`${record}\` (and/or \`${dnsRecordLine(caa.owner, 'CAA', '0 issue "letsencrypt.org"', RECORD_TTL)}\`) next to the existing CAA records.`,
      anchor: 'name',
      related,
      fixes: [{ kind: 'copyDnsRecord', record }, { kind: 'recheck' }],
      pending,
      domain,
    });
  }

  private addressesText(expected: { v4: string[]; v6: string[] }): string {
    const ips = [...expected.v4, ...expected.v6];
    const lbName = this.loadBalancerId ? this.context.topology.loadBalancers.find((lb) => lb.id === this.loadBalancerId)?.name : undefined;
    return `${listText(ips)}${lbName ? ` (load balancer ${lbName})` : ''}`;
  }

  // ---- status ----

  private statusRules(): void {
    if (!this.cert.managed) return;
    const changedRecently = this.changes.length > 0;
    const recentNote = changedRecently
      ? ` ${this.changeSentence(this.changes[0])} Validation may still take time after such a change.`
      : '';
    const failedDomains: string[] = [];
    for (const domain of this.cert.domains) {
      const state = this.cert.domainStatus[domain] ?? this.cert.domainStatus[normalizeDomain(domain)];
      if (!state || state === 'ACTIVE' || state === 'PROVISIONING') continue;
      failedDomains.push(domain);
      this.domainFailure(normalizeDomain(domain), state, changedRecently, recentNote);
    }
    const age = this.age();
    const created = age !== undefined ? ` for ${formatDuration(age)} (since it was created)` : '';
    switch (this.cert.status) {
      case 'PROVISIONING': {
        if (failedDomains.length) return;
        const dnsProblems = [...this.dnsKeys.values()].flat().filter((f) => f.severity === 'error' || f.code === 'dns-stray-aaaa');
        const expectation = dnsProblems.length
          ? 'It cannot finish until the DNS findings for its domains are fixed; then Google needs up to 60 minutes.'
          : `Google says provisioning can take up to 60 minutes once DNS points at the load balancer (and DNS changes up to 72 hours to propagate).${age !== undefined && age > PROVISIONING_EXPECTATION_MS && !changedRecently ? " It has taken longer than that: check that every domain's DNS answers only the load balancer's addresses, everywhere." : ''}`;
        this.add({
          code: 'cert-provisioning',
          key: `cert-provisioning:${this.cert.id}`,
          severity: 'information',
          message: `The ${this.label} (${listText(this.cert.domains)}) has been PROVISIONING${created}. ${expectation}`,
          remedy: dnsProblems.length
            ? 'Fix the DNS findings; the check repeats while the certificate provisions.'
            : 'Nothing to do but wait; the check repeats while the certificate provisions.',
          anchor: 'name',
          related: [this.certRelated()],
          fixes: [{ kind: 'recheck' }, this.openCertificate()],
          pending: true,
          explainedBy: dnsProblems.map((f) => f.key),
        });
        return;
      }
      case 'PROVISIONING_FAILED':
        this.add({
          code: 'cert-provisioning-failed',
          key: `cert-provisioning-failed:${this.cert.id}`,
          severity: changedRecently ? 'warning' : 'error',
          message: `Provisioning of the ${this.label} failed (PROVISIONING_FAILED)${failedDomains.length ? ` for ${listText(failedDomains)}` : ''}: Google could not validate it, usually because DNS does not point at the load balancer or it is not served on 443.${recentNote}${this.explanation(failedDomains)}`,
          remedy:
            'Fix the DNS and load balancer findings; Google keeps retrying for a while. If it stays failed, create a new certificate for the same domains, attach it with gcloud compute target-https-proxies update PROXY --ssl-certificates=NEW, then delete this one.',
          anchor: 'name',
          related: [this.certRelated()],
          fixes: [this.openCertificate(), { kind: 'openTroubleshooting', url: CERTIFICATE_TROUBLESHOOTING_URL }, { kind: 'recheck' }],
          pending: true,
          explainedBy: this.explainingKeys(failedDomains),
        });
        return;
      case 'PROVISIONING_FAILED_PERMANENTLY':
        this.add({
          code: 'cert-failed-permanently',
          key: `cert-failed-permanently:${this.cert.id}`,
          severity: 'error',
          message: `The ${this.label} failed permanently (PROVISIONING_FAILED_PERMANENTLY): Google will not retry it.${this.explanation(failedDomains)}`,
          remedy: `Managed certificates cannot be edited: fix DNS first, then create a new certificate (gcloud compute ssl-certificates create ${this.cert.name}-2 --global --domains=${this.cert.domains.join(',')}), attach it (gcloud compute target-https-proxies update ${this.serving.proxies[0]?.name ?? 'PROXY'} --global --ssl-certificates=${this.cert.name}-2), then delete ${this.cert.name}.`,
          anchor: 'name',
          related: [this.certRelated()],
          fixes: [this.openCertificate(), { kind: 'openTroubleshooting', url: CERTIFICATE_TROUBLESHOOTING_URL }],
          pending: false,
          explainedBy: this.explainingKeys(failedDomains),
        });
        return;
      case 'RENEWAL_FAILED': {
        const expiry = parseTime(this.cert.expireTime);
        const expiryText =
          expiry !== undefined
            ? expiry > this.context.now
              ? ` The current certificate expires in ${formatDuration(expiry - this.context.now)} (${this.cert.expireTime}).`
              : ` It expired at ${this.cert.expireTime}.`
            : '';
        this.add({
          code: 'cert-renewal-failed',
          key: `cert-renewal-failed:${this.cert.id}`,
          severity: 'error',
          message: `Renewal of the ${this.label} failed (RENEWAL_FAILED): Google could no longer validate its domains, usually because DNS moved away from the load balancer or a CAA record now forbids Google's CAs.${expiryText}${this.explanation(failedDomains.length ? failedDomains : this.cert.domains.map(normalizeDomain))}`,
          remedy:
            'Point every domain back at the load balancer and allow pki.goog in CAA; Google retries renewal. If it stays failed, replace the certificate (create a new one, attach it, delete this one).',
          anchor: 'name',
          related: [this.certRelated()],
          fixes: [this.openCertificate(), { kind: 'openTroubleshooting', url: CERTIFICATE_TROUBLESHOOTING_URL }, { kind: 'recheck' }],
          pending: true,
          explainedBy: this.explainingKeys(failedDomains.length ? failedDomains : this.cert.domains),
        });
        return;
      }
      default:
        return;
    }
  }

  private domainFailure(domain: string, state: string, changedRecently: boolean, recentNote: string): void {
    const related = [this.certRelated()];
    const common = { anchor: 'name' as const, related, domain, explainedBy: this.explainingKeys([domain]) };
    const fixes: QuickFix[] = [
      this.openCertificate(),
      { kind: 'openTroubleshooting', url: CERTIFICATE_TROUBLESHOOTING_URL },
      { kind: 'recheck' },
    ];
    const explanation = this.explanation([domain]);
    switch (state) {
      case 'FAILED_NOT_VISIBLE':
        this.add({
          ...common,
          code: 'cert-failed-not-visible',
          key: `cert-failed-not-visible:${this.cert.id}:${domain}`,
          severity: changedRecently ? 'warning' : 'error',
          message: `Google could not see the load balancer at ${domain} for the ${this.label} (FAILED_NOT_VISIBLE).${recentNote}${explanation || (this.dnsKeys.has(domain) ? ' DNS points at the load balancer now: Google retries, and the domain should turn ACTIVE within about 60 minutes.' : '')}`,
          remedy: `Make ${domain} resolve only to the load balancer's addresses (A, and AAAA only with an IPv6 rule), with the certificate on a proxy that a 443 rule serves; Google retries on its own.`,
          fixes,
          pending: true,
        });
        return;
      case 'FAILED_CAA_CHECKING':
        this.add({
          ...common,
          code: 'cert-failed-caa-checking',
          key: `cert-failed-caa-checking:${this.cert.id}:${domain}`,
          severity: changedRecently ? 'warning' : 'error',
          message: `Google's CA could not read the CAA records of ${domain} (FAILED_CAA_CHECKING): the domain's name servers failed or timed out on CAA queries.${recentNote}${explanation}`,
          remedy: `Make the name servers of ${domain} and its parents answer CAA queries (an empty answer is fine; SERVFAIL or no answer is not). Google retries.`,
          fixes,
          pending: true,
        });
        return;
      case 'FAILED_CAA_FORBIDDEN':
        this.add({
          ...common,
          code: 'cert-failed-caa-forbidden',
          key: `cert-failed-caa-forbidden:${this.cert.id}:${domain}`,
          severity: 'error',
          message: `A CAA record forbids Google's CAs from issuing for ${domain} (FAILED_CAA_FORBIDDEN).${explanation}`,
          remedy: `Add a CAA record that allows pki.goog (and/or letsencrypt.org) where ${domain}'s CAA set lives, e.g. \`${dnsRecordLine(domain, 'CAA', '0 issue "pki.goog"', RECORD_TTL)}\`.`,
          fixes,
          pending: false,
        });
        return;
      case 'FAILED_RATE_LIMITED':
        this.add({
          ...common,
          code: 'cert-rate-limited',
          key: `cert-rate-limited:${this.cert.id}:${domain}`,
          severity: 'error',
          message: `The certificate authority's rate limit was reached for ${domain} (FAILED_RATE_LIMITED) while provisioning the ${this.label}.`,
          remedy:
            'Wait: Google retries later. Avoid creating and deleting certificates for the same domain repeatedly; if it persists, contact Google Cloud support.',
          fixes,
          pending: true,
        });
        return;
      default:
        return;
    }
  }

  private explainingKeys(domains: readonly string[]): string[] | undefined {
    const keys = domains.flatMap((d) => this.dnsKeys.get(normalizeDomain(d)) ?? []).map((f) => f.key);
    return keys.length ? keys : undefined;
  }

  /** The DNS findings behind a failure, joined into its message. */
  private explanation(domains: readonly string[]): string {
    const found = domains.flatMap((d) => this.dnsKeys.get(normalizeDomain(d)) ?? []);
    return found.length ? ` Cause: ${found.map((f) => this.causes.get(f.key) ?? f.message).join('; ')}.` : '';
  }

  private cause(finding: Finding, text: string): Finding {
    this.causes.set(finding.key, text);
    return finding;
  }

  private age(): number | undefined {
    const created = parseTime(this.cert.resource.creationTimestamp);
    return created === undefined ? undefined : this.context.now - created;
  }

  private changeSentence(change: RecentChange): string {
    return `The ${change.targetName} changed ${formatDuration(this.context.now - change.at)} ago (${change.operationType}).`;
  }

  // ---- recent change ----

  private recentChangeRule(): void {
    if (!this.notActive || this.changes.length === 0) return;
    const latest = this.changes[0];
    this.add({
      code: 'cert-recent-change',
      key: `cert-recent-change:${this.cert.id}`,
      severity: 'information',
      message: `${this.changeSentence(latest)} After a certificate is attached or its proxy or forwarding rule changes, validation of the ${this.label} may take up to 24 hours; a waiting or failed status is not yet final.`,
      remedy: 'Wait; the check repeats. Fix any DNS finding meanwhile.',
      anchor: 'name',
      related: [
        this.certRelated(),
        ...this.changes
          .filter((c) => c.targetId !== this.cert.id)
          .slice(0, 3)
          .map((c) => ({ id: c.targetId, message: `${c.targetName}: ${c.operationType} ${formatDuration(this.context.now - c.at)} ago` })),
      ],
      fixes: [{ kind: 'recheck' }],
      pending: true,
    });
  }
}

/** `CNAME, A and AAAA of x: the DNS server did not answer in time (ETIMEOUT)`, one entry per name and code. */
function groupFailures(failures: readonly { name: string; type: string; code: string }[]): string[] {
  const groups = new Map<string, { name: string; code: string; types: string[] }>();
  for (const failure of failures) {
    const key = `${failure.name}|${failure.code}`;
    const group = groups.get(key) ?? { name: failure.name, code: failure.code, types: [] };
    if (!group.types.includes(failure.type)) group.types.push(failure.type);
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (g) => `${listText(g.types)} of ${g.name}: ${describeDnsError(g.code)}${g.code.startsWith('CNAME_') ? '' : ` (${g.code})`}`,
  );
}

function wrongCause(domain: string, split: { right: string[]; wrong: string[] }, want: string[], inspection: DomainInspection): string {
  const provider =
    inspection.cnameChain.map(cdnForAlias).find((p) => p !== undefined) ?? split.wrong.map(cdnForAddress).find((p) => p !== undefined);
  const via = provider ? ` (${provider})` : '';
  return split.right.length
    ? `${domain} also points at ${listText(split.wrong)}${via}`
    : `${domain} points at ${listText(split.wrong)}${via} instead of ${listText(want)}`;
}

function answerValues(answer: DnsAnswer): string[] {
  return answer.kind === 'records' ? answer.values.map((v) => v.toLowerCase()) : [];
}

function splitRightWrong(found: string[], want: string[]): { right: string[]; wrong: string[] } {
  const wanted = new Set(want.map((ip) => ip.toLowerCase()));
  return { right: found.filter((ip) => wanted.has(ip)), wrong: found.filter((ip) => !wanted.has(ip)) };
}

/** A hint when the wrong answers look like a proxy or CDN in front of the domain. */
function proxyHint(wrong: string[], inspection: DomainInspection): string | undefined {
  const byAlias = inspection.cnameChain.map(cdnForAlias).find((p) => p !== undefined);
  const byAddress = wrong.map(cdnForAddress).find((p) => p !== undefined);
  const provider = byAlias ?? byAddress;
  if (!provider) return undefined;
  return `These answers come from ${provider}${byAlias ? ` (the CNAME to ${inspection.cnameChain.find((n) => cdnForAlias(n))})` : ''}: a proxy or CDN in front answers instead of the load balancer, so Google's validators never reach it.`;
}

function proxyNameOf(rule: { target?: { name: string } }): string | undefined {
  return rule.target?.name;
}
