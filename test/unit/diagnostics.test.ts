import assert from 'node:assert/strict';
import { inspectDomain, type DomainInspection } from '../../src/core/dns/inspect';
import { diagnoseService, domainsToInspect, type ServiceToDiagnose } from '../../src/core/findings/service';
import type { Finding, FindingCode } from '../../src/core/findings/finding';
import type { Inventory, Operation } from '../../src/core/gcp/types';
import { buildTopology } from '../../src/core/topology/build';
import { FakeZone } from './dns-fake.test';
import {
  SEED_IP,
  backendService,
  emptyInventory,
  forwardingRule,
  httpsProxy,
  link,
  managedCertificate,
  runService,
  seedInventory,
  serverlessNeg,
  urlMap,
} from './topology-fixtures';

export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const DOMAIN = 'shop.example.com';
export const IPV6 = '2600:1901:0:1234::';
const HARDENED = 'internal-and-cloud-load-balancing';
export const SERVICE: ServiceToDiagnose = { name: 'hello', region: 'us-central1', ingress: HARDENED };

/** The seed's load balancer with a certificate for DOMAIN in the given state, created 12 minutes ago. */
export function seedWithCertificate(
  status = 'PROVISIONING',
  domainStatus: Record<string, string> = { [DOMAIN]: status === 'ACTIVE' ? 'ACTIVE' : 'PROVISIONING' },
  extra: { expireTime?: string } = {},
): Inventory {
  const inventory = seedInventory();
  const cert = managedCertificate('my-ssl-cert', [DOMAIN], status, domainStatus);
  cert.creationTimestamp = new Date(NOW - 12 * 60_000).toISOString();
  if (extra.expireTime) cert.expireTime = extra.expireTime;
  inventory.sslCertificates = [cert];
  return inventory;
}

/** DNS as it should be: DOMAIN → the seed's IP. */
export function rightZone(): FakeZone {
  return new FakeZone().set(DOMAIN, 'A', [SEED_IP], 300);
}

export async function diagnose(
  inventory: Inventory,
  zone: FakeZone,
  service: ServiceToDiagnose = SERVICE,
  operations?: Operation[],
): Promise<Finding[]> {
  const topology = buildTopology(inventory);
  const dns = new Map<string, DomainInspection>();
  for (const domain of domainsToInspect([service], topology)) dns.set(domain, await inspectDomain(domain, zone, { now: () => NOW }));
  return diagnoseService({ service, topology, dns, operations, now: NOW });
}

export function codes(findings: readonly Finding[]): FindingCode[] {
  return findings.map((f) => f.code).sort();
}

export function only(findings: readonly Finding[], code: FindingCode): Finding {
  const found = findings.filter((f) => f.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${codes(findings).join(', ') || 'none'}`);
  return found[0];
}

interface Case {
  title: string;
  inventory?: () => Inventory;
  zone?: () => FakeZone;
  service?: ServiceToDiagnose;
  expect: FindingCode[];
  check?: (findings: Finding[]) => void;
}

function runCases(cases: Case[]): void {
  for (const c of cases) {
    it(c.title, async () => {
      const findings = await diagnose((c.inventory ?? (() => seedWithCertificate()))(), (c.zone ?? rightZone)(), c.service ?? SERVICE);
      assert.deepEqual(codes(findings), [...c.expect].sort(), findings.map((f) => `${f.code}: ${f.message}`).join('\n'));
      c.check?.(findings);
    });
  }
}

describe('diagnostics: certificate states (DNS right)', () => {
  runCases([
    { title: 'ACTIVE: nothing to report', inventory: () => seedWithCertificate('ACTIVE'), expect: [] },
    {
      title: 'PROVISIONING: information with the time since creation and what to expect',
      expect: ['cert-provisioning'],
      check: (findings) => {
        const f = only(findings, 'cert-provisioning');
        assert.equal(f.severity, 'information');
        assert.equal(f.pending, true);
        assert.match(f.message, /my-ssl-cert/);
        assert.match(f.message, /12 minutes/);
        assert.match(f.message, /60 minutes/);
        assert.equal(f.anchor, 'name');
        assert.ok(f.fixes.some((x) => x.kind === 'recheck'));
        assert.ok(f.fixes.some((x) => x.kind === 'openCertificate' && x.consoleUrl.includes('sslCertificates/details/my-ssl-cert')));
      },
    },
    {
      title: 'FAILED_NOT_VISIBLE while DNS is right: error saying Google retries',
      inventory: () => seedWithCertificate('PROVISIONING', { [DOMAIN]: 'FAILED_NOT_VISIBLE' }),
      expect: ['cert-failed-not-visible'],
      check: (findings) => {
        const f = only(findings, 'cert-failed-not-visible');
        assert.equal(f.severity, 'error');
        assert.equal(f.domain, DOMAIN);
        assert.match(f.message, /points at the load balancer now/);
        assert.ok(
          f.fixes.some(
            (x) =>
              x.kind === 'openTroubleshooting' &&
              x.url.startsWith('https://cloud.google.com/load-balancing/docs/ssl-certificates/troubleshooting'),
          ),
        );
      },
    },
    {
      title: 'FAILED_CAA_CHECKING: error about CAA lookups',
      inventory: () => seedWithCertificate('PROVISIONING', { [DOMAIN]: 'FAILED_CAA_CHECKING' }),
      expect: ['cert-failed-caa-checking'],
      check: (findings) => assert.match(only(findings, 'cert-failed-caa-checking').remedy, /answer CAA queries/),
    },
    {
      title: 'FAILED_CAA_FORBIDDEN: error joined with the CAA finding',
      inventory: () => seedWithCertificate('PROVISIONING', { [DOMAIN]: 'FAILED_CAA_FORBIDDEN' }),
      zone: () => rightZone().set('example.com', 'CAA', ['0 issue "digicert.com"']),
      expect: ['cert-failed-caa-forbidden', 'dns-caa-forbids'],
      check: (findings) => {
        const cert = only(findings, 'cert-failed-caa-forbidden');
        const caa = only(findings, 'dns-caa-forbids');
        assert.deepEqual(cert.explainedBy, [caa.key]);
        assert.match(cert.message, /Cause: the CAA records of example\.com forbid/);
      },
    },
    {
      title: 'FAILED_RATE_LIMITED: error to wait out',
      inventory: () => seedWithCertificate('PROVISIONING', { [DOMAIN]: 'FAILED_RATE_LIMITED' }),
      expect: ['cert-rate-limited'],
      check: (findings) => assert.match(only(findings, 'cert-rate-limited').remedy, /Wait/),
    },
    {
      title: 'PROVISIONING_FAILED: error with its domain failure',
      inventory: () => seedWithCertificate('PROVISIONING_FAILED', { [DOMAIN]: 'FAILED_NOT_VISIBLE' }),
      expect: ['cert-failed-not-visible', 'cert-provisioning-failed'],
      check: (findings) => assert.equal(only(findings, 'cert-provisioning-failed').severity, 'error'),
    },
    {
      title: 'PROVISIONING_FAILED_PERMANENTLY: error with the steps to replace it',
      inventory: () => seedWithCertificate('PROVISIONING_FAILED_PERMANENTLY', { [DOMAIN]: 'FAILED_NOT_VISIBLE' }),
      expect: ['cert-failed-not-visible', 'cert-failed-permanently'],
      check: (findings) => {
        const f = only(findings, 'cert-failed-permanently');
        assert.equal(f.pending, false);
        assert.match(f.remedy, /ssl-certificates create my-ssl-cert-2 --global --domains=shop\.example\.com/);
        assert.match(f.remedy, /target-https-proxies update https-proxy/);
      },
    },
    {
      title: 'RENEWAL_FAILED: error with the expiry',
      inventory: () =>
        seedWithCertificate('RENEWAL_FAILED', { [DOMAIN]: 'ACTIVE' }, { expireTime: new Date(NOW + 3 * 86_400_000).toISOString() }),
      expect: ['cert-renewal-failed'],
      check: (findings) => assert.match(only(findings, 'cert-renewal-failed').message, /expires in 3 days/),
    },
  ]);
});

describe('diagnostics: DNS answers (certificate provisioning)', () => {
  runCases([
    {
      title: 'no record: error with the exact record to create',
      zone: () => new FakeZone().set('example.com', 'A', ['1.1.1.1']),
      expect: ['cert-provisioning', 'dns-missing-a'],
      check: (findings) => {
        const f = only(findings, 'dns-missing-a');
        assert.equal(f.severity, 'error');
        assert.match(f.message, /shop\.example\.com does not exist in DNS \(NXDOMAIN\)/);
        assert.match(f.message, new RegExp(SEED_IP.replace(/\./g, '\\.')));
        assert.match(f.remedy, /`shop\.example\.com\. 300 IN A 34\.120\.10\.20`/);
        assert.deepEqual(f.fixes.slice(0, 2), [
          { kind: 'copyDnsRecord', record: 'shop.example.com. 300 IN A 34.120.10.20' },
          { kind: 'copyIp', ip: SEED_IP },
        ]);
        assert.ok(f.fixes.some((x) => x.kind === 'recheck'));
        assert.equal(f.pending, true);
        assert.ok(f.related.some((r) => r.id.endsWith('sslCertificates/my-ssl-cert')));
        assert.deepEqual(only(findings, 'cert-provisioning').explainedBy, [f.key]);
      },
    },
    {
      title: 'name without an A record (NODATA)',
      zone: () => new FakeZone().set(DOMAIN, 'MX' as never, ['mail.example.com']),
      expect: ['cert-provisioning', 'dns-missing-a'],
      check: (findings) => assert.match(only(findings, 'dns-missing-a').message, /shop\.example\.com has no A record/),
    },
    { title: 'right address: no DNS finding', expect: ['cert-provisioning'] },
    {
      title: 'wrong address: error naming both IPs',
      zone: () => new FakeZone().set(DOMAIN, 'A', ['203.0.113.9']),
      expect: ['cert-provisioning', 'dns-wrong-ip'],
      check: (findings) => {
        const f = only(findings, 'dns-wrong-ip');
        assert.match(f.message, /203\.0\.113\.9/);
        assert.match(f.message, /34\.120\.10\.20/);
        assert.doesNotMatch(f.message, /proxy or CDN/);
        assert.match(f.remedy, /Replace the A record with `shop\.example\.com\. 300 IN A 34\.120\.10\.20`/);
      },
    },
    {
      title: 'wrong address in a Cloudflare range: hint that a proxy is in front',
      zone: () => new FakeZone().set(DOMAIN, 'A', ['104.21.3.4', '172.67.1.2']),
      expect: ['cert-provisioning', 'dns-wrong-ip'],
      check: (findings) => {
        const f = only(findings, 'dns-wrong-ip');
        assert.match(f.message, /Cloudflare/);
        assert.match(f.remedy, /DNS-only/);
      },
    },
    {
      title: 'partly right: lists the right and the wrong addresses',
      zone: () => new FakeZone().set(DOMAIN, 'A', [SEED_IP, '198.51.100.7']),
      expect: ['cert-provisioning', 'dns-partly-wrong'],
      check: (findings) => {
        const f = only(findings, 'dns-partly-wrong');
        assert.equal(f.severity, 'error');
        assert.match(f.message, /34\.120\.10\.20 is right, 198\.51\.100\.7 is not/);
        assert.match(f.remedy, /Delete the A record for 198\.51\.100\.7/);
      },
    },
    {
      title: 'extra AAAA with no IPv6 rule: warning that it blocks provisioning',
      zone: () => rightZone().set(DOMAIN, 'AAAA', [IPV6]),
      expect: ['cert-provisioning', 'dns-stray-aaaa'],
      check: (findings) => {
        const f = only(findings, 'dns-stray-aaaa');
        assert.equal(f.severity, 'warning');
        assert.match(f.message, /provisioning is blocked/);
        assert.match(f.message, new RegExp(IPV6));
      },
    },
    {
      title: 'AAAA matching an IPv6 rule on 443: fine',
      inventory: () => {
        const inventory = seedWithCertificate();
        inventory.forwardingRules.push(
          forwardingRule('https-rule-v6', IPV6, link.global('targetHttpsProxies', 'https-proxy'), '443-443', { ipVersion: 'IPV6' }),
        );
        return inventory;
      },
      zone: () => rightZone().set(DOMAIN, 'AAAA', [IPV6]),
      expect: ['cert-provisioning'],
    },
    {
      title: 'CNAME chain to the right address: fine',
      zone: () => new FakeZone().set(DOMAIN, 'CNAME', ['lb.example.net']).set('lb.example.net', 'A', [SEED_IP]),
      expect: ['cert-provisioning'],
    },
    {
      title: 'CNAME chain to a CDN: wrong address with the chain and a hint',
      zone: () =>
        new FakeZone()
          .set(DOMAIN, 'CNAME', ['shop.example.com.cdn.cloudflare.net'])
          .set('shop.example.com.cdn.cloudflare.net', 'A', ['198.51.100.1']),
      expect: ['cert-provisioning', 'dns-wrong-ip'],
      check: (findings) => {
        const f = only(findings, 'dns-wrong-ip');
        assert.match(f.message, /shop\.example\.com → shop\.example\.com\.cdn\.cloudflare\.net/);
        assert.match(f.message, /Cloudflare \(the CNAME/);
      },
    },
    {
      title: 'CNAME chain ending nowhere: missing, naming the chain',
      zone: () => new FakeZone().set(DOMAIN, 'CNAME', ['gone.example.net']).set('gone.example.net', 'TXT' as never, ['x']),
      expect: ['cert-provisioning', 'dns-missing-a'],
      check: (findings) => {
        const f = only(findings, 'dns-missing-a');
        assert.match(f.message, /through shop\.example\.com → gone\.example\.net/);
        assert.match(f.remedy, /Replace the CNAME/);
      },
    },
    {
      title: 'CAA forbidding Google: error with the record that allows pki.goog',
      zone: () => rightZone().set('example.com', 'CAA', ['0 issue "digicert.com"', '0 iodef "mailto:x@example.com"']),
      expect: ['cert-provisioning', 'dns-caa-forbids'],
      check: (findings) => {
        const f = only(findings, 'dns-caa-forbids');
        assert.equal(f.severity, 'error');
        assert.match(f.message, /example\.com \(which apply to shop\.example\.com\) allow only digicert\.com/);
        assert.deepEqual(f.fixes[0], { kind: 'copyDnsRecord', record: 'example.com. 300 IN CAA 0 issue "pki.goog"' });
      },
    },
    {
      title: 'CAA allowing pki.goog: fine',
      zone: () => rightZone().set(DOMAIN, 'CAA', ['0 issue "pki.goog"']),
      expect: ['cert-provisioning'],
    },
    {
      title: 'CAA allowing letsencrypt.org: fine',
      zone: () => rightZone().set('example.com', 'CAA', ['0 issue "letsencrypt.org"']),
      expect: ['cert-provisioning'],
    },
    {
      title: 'resolver failure: its own finding, never "missing"',
      zone: () => new FakeZone().fail(DOMAIN, 'ETIMEOUT'),
      expect: ['cert-provisioning', 'dns-lookup-failed'],
      check: (findings) => {
        const f = only(findings, 'dns-lookup-failed');
        assert.equal(f.severity, 'warning');
        assert.match(f.message, /did not answer in time/);
        assert.match(f.message, /ETIMEOUT/);
        assert.deepEqual(f.fixes, [{ kind: 'recheck' }]);
        assert.equal(f.pending, true);
      },
    },
    {
      title: 'SERVFAIL on CAA: a lookup failure about CAA',
      zone: () => rightZone().fail('example.com', 'ESERVFAIL', 'CAA'),
      expect: ['cert-provisioning', 'dns-lookup-failed'],
      check: (findings) => {
        assert.match(only(findings, 'dns-lookup-failed').message, /CAA of example\.com: .*SERVFAIL.*whether CAA allows/);
      },
    },
    {
      title: 'CNAME loop: a lookup failure, not a missing record',
      zone: () => new FakeZone().set(DOMAIN, 'CNAME', ['loop.example.com']).set('loop.example.com', 'CNAME', [DOMAIN]),
      expect: ['cert-provisioning', 'dns-lookup-failed'],
      check: (findings) => assert.match(only(findings, 'dns-lookup-failed').message, /loop/),
    },
    {
      title: 'FAILED_NOT_VISIBLE joined with the missing record that explains it',
      inventory: () => seedWithCertificate('PROVISIONING', { [DOMAIN]: 'FAILED_NOT_VISIBLE' }),
      zone: () => new FakeZone(),
      expect: ['cert-failed-not-visible', 'dns-missing-a'],
      check: (findings) => {
        const cert = only(findings, 'cert-failed-not-visible');
        const dns = only(findings, 'dns-missing-a');
        assert.deepEqual(cert.explainedBy, [dns.key]);
        assert.match(cert.message, /Cause: shop\.example\.com does not exist in DNS \(NXDOMAIN\)\./);
        assert.equal(findings[0].severity, 'error', 'errors come first');
      },
    },
    {
      title: 'ACTIVE but DNS moved away: error (renewal will fail), checked again until fixed',
      inventory: () => seedWithCertificate('ACTIVE'),
      zone: () => new FakeZone().set(DOMAIN, 'A', ['203.0.113.9']),
      service: { ...SERVICE },
      expect: ['dns-wrong-ip'],
      check: (findings) => {
        const f = only(findings, 'dns-wrong-ip');
        assert.match(f.message, /cannot be renewed/);
        assert.equal(f.pending, true);
      },
    },
  ]);
});

describe('diagnostics: ingress', () => {
  const active = () => seedWithCertificate('ACTIVE');
  runCases([
    {
      title: 'internal while a load balancer fronts: error on the ingress annotation',
      service: { ...SERVICE, ingress: 'internal' },
      expect: ['cert-provisioning', 'ingress-internal-blocks-lb'],
      check: (findings) => {
        const f = only(findings, 'ingress-internal-blocks-lb');
        assert.equal(f.severity, 'error');
        assert.equal(f.anchor, 'ingress');
        assert.match(f.message, /cloudrun-url-map \(34\.120\.10\.20\)/);
        assert.deepEqual(f.fixes, [{ kind: 'setIngress', value: HARDENED }]);
      },
    },
    {
      title: 'all once the certificate is ACTIVE: warning with the setIngress fix',
      inventory: active,
      service: { ...SERVICE, ingress: 'all' },
      expect: ['ingress-all-bypass'],
      check: (findings) => {
        const f = only(findings, 'ingress-all-bypass');
        assert.equal(f.severity, 'warning');
        assert.equal(f.anchor, 'ingress');
        assert.match(f.message, /run\.app/);
        assert.deepEqual(f.fixes, [{ kind: 'setIngress', value: HARDENED }]);
      },
    },
    { title: 'all while the certificate provisions: nothing yet', service: { ...SERVICE, ingress: 'all' }, expect: ['cert-provisioning'] },
    { title: 'internal-and-cloud-load-balancing: fine', inventory: active, expect: [] },
    {
      title: 'no annotation: the deployed ingress counts, on the service name',
      inventory: () => {
        const inventory = seedWithCertificate('ACTIVE');
        inventory.services[0].ingress = 'internal';
        return inventory;
      },
      service: { name: 'hello', region: 'us-central1' },
      expect: ['ingress-internal-blocks-lb'],
      check: (findings) => assert.equal(only(findings, 'ingress-internal-blocks-lb').anchor, 'name'),
    },
    {
      title: 'no annotation, deployed all, ACTIVE: bypass warning',
      inventory: active,
      service: { name: 'hello', region: 'us-central1' },
      expect: ['ingress-all-bypass'],
    },
    {
      title: 'internal without any load balancer: nothing',
      service: { name: 'other', region: 'us-central1', ingress: 'internal' },
      expect: [],
    },
  ]);
});

describe('diagnostics: which load balancers front the service', () => {
  runCases([
    {
      title: 'a NEG region where the service does not exist: warning',
      inventory: () => {
        const inventory = seedWithCertificate('ACTIVE');
        inventory.networkEndpointGroups.push(serverlessNeg('hello-neg-eu', 'europe-west1', 'hello'));
        inventory.backendServices[0].backends!.push({ group: link.regional('europe-west1', 'networkEndpointGroups', 'hello-neg-eu') });
        return inventory;
      },
      expect: ['neg-region-missing-service'],
      check: (findings) => {
        const f = only(findings, 'neg-region-missing-service');
        assert.equal(f.severity, 'warning');
        assert.match(f.message, /hello-neg-eu/);
        assert.match(f.message, /europe-west1/);
        assert.match(
          f.remedy,
          /remove-backend cloudrun-backend --global --network-endpoint-group=hello-neg-eu --network-endpoint-group-region=europe-west1/,
        );
        assert.ok(f.related.some((r) => r.id.endsWith('networkEndpointGroups/hello-neg-eu')));
      },
    },
    {
      title: 'a load balancer made by hand (other names, ephemeral IP) counts',
      inventory: () => {
        const inventory = emptyInventory();
        inventory.services.push(runService('hello', 'us-central1'));
        inventory.networkEndpointGroups.push(serverlessNeg('my-neg', 'us-central1', 'hello'));
        inventory.backendServices.push(backendService('web-bs', [link.regional('us-central1', 'networkEndpointGroups', 'my-neg')]));
        inventory.urlMaps.push(urlMap('web-map', link.global('backendServices', 'web-bs')));
        inventory.sslCertificates.push(managedCertificate('web-cert', [DOMAIN], 'PROVISIONING'));
        inventory.targetHttpsProxies.push(
          httpsProxy('web-proxy', link.global('urlMaps', 'web-map'), [link.global('sslCertificates', 'web-cert')]),
        );
        inventory.forwardingRules.push(forwardingRule('web-fr', '35.190.1.2', link.global('targetHttpsProxies', 'web-proxy'), '443-443'));
        return inventory;
      },
      zone: () => new FakeZone(),
      expect: ['cert-provisioning', 'dns-missing-a'],
      check: (findings) => assert.match(only(findings, 'dns-missing-a').remedy, /shop\.example\.com\. 300 IN A 35\.190\.1\.2/),
    },
    { title: 'no load balancer: nothing', service: { name: 'lonely', region: 'us-central1' }, expect: [] },
    { title: 'YAML without a region: matched by name in any region', service: { name: 'hello' }, expect: ['cert-provisioning'] },
    {
      title: 'YAML in another region than the one fronted: nothing',
      inventory: () => {
        const inventory = seedWithCertificate();
        inventory.services.push(runService('hello', 'europe-west1'));
        return inventory;
      },
      service: { name: 'hello', region: 'europe-west1' },
      expect: [],
    },
  ]);

  it('reports a certificate reached through two load balancers (IPv4 and IPv6) once', async () => {
    const inventory = seedWithCertificate();
    inventory.forwardingRules.push(
      forwardingRule('https-rule-v6', IPV6, link.global('targetHttpsProxies', 'https-proxy'), '443-443', { ipVersion: 'IPV6' }),
    );
    const findings = await diagnose(inventory, new FakeZone());
    assert.deepEqual(codes(findings), ['cert-provisioning', 'dns-missing-a']);
    assert.match(only(findings, 'dns-missing-a').remedy, /IN A 34\.120\.10\.20/);
  });
});

describe('diagnostics: lookups and repetition', () => {
  it('lists the certificate domains a document needs, without wildcards, once', () => {
    const inventory = seedWithCertificate();
    inventory.sslCertificates[0].managed!.domains = ['Shop.Example.com', 'www.example.com', '*.example.com'];
    const topology = buildTopology(inventory);
    assert.deepEqual(domainsToInspect([SERVICE, { name: 'hello' }, { name: 'nobody' }], topology), ['shop.example.com', 'www.example.com']);
    assert.deepEqual(domainsToInspect([{ name: 'nobody' }], topology), []);
  });

  it('marks findings pending while something may change by itself, and none once nothing will', async () => {
    const isPending = (findings: Finding[]) => findings.some((f) => f.pending);
    assert.ok(isPending(await diagnose(seedWithCertificate(), rightZone())), 'a provisioning certificate is watched');
    assert.ok(!isPending(await diagnose(seedWithCertificate('ACTIVE'), rightZone())));
    const permanent = await diagnose(
      seedWithCertificate('PROVISIONING_FAILED_PERMANENTLY', { [DOMAIN]: 'FAILED_CAA_FORBIDDEN' }),
      rightZone(),
    );
    assert.ok(!isPending(permanent), 'nothing will change on its own');
  });

  it('gives every finding a message, a remedy and a unique key', async () => {
    const inventory = seedWithCertificate('PROVISIONING_FAILED', { [DOMAIN]: 'FAILED_NOT_VISIBLE' });
    const zone = new FakeZone()
      .set(DOMAIN, 'A', [SEED_IP, '104.16.0.1'])
      .set(DOMAIN, 'AAAA', [IPV6])
      .set('example.com', 'CAA', ['0 issue ";"']);
    const findings = await diagnose(inventory, zone, { ...SERVICE, ingress: 'internal' });
    assert.deepEqual(codes(findings), [
      'cert-failed-not-visible',
      'cert-provisioning-failed',
      'dns-caa-forbids',
      'dns-partly-wrong',
      'dns-stray-aaaa',
      'ingress-internal-blocks-lb',
    ]);
    assert.equal(new Set(findings.map((f) => f.key)).size, findings.length);
    for (const f of findings) {
      assert.ok(f.message.length > 20 && f.remedy.length > 10, f.code);
      assert.ok(!/undefined|\[object/.test(f.message + f.remedy), `${f.code}: ${f.message} ${f.remedy}`);
    }
    assert.match(only(findings, 'dns-caa-forbids').message, /allow no certificate authority/);
    assert.equal(only(findings, 'cert-failed-not-visible').explainedBy?.length, 3);
  });
});
