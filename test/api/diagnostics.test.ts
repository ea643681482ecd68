// The diagnostics end to end against the emulator: Compute and Cloud Run over HTTP, DNS over UDP,
// certificates that provision once DNS is right.
import assert from 'node:assert/strict';
import { NodeDnsResolver } from '../../src/core/dns/nodeResolver';
import { inspectDomain, type DomainInspection } from '../../src/core/dns/inspect';
import { certificateReport } from '../../src/core/findings/report';
import { diagnoseService, domainsToInspect, type ServiceToDiagnose } from '../../src/core/findings/service';
import type { Finding } from '../../src/core/findings/finding';
import { loadInventory } from '../support/inventory';
import { buildTopology } from '../../src/core/topology/build';
import type { Topology } from '../../src/core/topology/model';
import { Harness, PROJECT, startHarness } from './setup';

const DOMAIN = 'shop.example.com';
const SERVICE: ServiceToDiagnose = { name: 'shop', region: 'us-central1', ingress: 'internal-and-cloud-load-balancing' };

describe('Diagnostics against the emulator', function () {
  this.timeout(20_000);
  let h: Harness;
  let resolver: NodeDnsResolver;

  before(async () => {
    h = await startHarness({ certificates: { activationDelayMs: 200 } });
    resolver = new NodeDnsResolver({ servers: [`127.0.0.1:${h.emulator.dnsPort}`], timeoutMs: 1000, tries: 1 });
  });
  after(async () => {
    await h.emulator.close();
  });
  beforeEach(async () => {
    await h.emulator.control.reset('empty');
    await h.emulator.control.loadSeed({
      runServices: [{ name: 'shop', region: 'us-central1', ingress: 'internal-and-cloud-load-balancing' }],
    });
  });

  /** The seed's steps through the access layer; returns the load balancer's IP. */
  async function createLoadBalancer(): Promise<string> {
    const compute = h.connection.compute(PROJECT);
    const neg = await compute.insert(
      'networkEndpointGroups',
      { name: 'shop-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'shop' } },
      { region: 'us-central1' },
    );
    const backend = await compute.insert('backendServices', {
      name: 'shop-backend',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
    });
    await compute.addBackend('shop-backend', neg.resource.selfLink!);
    const map = await compute.insert('urlMaps', { name: 'shop-map', defaultService: backend.resource.selfLink! });
    const cert = await compute.insert('sslCertificates', { name: 'shop-cert', type: 'MANAGED', managed: { domains: [DOMAIN] } });
    const proxy = await compute.insert('targetHttpsProxies', {
      name: 'shop-proxy',
      urlMap: map.resource.selfLink!,
      sslCertificates: [cert.resource.selfLink!],
    });
    const address = await compute.insert('addresses', { name: 'shop-ip' });
    await compute.insert('forwardingRules', {
      name: 'shop-https',
      IPAddress: address.resource.address!,
      IPProtocol: 'TCP',
      portRange: '443',
      target: proxy.resource.selfLink!,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });
    return address.resource.address!;
  }

  async function observe(): Promise<{ topology: Topology; dns: Map<string, DomainInspection>; findings: Finding[] }> {
    const topology = buildTopology(await loadInventory(h.connection, PROJECT));
    const operations = await h.connection.compute(PROJECT).listOperations();
    const dns = new Map<string, DomainInspection>();
    for (const domain of domainsToInspect([SERVICE], topology)) dns.set(domain, await inspectDomain(domain, resolver));
    return { topology, dns, findings: diagnoseService({ service: SERVICE, topology, dns, operations, now: Date.now() }) };
  }

  const codes = (findings: Finding[]) => findings.map((f) => f.code).sort();

  it('reports the missing A record, then nothing once the record exists and the certificate is ACTIVE', async () => {
    const ip = await createLoadBalancer();
    const first = await observe();
    assert.deepEqual(codes(first.findings), ['cert-provisioning', 'cert-recent-change', 'dns-missing-a']);
    const missing = first.findings.find((f) => f.code === 'dns-missing-a')!;
    assert.deepEqual(missing.fixes[0], { kind: 'copyDnsRecord', record: `${DOMAIN}. 300 IN A ${ip}` });
    assert.match(first.findings.find((f) => f.code === 'cert-recent-change')!.message, /changed less than a minute ago/);

    await h.emulator.control.setDnsRecord({ name: DOMAIN, type: 'A', values: [ip] });
    let last = await observe();
    for (let attempt = 0; attempt < 50 && last.findings.length > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await observe();
    }
    assert.deepEqual(codes(last.findings), [], last.findings.map((f) => f.message).join('\n'));
    const cert = last.topology.loadBalancers[0].certificates[0];
    assert.equal(cert.status, 'ACTIVE');
    const report = certificateReport({ certificateId: cert.id, topology: last.topology, dns: last.dns, operations: [], now: Date.now() });
    assert.deepEqual(
      report.checks.filter((c) => c.status !== 'OK').map((c) => c.title),
      [],
    );
  });

  it('finds the doctor shapes in a seeded project: proxy without a rule, certificate map, partly right DNS, cert on no proxy', async () => {
    const g = (collection: string, name: string) => `projects/${PROJECT}/global/${collection}/${name}`;
    await h.emulator.control.loadSeed({
      runServices: [
        { name: 'half', region: 'us-central1' },
        { name: 'mapped', region: 'us-central1' },
      ],
      compute: [
        {
          project: PROJECT,
          networkEndpointGroups: [
            { name: 'half-neg', region: 'us-central1', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'half' } },
            { name: 'mapped-neg', region: 'us-central1', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'mapped' } },
          ],
          backendServices: [
            {
              name: 'half-backend',
              loadBalancingScheme: 'EXTERNAL_MANAGED',
              protocol: 'HTTPS',
              backends: [{ group: `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/half-neg` }],
            },
            {
              name: 'mapped-backend',
              loadBalancingScheme: 'EXTERNAL_MANAGED',
              protocol: 'HTTPS',
              backends: [{ group: `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/mapped-neg` }],
            },
          ],
          urlMaps: [
            { name: 'half-map', defaultService: g('backendServices', 'half-backend') },
            { name: 'mapped-map', defaultService: g('backendServices', 'mapped-backend') },
          ],
          sslCertificates: [
            { name: 'half-cert', type: 'MANAGED', managed: { domains: ['half.example.com'] } },
            { name: 'mapped-cert', type: 'MANAGED', managed: { domains: ['mapped.example.com'] } },
            { name: 'orphan-cert', type: 'MANAGED', managed: { domains: ['orphan.example.com'] } },
          ],
          targetHttpsProxies: [
            { name: 'half-proxy', urlMap: g('urlMaps', 'half-map'), sslCertificates: [g('sslCertificates', 'half-cert')] },
            {
              name: 'mapped-proxy',
              urlMap: g('urlMaps', 'mapped-map'),
              sslCertificates: [g('sslCertificates', 'mapped-cert')],
              certificateMap: `//certificatemanager.googleapis.com/projects/${PROJECT}/locations/global/certificateMaps/shop-map`,
            },
          ],
          forwardingRules: [
            {
              name: 'mapped-https',
              IPAddress: '34.120.50.60',
              portRange: '443',
              loadBalancingScheme: 'EXTERNAL_MANAGED',
              target: g('targetHttpsProxies', 'mapped-proxy'),
            },
          ],
        },
      ],
      dns: [{ name: 'mapped.example.com', type: 'A', values: ['34.120.50.60', '198.51.100.20'] }],
    });
    const topology = buildTopology(await loadInventory(h.connection, PROJECT));
    const diagnoseOne = async (service: ServiceToDiagnose) => {
      const dns = new Map<string, DomainInspection>();
      for (const domain of domainsToInspect([service], topology)) dns.set(domain, await inspectDomain(domain, resolver));
      return diagnoseService({ service, topology, dns, operations: [], now: Date.now() });
    };
    assert.deepEqual(codes(await diagnoseOne({ name: 'half', region: 'us-central1' })), ['cert-not-served', 'cert-provisioning']);
    const mapped = await diagnoseOne({ name: 'mapped', region: 'us-central1' });
    assert.deepEqual(codes(mapped), ['cert-map-overrides', 'cert-provisioning', 'dns-partly-wrong']);
    assert.match(mapped.find((f) => f.code === 'cert-map-overrides')!.message, /shop-map/);
    assert.match(mapped.find((f) => f.code === 'dns-partly-wrong')!.message, /34\.120\.50\.60 is right, 198\.51\.100\.20 is not/);
    const orphan = certificateReport({
      certificateId: `projects/${PROJECT}/global/sslCertificates/orphan-cert`,
      topology,
      dns: new Map(),
      operations: [],
      now: Date.now(),
    });
    assert.equal(orphan.checks.find((c) => c.title === 'Attached to a target HTTPS proxy')?.status, 'FAIL');
  });

  it('finds a certificate whose only rule listens on 8443 (seeded: seeds skip the port check)', async () => {
    const g = (collection: string, name: string) => `projects/${PROJECT}/global/${collection}/${name}`;
    await h.emulator.control.loadSeed({
      runServices: [{ name: 'alt', region: 'us-central1' }],
      compute: [
        {
          project: PROJECT,
          networkEndpointGroups: [
            { name: 'alt-neg', region: 'us-central1', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'alt' } },
          ],
          backendServices: [
            {
              name: 'alt-backend',
              loadBalancingScheme: 'EXTERNAL_MANAGED',
              backends: [{ group: `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/alt-neg` }],
            },
          ],
          urlMaps: [{ name: 'alt-map', defaultService: g('backendServices', 'alt-backend') }],
          sslCertificates: [{ name: 'alt-cert', type: 'MANAGED', managed: { domains: ['alt.example.com'] } }],
          targetHttpsProxies: [{ name: 'alt-proxy', urlMap: g('urlMaps', 'alt-map'), sslCertificates: [g('sslCertificates', 'alt-cert')] }],
          forwardingRules: [
            {
              name: 'alt-8443',
              IPAddress: '34.120.70.80',
              portRange: '8443',
              loadBalancingScheme: 'EXTERNAL_MANAGED',
              target: g('targetHttpsProxies', 'alt-proxy'),
            },
          ],
        },
      ],
      dns: [{ name: 'alt.example.com', type: 'A', values: ['34.120.70.80'] }],
    });
    const topology = buildTopology(await loadInventory(h.connection, PROJECT));
    const service = { name: 'alt', region: 'us-central1' };
    const dns = new Map<string, DomainInspection>();
    for (const domain of domainsToInspect([service], topology)) dns.set(domain, await inspectDomain(domain, resolver));
    const findings = diagnoseService({ service, topology, dns, operations: [], now: Date.now() });
    const no443 = findings.find((f) => f.code === 'cert-no-443-rule');
    assert.ok(no443, codes(findings).join());
    assert.match(no443.message, /34\.120\.70\.80/);
  });
});
