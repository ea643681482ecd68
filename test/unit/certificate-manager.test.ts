// "Issue the certificate before DNS moves" in pure code: the plan (steps, adoption, conflicts, both exports), the
// topology and explorer rows of a certificate map, and the diagnostics' rules for its CNAMEs, states and coverage.
import assert from 'node:assert/strict';
import type { DnsAnswer } from '../../src/core/dns/types';
import type { DomainInspection } from '../../src/core/dns/inspect';
import { certificateReport } from '../../src/core/findings/report';
import { diagnoseService, domainsToInspect } from '../../src/core/findings/service';
import type { Finding } from '../../src/core/findings/finding';
import type { Inventory } from '../../src/core/gcp/types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlan } from '../../src/core/plan/build';
import { exportGcloud } from '../../src/core/plan/gcloud';
import { exportTerraform } from '../../src/core/plan/terraform';
import { planText } from '../../src/core/plan/text';
import type { Plan } from '../../src/core/plan/types';
import { buildTopology } from '../../src/core/topology/build';
import { planLoadBalancerDeletion } from '../../src/core/topology/deletePlan';
import type { Topology } from '../../src/core/topology/model';
import { loadBalancerItems } from '../../src/core/explorer/explorerItems';
import type { ExplorerItem } from '../../src/core/explorer/item';
import { certificateManagerRequest, emptyInventory, liveCertificateManager, liveLoadBalancer, P } from './plan-cases';

const LB_IP = '34.117.0.9';
const ELSEWHERE = '198.51.100.7';

/** The load balancer of `plan` as live, its proxy on the map instead of a classic certificate. */
function liveWithMap(plan: Plan, change: (inv: Inventory) => void = () => undefined): Inventory {
  const inventory = liveLoadBalancer(emptyInventory(), plan);
  inventory.sslCertificates = [];
  const proxy = inventory.targetHttpsProxies[0];
  delete proxy.sslCertificates;
  proxy.certificateMap = plan.steps.find((s) => s.id === 'https-proxy')!.body.certificateMap as string;
  liveCertificateManager(inventory, plan);
  change(inventory);
  return inventory;
}

const records = (...values: string[]): DnsAnswer => ({ kind: 'records', values });
const none: DnsAnswer = { kind: 'none', reason: 'NXDOMAIN' };

function inspection(domain: string, opts: { a?: DnsAnswer; cname?: string; caa?: string[] } = {}): DomainInspection {
  return {
    domain,
    observedAt: 0,
    cnameChain: opts.cname ? [opts.cname] : [],
    canonicalName: opts.cname ?? domain,
    a: opts.a ?? none,
    aaaa: { kind: 'none', reason: 'NODATA' },
    caa: opts.caa
      ? { kind: 'found', owner: domain, records: opts.caa.map((v) => ({ flags: 0, tag: 'issue', value: v })) }
      : { kind: 'none', checked: [domain] },
    failures: [],
  };
}

/** DNS for every name the diagnostics ask about: the CNAMEs as Google wants them unless told otherwise. */
function dnsFor(
  topology: Topology,
  override: Record<string, Partial<{ a: DnsAnswer; cname: string; caa: string[] }>> = {},
): Map<string, DomainInspection> {
  const dns = new Map<string, DomainInspection>();
  const targets = new Map<string, string>();
  for (const node of topology.nodes.values())
    if (node.kind === 'dnsAuthorization' && node.record)
      targets.set(node.record.name.replace(/\.$/, ''), node.record.data.replace(/\.$/, ''));
  for (const name of domainsToInspect([{ name: 'web', region: 'us-central1' }], topology)) {
    const base = targets.has(name) ? { cname: targets.get(name) } : { a: records(LB_IP) };
    dns.set(name, inspection(name, { ...base, ...override[name] }));
  }
  return dns;
}

const diagnose = (topology: Topology, dns: Map<string, DomainInspection>): Finding[] =>
  diagnoseService({ service: { name: 'web', region: 'us-central1' }, topology, dns, now: Date.now() });
const codes = (findings: Finding[]) => findings.map((f) => f.code).sort();

function setCertificate(inv: Inventory, managed: Record<string, unknown>): void {
  const cert = inv.certificateManager!.certificates[0];
  cert.managed = { ...cert.managed, ...managed };
}

describe('Certificate Manager: the plan', () => {
  const plan = buildPlan(certificateManagerRequest(), emptyInventory());

  it('replaces the classic certificate with authorizations, a certificate, a map and its entries, before the proxy', () => {
    const ids = plan.steps.map((s) => s.id);
    assert.ok(!ids.includes('cert'));
    assert.deepEqual(
      ids.filter((id) => /^(dns-auth|cm-cert|cert-map)/.test(id)),
      [
        'dns-auth:www.example.com',
        'dns-auth:example.com',
        'cm-cert',
        'cert-map',
        'cert-map-entry:www.example.com',
        'cert-map-entry:example.com',
        'cert-map-entry:primary',
      ],
    );
    const cert = plan.steps.find((s) => s.id === 'cm-cert')!;
    assert.deepEqual(cert.body, {
      managed: {
        domains: ['www.example.com', 'example.com'],
        dnsAuthorizations: [
          `projects/${P}/locations/global/dnsAuthorizations/www-example-com-dns-auth`,
          `projects/${P}/locations/global/dnsAuthorizations/example-com-dns-auth`,
        ],
      },
    });
    const primary = plan.steps.find((s) => s.id === 'cert-map-entry:primary')!;
    assert.deepEqual(primary.body, {
      matcher: 'PRIMARY',
      certificates: [`projects/${P}/locations/global/certificates/${plan.names.certificate}`],
    });
    assert.equal(primary.parent, 'web-cert-map');
    const proxy = plan.steps.find((s) => s.id === 'https-proxy')!;
    assert.deepEqual(proxy.dependsOn, [
      'url-map',
      'cert-map',
      'cert-map-entry:www.example.com',
      'cert-map-entry:example.com',
      'cert-map-entry:primary',
    ]);
    for (const [i, s] of plan.steps.entries()) for (const d of s.dependsOn) assert.ok(ids.indexOf(d) < i, `${s.id} after ${d}`);
  });

  it('tells the user the CNAMEs to create and when the A record may move; with live authorizations, their exact records', () => {
    assert.deepEqual(plan.warnings.filter((w) => w.includes('_acme-challenge')).length, 2);
    assert.ok(
      plan.warnings.some((w) =>
        w.startsWith(
          `Keep the A record of www.example.com, example.com where it points today until certificate ${plan.names.certificate} is ACTIVE`,
        ),
      ),
    );
    const live = buildPlan(certificateManagerRequest(), liveWithMap(plan));
    assert.ok(
      live.warnings.includes(
        'Create the DNS record _acme-challenge.example.com. CNAME 0f1e2d3c-20.7.authorize.certificatemanager.goog. (DNS authorization example-com-dns-auth).',
      ),
      live.warnings.join('\n'),
    );
  });

  it('adopts identical live resources and names what differs', () => {
    const adopted = buildPlan(certificateManagerRequest(), liveWithMap(plan));
    assert.deepEqual(
      adopted.steps.filter((s) => s.action !== 'exists').map((s) => `${s.id} ${s.action}`),
      [],
    );
    const conflicting = buildPlan(
      certificateManagerRequest(),
      liveWithMap(plan, (inv) => {
        inv.certificateManager!.dnsAuthorizations[1].domain = 'shop.example.com';
        inv.certificateManager!.certificateMapEntries[0].hostname = 'other.example.com';
      }),
    );
    const conflicts = conflicting.steps.filter((s) => s.action === 'conflict');
    assert.deepEqual(
      conflicts.map((s) => s.id),
      ['dns-auth:example.com', 'cert-map-entry:www.example.com'],
    );
    assert.deepEqual(conflicts[0].differences, ['domain is "shop.example.com", wanted "example.com"']);
    assert.deepEqual(conflicts[1].differences, ['it matches hostname other.example.com, wanted hostname www.example.com']);
    assert.equal(conflicting.applicable, false);
  });

  it('every step headline of the preview is one the plan grammar colours', () => {
    const matches: string[] = [];
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'match' && typeof value === 'string') matches.push(value);
        else walk(value);
      }
    };
    walk(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'syntaxes', 'cloudrun-plan.tmLanguage.json'), 'utf8')));
    const headline = new RegExp(matches.find((m) => m.startsWith('^(create|exists|update|conflict)'))!);
    const lines = planText(plan)
      .split('\n')
      .filter((l) => /^(create|exists|update|conflict) /.test(l));
    assert.equal(lines.length, plan.steps.length);
    assert.deepEqual(
      lines.filter((l) => !headline.test(l)),
      [],
    );
  });

  it('exports gcloud commands in dependency order, and Terraform wired by references', () => {
    const script = exportGcloud(plan);
    const order = [
      'dns-authorizations create www-example-com-dns-auth',
      'certificates create',
      'maps create web-cert-map',
      'maps entries create',
      'target-https-proxies create',
    ].map((c) => script.indexOf(c));
    assert.ok(
      order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])),
      script,
    );
    assert.match(
      script,
      /--domains=www\.example\.com,example\.com \\\n\s+--dns-authorizations=www-example-com-dns-auth,example-com-dns-auth/,
    );
    assert.match(
      script,
      /maps entries create web-cert-map-primary \\\n\s+--map=web-cert-map \\\n\s+--certificates=web-cert-[0-9a-f]+ \\\n\s+--set-primary/,
    );
    assert.match(script, /--certificate-map=web-cert-map \\\n\s+--url-map=web-url-map/);
    assert.doesNotMatch(script, /--ssl-certificates/);
    const tf = exportTerraform(plan);
    assert.match(
      tf,
      /certificate_map {2}= "\/\/certificatemanager\.googleapis\.com\/\$\{google_certificate_manager_certificate_map\.cert_map\.id\}"/,
    );
    assert.match(
      tf,
      /dns_authorizations = \[google_certificate_manager_dns_authorization\.dns_auth_www_example_com\.id, google_certificate_manager_dns_authorization\.dns_auth_example_com\.id\]/,
    );
    assert.match(tf, /map {10}= google_certificate_manager_certificate_map\.cert_map\.name/);
    assert.match(tf, /matcher {6}= "PRIMARY"/);
    assert.match(tf, /output "dns_auth_example_com_cname"/);
    const imported = exportTerraform(buildPlan(certificateManagerRequest(), liveWithMap(plan)));
    assert.match(
      imported,
      /id = "projects\/demo-project\/locations\/global\/certificateMaps\/web-cert-map\/certificateMapEntries\/web-cert-map-primary"/,
    );
  });
});

describe('Certificate Manager: topology, explorer and deletion', () => {
  const plan = buildPlan(certificateManagerRequest(), emptyInventory());

  function render(items: ExplorerItem[], depth: number, indent = ''): string[] {
    return items.flatMap((item) => [
      `${indent}${item.label}${item.description ? ` — ${item.description}` : ''}`,
      ...(depth > 1 && item.children ? render(item.children(), depth - 1, `${indent}  `) : []),
    ]);
  }

  it('shows map → entries → certificate → domains and authorizations under the HTTPS proxy', () => {
    const topology = buildTopology(
      liveWithMap(plan, (inv) =>
        setCertificate(inv, {
          state: 'PROVISIONING',
          authorizationAttemptInfo: [
            { domain: 'www.example.com', state: 'AUTHORIZED' },
            { domain: 'example.com', state: 'AUTHORIZING' },
          ],
        }),
      ),
    );
    const lb = topology.loadBalancers[0];
    assert.deepEqual(lb.domains, ['example.com', 'www.example.com']);
    const rows = render(loadBalancerItems(topology), 8);
    assert.match(rows[0], /certificate provisioning/);
    const at = rows.findIndex((r) => r.includes('web-cert-map — certificate map · 3 entries'));
    assert.ok(at > 0, rows.join('\n'));
    assert.deepEqual(
      rows.slice(at, at + 7).map((r) => r.trim()),
      [
        'web-cert-map — certificate map · 3 entries',
        'example.com — map entry example-com-entry',
        `${plan.names.certificate} — provisioning · www.example.com, example.com`,
        'www.example.com — authorized',
        'example.com — authorizing',
        '_acme-challenge.www.example.com — DNS authorization www-example-com-dns-auth · CNAME → 0f1e2d3c-24.7.authorize.certificatemanager.goog.',
        '_acme-challenge.example.com — DNS authorization example-com-dns-auth · CNAME → 0f1e2d3c-20.7.authorize.certificatemanager.goog.',
      ],
    );
    assert.ok(rows.some((r) => r.trim() === 'primary — map entry web-cert-map-primary · clients without SNI'));
  });

  it('deletes the map and what only it uses after the proxy; keeps a certificate another map serves', () => {
    const alone = buildTopology(liveWithMap(plan));
    const deletion = planLoadBalancerDeletion(alone, alone.loadBalancers[0].id)!;
    const phase = (kind: string) => deletion.steps.filter((s) => s.kind === kind).map((s) => s.phase);
    assert.deepEqual(phase('certificateMapEntry'), [2, 2, 2]);
    assert.deepEqual([...phase('certificateMap'), ...phase('certificateManagerCertificate')], [3, 3]);
    assert.deepEqual(phase('dnsAuthorization'), [4, 4]);
    assert.deepEqual(
      deletion.steps.filter((s) => s.kind === 'certificateMapEntry').map((s) => s.parent),
      ['web-cert-map', 'web-cert-map', 'web-cert-map'],
    );

    const shared = buildTopology(
      liveWithMap(plan, (inv) => {
        inv.certificateManager!.certificateMaps.push({ name: `projects/${P}/locations/global/certificateMaps/other` });
        inv.certificateManager!.certificateMapEntries.push({
          name: `projects/${P}/locations/global/certificateMaps/other/certificateMapEntries/e`,
          matcher: 'PRIMARY',
          certificates: [`projects/${P}/locations/global/certificates/${plan.names.certificate}`],
        });
      }),
    );
    const keeping = planLoadBalancerDeletion(shared, shared.loadBalancers[0].id)!;
    assert.deepEqual(
      keeping.steps.filter((s) => s.kind === 'certificateManagerCertificate' || s.kind === 'dnsAuthorization'),
      [],
    );
    assert.deepEqual(keeping.kept.map((k) => k.kind).sort(), ['certificateManagerCertificate', 'dnsAuthorization', 'dnsAuthorization']);
    assert.match(
      keeping.kept.find((k) => k.kind === 'certificateManagerCertificate')!.reason,
      /also used by certificate map entry e, which no load balancer uses/,
    );
  });
});

describe('Certificate Manager: diagnostics', () => {
  const plan = buildPlan(certificateManagerRequest(), emptyInventory());
  const authorizing = (inv: Inventory) =>
    setCertificate(inv, {
      state: 'PROVISIONING',
      authorizationAttemptInfo: [
        { domain: 'www.example.com', state: 'AUTHORIZING' },
        { domain: 'example.com', state: 'AUTHORIZING' },
      ],
    });

  it('asks for the _acme-challenge names and the domains', () => {
    const topology = buildTopology(liveWithMap(plan));
    assert.deepEqual(domainsToInspect([{ name: 'web', region: 'us-central1' }], topology), [
      '_acme-challenge.example.com',
      '_acme-challenge.www.example.com',
      'example.com',
      'www.example.com',
    ]);
  });

  it('nothing to say once ACTIVE with the A records on the load balancer', () => {
    const topology = buildTopology(liveWithMap(plan));
    assert.deepEqual(diagnose(topology, dnsFor(topology)), []);
  });

  it('ACTIVE while an A record points elsewhere: that A record can move now, with the record to set', () => {
    const topology = buildTopology(liveWithMap(plan));
    const findings = diagnose(topology, dnsFor(topology, { 'example.com': { a: records(ELSEWHERE) } }));
    assert.deepEqual(codes(findings), ['cm-a-can-move']);
    assert.equal(findings[0].severity, 'information');
    assert.equal(findings[0].domain, 'example.com');
    assert.match(findings[0].message, /the A record of example\.com can move now\. It points to 198\.51\.100\.7/);
    assert.deepEqual(findings[0].fixes[0], { kind: 'copyDnsRecord', record: `example.com. 300 IN A ${LB_IP}` });
  });

  it('a missing CNAME and a wrong one, while the certificate waits for them; a wrong one after ACTIVE is a warning', () => {
    const topology = buildTopology(liveWithMap(plan, authorizing));
    const findings = diagnose(
      topology,
      dnsFor(topology, {
        '_acme-challenge.www.example.com': { cname: undefined },
        '_acme-challenge.example.com': { cname: 'old-target.example.net' },
        'www.example.com': { a: records(ELSEWHERE) },
      }),
    );
    assert.deepEqual(codes(findings), ['cm-cname-missing', 'cm-cname-wrong', 'cm-provisioning']);
    const missing = findings.find((f) => f.code === 'cm-cname-missing')!;
    assert.equal(missing.severity, 'error');
    assert.match(missing.remedy, /_acme-challenge\.www\.example\.com\. 300 IN CNAME 0f1e2d3c-24\.7\.authorize\.certificatemanager\.goog/);
    assert.match(findings.find((f) => f.code === 'cm-cname-wrong')!.message, /points to old-target\.example\.net, not to 0f1e2d3c-20/);
    const waiting = findings.find((f) => f.code === 'cm-provisioning')!;
    assert.deepEqual(waiting.explainedBy?.sort(), [missing.key, findings.find((f) => f.code === 'cm-cname-wrong')!.key].sort());
    assert.match(waiting.message, /does not need the A record/);

    const active = buildTopology(liveWithMap(plan));
    const renewal = diagnose(active, dnsFor(active, { '_acme-challenge.example.com': { cname: 'old-target.example.net' } }));
    assert.deepEqual(
      renewal.map((f) => `${f.code} ${f.severity}`),
      ['cm-cname-wrong warning'],
    );
    assert.match(renewal[0].message, /Google renews it through this record/);
  });

  it('CAA that forbids Google, and domains that failed with their cause and remedy', () => {
    const topology = buildTopology(
      liveWithMap(plan, (inv) =>
        setCertificate(inv, {
          state: 'PROVISIONING',
          authorizationAttemptInfo: [
            { domain: 'www.example.com', state: 'FAILED', failureReason: 'CAA', details: 'CAA forbids' },
            { domain: 'example.com', state: 'FAILED', failureReason: 'CONFIG', details: 'no CNAME' },
          ],
        }),
      ),
    );
    const findings = diagnose(topology, dnsFor(topology, { 'www.example.com': { caa: ['digicert.com'] } }));
    assert.deepEqual(codes(findings), ['cm-caa-forbids', 'cm-domain-failed', 'cm-domain-failed']);
    const caa = findings.find((f) => f.code === 'cm-caa-forbids')!;
    assert.match(caa.remedy, /www\.example\.com\. 300 IN CAA 0 issue "pki\.goog"/);
    const failedCaa = findings.find((f) => f.key.endsWith(':www.example.com') && f.code === 'cm-domain-failed')!;
    assert.deepEqual(failedCaa.explainedBy, [caa.key]);
    assert.match(failedCaa.remedy, /CAA 0 issue "pki\.goog"/);
    assert.match(
      findings.find((f) => f.key.endsWith(':example.com') && f.code === 'cm-domain-failed' && !f.key.endsWith('www.example.com'))!.remedy,
      /gcloud certificate-manager dns-authorizations describe example-com-dns-auth/,
    );
  });

  it('domains no entry serves, and an entry whose certificate does not cover the name', () => {
    const noEntry = buildTopology(
      liveWithMap(plan, (inv) => {
        inv.certificateManager!.certificateMapEntries = inv.certificateManager!.certificateMapEntries.filter(
          (e) => e.hostname === 'www.example.com',
        );
      }),
    );
    const missing = diagnose(noEntry, dnsFor(noEntry));
    assert.deepEqual(codes(missing), ['cm-entry-missing']);
    assert.match(missing[0].message, /has no entry for example\.com and no primary entry/);

    const wrongCert = buildTopology(
      liveWithMap(plan, (inv) => {
        const cm = inv.certificateManager!;
        cm.certificates.push({
          name: `projects/${P}/locations/global/certificates/other`,
          managed: { domains: ['shop.example.com'], state: 'ACTIVE' },
        });
        cm.certificateMapEntries = cm.certificateMapEntries.filter((e) => e.hostname === 'www.example.com');
        cm.certificateMapEntries.push({
          name: `projects/${P}/locations/global/certificateMaps/web-cert-map/certificateMapEntries/p`,
          matcher: 'PRIMARY',
          certificates: [`projects/${P}/locations/global/certificates/other`],
        });
      }),
    );
    const wrong = diagnose(wrongCert, dnsFor(wrongCert)).filter((f) => f.code.startsWith('cm-entry'));
    assert.deepEqual(
      wrong.map((f) => `${f.code} ${f.domain}`),
      ['cm-entry-wrong-certificate example.com'],
    );
    assert.match(wrong[0].remedy, new RegExp(`--hostname=example\\.com --certificates=${plan.names.certificate}`));
  });

  it('the certificate report walks the map, each CNAME, CAA, entries, state and the A records', () => {
    const topology = buildTopology(liveWithMap(plan, authorizing));
    const certId = [...topology.nodes.values()].find((n) => n.kind === 'certificateManagerCertificate')!.id;
    const report = certificateReport({
      certificateId: certId,
      topology,
      dns: dnsFor(topology, { '_acme-challenge.example.com': { cname: undefined } }),
      now: Date.now(),
    });
    assert.deepEqual(
      report.checks.map((c) => `${c.status} ${c.title}`),
      [
        'OK Certificate exists',
        'OK Served through a certificate map',
        'OK CNAME _acme-challenge.www.example.com.',
        'FAIL CNAME _acme-challenge.example.com.',
        "OK CAA allows Google's certificate authorities",
        'OK Map entries serve every domain',
        'UNCERTAIN Status',
        'OK A records',
      ],
    );
    assert.match(report.checks[3].remedy!, /_acme-challenge\.example\.com\. 300 IN CNAME 0f1e2d3c-20/);
    const active = buildTopology(liveWithMap(plan));
    const moved = certificateReport({
      certificateId: certId,
      topology: active,
      dns: dnsFor(active, { 'www.example.com': { a: records(ELSEWHERE) } }),
      now: Date.now(),
    });
    assert.deepEqual(
      moved.checks.filter((c) => c.status !== 'OK').map((c) => `${c.status} ${c.title} ${c.codes}`),
      ['UNCERTAIN A records cm-a-can-move'],
    );
  });
});
