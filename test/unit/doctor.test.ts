// The certificate doctor: the serving rules (proxy, rule, port 443, certificate map), recent changes,
// and the report that walks every check.
import assert from 'node:assert/strict';
import { inspectDomain, type DomainInspection } from '../../src/core/dns/inspect';
import { certificateFindings } from '../../src/core/findings/certificate';
import { certificateReport, renderCertificateReport, type CertificateReport, type CheckStatus } from '../../src/core/findings/report';
import type { Inventory, Operation } from '../../src/core/gcp/types';
import { buildTopology } from '../../src/core/topology/build';
import type { CertificateNode } from '../../src/core/topology/model';
import { FakeZone } from './dns-fake.test';
import { DOMAIN, NOW, SERVICE, codes, diagnose, only, rightZone, seedWithCertificate } from './diagnostics.test';
import {
  SEED_IP,
  backendService,
  emptyInventory,
  httpsProxy,
  id,
  link,
  managedCertificate,
  runService,
  serverlessNeg,
  urlMap,
} from './topology-fixtures';

const CERT_ID = id.global('sslCertificates', 'my-ssl-cert');
const MAP_REF = '//certificatemanager.googleapis.com/projects/demo-project/locations/global/certificateMaps/my-map';

function operation(operationType: string, targetLink: string, minutesAgo: number, extra: Partial<Operation> = {}): Operation {
  const at = new Date(NOW - minutesAgo * 60_000).toISOString();
  return {
    kind: 'compute#operation',
    name: `operation-${operationType}-${minutesAgo}`,
    operationType,
    targetLink,
    status: 'DONE',
    insertTime: at,
    endTime: at,
    ...extra,
  };
}

/** Steps 1-6 of the seed without the forwarding rule: a proxy no rule uses. */
function proxyWithoutRule(): Inventory {
  const inventory = emptyInventory();
  inventory.services.push(runService('hello', 'us-central1'));
  inventory.networkEndpointGroups.push(serverlessNeg('cloudrun-neg', 'us-central1', 'hello'));
  inventory.backendServices.push(
    backendService('cloudrun-backend', [link.regional('us-central1', 'networkEndpointGroups', 'cloudrun-neg')]),
  );
  inventory.urlMaps.push(urlMap('cloudrun-url-map', link.global('backendServices', 'cloudrun-backend')));
  inventory.sslCertificates.push(managedCertificate('my-ssl-cert', [DOMAIN], 'PROVISIONING'));
  inventory.targetHttpsProxies.push(
    httpsProxy('https-proxy', link.global('urlMaps', 'cloudrun-url-map'), [link.global('sslCertificates', 'my-ssl-cert')]),
  );
  return inventory;
}

function ruleOn8443(): Inventory {
  const inventory = seedWithCertificate();
  inventory.forwardingRules[0].portRange = '8443-8443';
  return inventory;
}

function withCertificateMap(): Inventory {
  const inventory = seedWithCertificate();
  inventory.targetHttpsProxies[0].certificateMap = MAP_REF;
  return inventory;
}

async function inspectAll(domains: string[], zone: FakeZone): Promise<Map<string, DomainInspection>> {
  const dns = new Map<string, DomainInspection>();
  for (const domain of domains) dns.set(domain, await inspectDomain(domain, zone, { now: () => NOW - 5000 }));
  return dns;
}

async function report(
  inventory: Inventory,
  zone: FakeZone = rightZone(),
  operations: Operation[] | null = [],
  certificateId = CERT_ID,
): Promise<CertificateReport> {
  const topology = buildTopology(inventory);
  const cert = topology.nodes.get(certificateId) as CertificateNode | undefined;
  const dns = await inspectAll(cert?.domains ?? [], zone);
  return certificateReport({
    certificateId,
    topology,
    dns,
    operations: operations ?? undefined,
    now: NOW,
    topologyObservedAt: NOW - 10_000,
  });
}

function status(r: CertificateReport, title: string): CheckStatus {
  const check = r.checks.find((c) => c.title === title);
  assert.ok(check, `no check "${title}"; have ${r.checks.map((c) => c.title).join(' | ')}`);
  return check.status;
}

describe('certificate doctor: rules', () => {
  it('a certificate on no proxy can never provision', async () => {
    const inventory = seedWithCertificate();
    inventory.sslCertificates.push(managedCertificate('orphan-cert', ['orphan.example.com'], 'PROVISIONING'));
    const topology = buildTopology(inventory);
    const orphan = topology.nodes.get(id.global('sslCertificates', 'orphan-cert')) as CertificateNode;
    const findings = certificateFindings(orphan, { topology, dns: new Map(), now: NOW });
    assert.deepEqual(codes(findings), ['cert-not-served', 'cert-provisioning']);
    const f = only(findings, 'cert-not-served');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /orphan-cert is attached to no target HTTPS proxy/);
    assert.match(f.remedy, /target-https-proxies update PROXY --global --ssl-certificates=orphan-cert/);
  });

  it('a proxy no forwarding rule uses: found from the service, through its NEG', async () => {
    const findings = await diagnose(proxyWithoutRule(), new FakeZone());
    assert.deepEqual(codes(findings), ['cert-not-served', 'cert-provisioning']);
    const f = only(findings, 'cert-not-served');
    assert.match(f.message, /on target HTTPS proxy https-proxy, but no forwarding rule uses it/);
    assert.match(f.remedy, /--target-https-proxy=https-proxy --ports=443/);
    assert.ok(f.related.some((r) => r.id === id.global('targetHttpsProxies', 'https-proxy')));
  });

  it('a rule on 8443 only: the IP has no 443 rule; DNS is still checked against it', async () => {
    const findings = await diagnose(ruleOn8443(), new FakeZone());
    assert.deepEqual(codes(findings), ['cert-no-443-rule', 'cert-provisioning', 'dns-missing-a']);
    const f = only(findings, 'cert-no-443-rule');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /served on 34\.120\.10\.20 only by https-rule \(port 8443\)/);
    assert.match(f.remedy, /--ports=443 --address=34\.120\.10\.20/);
    assert.deepEqual(f.fixes[0], { kind: 'copyIp', ip: SEED_IP });
  });

  it('a certificate map on the proxy: warning naming the map', async () => {
    const findings = await diagnose(withCertificateMap(), rightZone());
    assert.deepEqual(codes(findings), ['cert-map-overrides', 'cert-provisioning']);
    const f = only(findings, 'cert-map-overrides');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /https-proxy uses the Certificate Manager map my-map/);
    assert.match(f.remedy, /--clear-certificate-map/);
    assert.ok(f.related.some((r) => r.message === 'certificate map my-map'));
  });

  it('partly right DNS lists the right and the wrong addresses', async () => {
    const findings = await diagnose(seedWithCertificate(), new FakeZone().set(DOMAIN, 'A', ['203.0.113.5', SEED_IP]));
    assert.match(only(findings, 'dns-partly-wrong').message, /34\.120\.10\.20 is right, 203\.0\.113\.5 is not/);
  });

  describe('recent changes', () => {
    const failing = () => seedWithCertificate('PROVISIONING', { [DOMAIN]: 'FAILED_NOT_VISIBLE' });

    it('a change a minute ago: information instead of an alarm', async () => {
      const ops = [operation('setSslCertificates', link.global('targetHttpsProxies', 'https-proxy'), 1)];
      const findings = await diagnose(failing(), rightZone(), SERVICE, ops);
      assert.deepEqual(codes(findings), ['cert-failed-not-visible', 'cert-recent-change']);
      const change = only(findings, 'cert-recent-change');
      assert.equal(change.severity, 'information');
      assert.equal(change.pending, true);
      assert.match(change.message, /target HTTPS proxy https-proxy changed 1 minute ago \(setSslCertificates\)/);
      assert.match(change.message, /up to 24 hours/);
      const failed = only(findings, 'cert-failed-not-visible');
      assert.equal(failed.severity, 'warning', 'downgraded while the change is recent');
      assert.match(failed.message, /Validation may still take time/);
    });

    it('counts inserts of the rule and setTarget, by any reference form', async () => {
      const ops = [
        operation('setTarget', 'projects/demo-project/global/forwardingRules/https-rule', 30),
        operation('insert', 'global/sslCertificates/my-ssl-cert', 90),
      ];
      const findings = await diagnose(failing(), rightZone(), SERVICE, ops);
      assert.match(only(findings, 'cert-recent-change').message, /forwarding rule https-rule changed 30 minutes ago \(setTarget\)/);
    });

    it('ignores old changes, failed operations, other resources and other operation types', async () => {
      const ops = [
        operation('setSslCertificates', link.global('targetHttpsProxies', 'https-proxy'), 2 * 24 * 60),
        operation('setSslCertificates', link.global('targetHttpsProxies', 'https-proxy'), 1, {
          error: { errors: [{ code: 'RESOURCE_NOT_READY' }] },
        }),
        operation('setSslCertificates', link.global('targetHttpsProxies', 'other-proxy'), 1),
        operation('setLabels', link.global('targetHttpsProxies', 'https-proxy'), 1),
      ];
      const findings = await diagnose(failing(), rightZone(), SERVICE, ops);
      assert.deepEqual(codes(findings), ['cert-failed-not-visible']);
      assert.equal(only(findings, 'cert-failed-not-visible').severity, 'error');
    });

    it('says nothing about a recent change once the certificate is ACTIVE', async () => {
      const ops = [operation('setSslCertificates', link.global('targetHttpsProxies', 'https-proxy'), 1)];
      assert.deepEqual(codes(await diagnose(seedWithCertificate('ACTIVE'), rightZone(), SERVICE, ops)), []);
    });
  });
});

describe('certificate doctor: report', () => {
  it('walks every check in order, all OK for a healthy certificate', async () => {
    const r = await report(seedWithCertificate('ACTIVE'), rightZone().set('example.com', 'CAA', ['0 issue "pki.goog"']));
    assert.deepEqual(
      r.checks.map((c) => c.title),
      [
        'Certificate exists',
        'Google-managed certificate',
        'Certificate status',
        `Domain status: ${DOMAIN}`,
        'Attached to a target HTTPS proxy',
        'A forwarding rule uses the proxy',
        'Every IP has a forwarding rule on port 443',
        'No certificate map overrides the certificate',
        `DNS: ${DOMAIN} points at the load balancer`,
        `CAA: ${DOMAIN} allows Google's certificate authorities`,
        'Recent changes',
      ],
    );
    assert.deepEqual(
      r.checks.map((c) => c.status),
      Array(11).fill('OK'),
      r.checks.map((c) => `${c.title}: ${c.reason}`).join('\n'),
    );
    assert.equal(r.checks[0].observedAt, NOW - 10_000, 'topology checks carry the listing time');
    assert.equal(r.checks[8].observedAt, NOW - 5000, 'DNS checks carry the lookup time');
    assert.match(r.checks[8].reason, /answers 34\.120\.10\.20/);
    assert.match(r.checks[9].reason, /CAA set of example\.com allows/);
  });

  it('a provisioning certificate with DNS missing: FAIL with the exact record', async () => {
    const r = await report(seedWithCertificate(), new FakeZone());
    assert.equal(status(r, 'Certificate status'), 'UNCERTAIN');
    assert.equal(status(r, `Domain status: ${DOMAIN}`), 'UNCERTAIN');
    const dns = r.checks.find((c) => c.title.startsWith('DNS:'))!;
    assert.equal(dns.status, 'FAIL');
    assert.match(dns.remedy ?? '', /shop\.example\.com\. 300 IN A 34\.120\.10\.20/);
    assert.deepEqual(dns.codes, ['dns-missing-a']);
  });

  it('a certificate on no proxy: FAIL at attachment, nothing to compare DNS with', async () => {
    const inventory = seedWithCertificate();
    inventory.sslCertificates.push(managedCertificate('orphan-cert', ['orphan.example.com'], 'PROVISIONING'));
    const r = await report(inventory, new FakeZone(), [], id.global('sslCertificates', 'orphan-cert'));
    assert.equal(status(r, 'Attached to a target HTTPS proxy'), 'FAIL');
    assert.ok(!r.checks.some((c) => c.title === 'A forwarding rule uses the proxy'), 'later serving checks need a proxy');
    assert.equal(status(r, 'DNS: orphan.example.com points at the load balancer'), 'UNCERTAIN');
  });

  it('a proxy with no rule, a rule on 8443, a certificate map: each FAILs its own check', async () => {
    assert.equal(status(await report(proxyWithoutRule()), 'A forwarding rule uses the proxy'), 'FAIL');
    assert.equal(status(await report(ruleOn8443()), 'Every IP has a forwarding rule on port 443'), 'FAIL');
    const mapped = await report(withCertificateMap());
    assert.equal(status(mapped, 'No certificate map overrides the certificate'), 'FAIL');
    assert.match(mapped.checks.find((c) => c.status === 'FAIL')!.reason, /my-map/);
  });

  it('failed states and CAA: FAIL; lookup failures and recent changes: UNCERTAIN', async () => {
    const caa = await report(
      seedWithCertificate('PROVISIONING', { [DOMAIN]: 'FAILED_CAA_FORBIDDEN' }),
      rightZone().set(DOMAIN, 'CAA', ['0 issue "sectigo.com"']),
    );
    assert.equal(status(caa, `Domain status: ${DOMAIN}`), 'FAIL');
    assert.equal(status(caa, `CAA: ${DOMAIN} allows Google's certificate authorities`), 'FAIL');
    const permanent = await report(seedWithCertificate('PROVISIONING_FAILED_PERMANENTLY', { [DOMAIN]: 'FAILED_NOT_VISIBLE' }));
    assert.equal(status(permanent, 'Certificate status'), 'FAIL');
    const down = await report(seedWithCertificate(), new FakeZone().fail(DOMAIN, 'ESERVFAIL'));
    assert.equal(status(down, `DNS: ${DOMAIN} points at the load balancer`), 'UNCERTAIN');
    assert.equal(status(down, `CAA: ${DOMAIN} allows Google's certificate authorities`), 'UNCERTAIN');
    const recent = await report(seedWithCertificate('PROVISIONING', { [DOMAIN]: 'FAILED_NOT_VISIBLE' }), rightZone(), [
      operation('setSslCertificates', link.global('targetHttpsProxies', 'https-proxy'), 1),
    ]);
    assert.equal(status(recent, 'Recent changes'), 'UNCERTAIN');
    assert.equal(status(recent, `Domain status: ${DOMAIN}`), 'UNCERTAIN');
    const unknown = await report(seedWithCertificate(), rightZone(), null);
    assert.equal(status(unknown, 'Recent changes'), 'UNCERTAIN');
  });

  it('a certificate that does not exist: one FAIL', async () => {
    const r = await report(seedWithCertificate(), rightZone(), [], id.global('sslCertificates', 'gone'));
    assert.deepEqual(
      r.checks.map((c) => [c.title, c.status]),
      [['Certificate exists', 'FAIL']],
    );
  });

  it('renders markdown with statuses, reasons, remedies, times and links', async () => {
    const r = await report(seedWithCertificate(), new FakeZone());
    const text = renderCertificateReport(r, {
      linkFor: (resourceId) => (resourceId === CERT_ID ? 'command:cloudRunGlobal.reveal?x' : undefined),
    });
    assert.match(text, /^# Certificate my-ssl-cert\n/);
    assert.match(text, /Project `demo-project` · generated 2026-03-01T12:00:00\.000Z · 1 failed, \d+ uncertain, \d+ OK/);
    assert.match(text, /## 1\. \[OK\] Certificate exists/);
    assert.match(text, /## \d+\. \[FAIL\] DNS: shop\.example\.com points at the load balancer/);
    assert.match(text, /\*\*Remedy:\*\* Create `shop\.example\.com\. 300 IN A 34\.120\.10\.20`/);
    assert.match(text, /Observed 2026-03-01T11:59:55\.000Z/);
    assert.match(text, /\[sslCertificates\/my-ssl-cert\]\(command:cloudRunGlobal\.reveal\?x\)/);
    assert.match(text, /`projects\/demo-project\/global\/targetHttpsProxies\/https-proxy`/);
    assert.ok(text.endsWith('\n') && !text.includes('undefined'));
  });
});
