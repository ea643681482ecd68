// The inventories, requests and plans that the plan tests build, shared with the Terraform schema
// test, which exports every plan listed in `exportedPlans` and checks it against the provider.
import type { Inventory } from '../../src/core/gcp/types';
import { buildAddRegionPlan, buildPlan } from '../../src/core/plan/build';
import { buildChangeDomainsPlan } from '../../src/core/plan/changeDomains';
import { ChangeDomainsRequest, GlobalizeRequest, Plan } from '../../src/core/plan/types';

export const P = 'demo-project';
const G = 'https://compute.googleapis.com/compute/v1';
export const url = (path: string) => `${G}/projects/${P}/${path}`;

export function emptyInventory(
  services: { name: string; region: string; ingress?: 'all' | 'internal' }[] = [{ name: 'web', region: 'us-central1' }],
): Inventory {
  return {
    project: P,
    forwardingRules: [],
    targetHttpsProxies: [],
    targetHttpProxies: [],
    urlMaps: [],
    backendServices: [],
    backendBuckets: [],
    networkEndpointGroups: [],
    sslCertificates: [],
    addresses: [],
    services: services.map((s) => ({
      name: s.name,
      project: P,
      region: s.region,
      ingress: s.ingress ?? 'all',
      ready: 'true',
      resourceName: `projects/${P}/locations/${s.region}/services/${s.name}`,
    })),
  };
}

/** An inventory whose project (and `dns-hub`) hold public Cloud DNS zones, with record sets read for the given domains. */
export function withZones(
  inventory: Inventory,
  records: { name: string; type: string; rrdatas: string[]; project?: string; zone?: string }[] = [],
  domains?: string[],
): Inventory {
  const zones = [
    { project: P, name: 'example-zone', dnsName: 'example.com', visibility: 'public' as const },
    { project: 'dns-hub', name: 'hub-zone', dnsName: 'example.org', visibility: 'public' as const },
  ];
  return {
    ...inventory,
    cloudDns: {
      zones,
      records: records.map((r) => ({ project: r.project ?? P, zone: r.zone ?? 'example-zone', ttl: 300, ...r })),
      domains: domains ?? [...new Set(records.map((r) => r.name))],
      problems: [],
    },
  };
}

export const request = (extra: Partial<GlobalizeRequest> = {}): GlobalizeRequest => ({
  project: P,
  service: 'web',
  regions: ['us-central1'],
  domains: ['www.example.com'],
  ...extra,
});

export const MANIFEST = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello', env: [{ name: 'MODE', value: 'global' }] }] } },
  },
};

/** A GPU service: map keys and annotations with dots and slashes, a port, env values that look like templates. */
export const GPU_MANIFEST = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: {
    name: 'web',
    namespace: 'default',
    annotations: { 'run.googleapis.com/ingress': 'internal-and-cloud-load-balancing', 'run.googleapis.com/launch-stage': 'BETA' },
    labels: { 'app.kubernetes.io/name': 'web' },
  },
  spec: {
    template: {
      metadata: {
        annotations: {
          'autoscaling.knative.dev/maxScale': '3',
          'run.googleapis.com/gpu-type': 'nvidia-l4',
          'run.googleapis.com/cpu-throttling': 'false',
        },
      },
      spec: {
        containers: [
          {
            image: 'us-docker.pkg.dev/demo/models/llm:1.0',
            ports: [{ containerPort: 8080, name: 'http1' }],
            env: [
              { name: 'PROMPT', value: 'Hello ${name}, 100%{ok} "quoted"\\' },
              { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'latest' } } },
            ],
            resources: { limits: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '1' } },
          },
        ],
      },
    },
  },
};

/** The live resources of `web`'s load balancer as Google returns them (full URLs, server fields). */
export function liveLoadBalancer(inventory: Inventory, plan: Plan, regions = plan.regions): Inventory {
  const n = plan.names;
  const common = { kind: 'compute#x', id: '1', creationTimestamp: '2025-01-01T00:00:00.000-07:00' };
  inventory.networkEndpointGroups.push(
    ...regions.map((r) => ({
      ...common,
      name: n.networkEndpointGroups[r],
      region: url(`regions/${r}`),
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 'web' },
      selfLink: url(`regions/${r}/networkEndpointGroups/${n.networkEndpointGroups[r]}`),
    })),
  );
  inventory.backendServices.push({
    ...common,
    name: n.backendService,
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    enableCDN: plan.options.cdn,
    protocol: 'HTTP',
    timeoutSec: 30,
    portName: 'http',
    fingerprint: 'abc=',
    backends: regions.map((r) => ({
      group: url(`regions/${r}/networkEndpointGroups/${n.networkEndpointGroups[r]}`),
      balancingMode: 'UTILIZATION',
      capacityScaler: 1,
    })),
  });
  inventory.urlMaps.push({ ...common, name: n.urlMap, defaultService: url(`global/backendServices/${n.backendService}`) });
  inventory.sslCertificates.push({ ...common, name: n.certificate, type: 'MANAGED', managed: { domains: plan.domains, status: 'ACTIVE' } });
  inventory.targetHttpsProxies.push({
    ...common,
    name: n.httpsProxy,
    urlMap: url(`global/urlMaps/${n.urlMap}`),
    sslCertificates: [url(`global/sslCertificates/${n.certificate}`)],
  });
  inventory.addresses.push({ ...common, name: n.address, address: '34.117.0.9', ipVersion: 'IPV4', status: 'IN_USE' });
  inventory.forwardingRules.push({
    ...common,
    name: n.httpsRule,
    IPAddress: '34.117.0.9',
    IPProtocol: 'TCP',
    portRange: '443-443',
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    target: url(`global/targetHttpsProxies/${n.httpsProxy}`),
  });
  return inventory;
}

/** Live state that conflicts with the plan in one step each. */
export const CONFLICTS: { label: string; change: (inv: Inventory) => void; id: string; difference: RegExp }[] = [
  {
    label: 'a backend service with another scheme',
    change: (inv) => {
      inv.backendServices[0].loadBalancingScheme = 'EXTERNAL';
    },
    id: 'backend',
    difference: /loadBalancingScheme is "EXTERNAL", wanted "EXTERNAL_MANAGED"/,
  },
  {
    label: 'a URL map pointing elsewhere',
    change: (inv) => {
      inv.urlMaps[0].defaultService = url('global/backendServices/other');
    },
    id: 'url-map',
    difference: /defaultService is ".*\/backendServices\/other", wanted ".*\/backendServices\/web-backend"/,
  },
  {
    label: 'a certificate for other domains',
    change: (inv) => {
      inv.sslCertificates[0].managed = { domains: ['www.example.com', 'shop.example.com'] };
    },
    id: 'cert',
    difference: /managed\.domains is \["shop\.example\.com","www\.example\.com"\], wanted \["www\.example\.com"\]/,
  },
  {
    label: 'a rule on another IP',
    change: (inv) => {
      inv.forwardingRules[0].IPAddress = '34.1.1.1';
    },
    id: 'https-rule',
    difference: /IPAddress is "34\.1\.1\.1", wanted "34\.117\.0\.9"/,
  },
  {
    label: 'a NEG for another service',
    change: (inv) => {
      inv.networkEndpointGroups[0].cloudRun = { service: 'api' };
    },
    id: 'neg:us-central1',
    difference: /cloudRun\.service is "api", wanted "web"/,
  },
  {
    label: 'another NEG in the same region of the backend service',
    change: (inv) => {
      inv.backendServices[0].backends = [{ group: url('regions/us-central1/networkEndpointGroups/legacy-neg') }];
    },
    id: 'add-backend:us-central1',
    difference: /already has network endpoint group legacy-neg in us-central1/,
  },
  {
    label: 'another rule on the address and port',
    change: (inv) => {
      inv.forwardingRules[0].name = 'legacy-rule';
    },
    id: 'https-rule',
    difference: /34\.117\.0\.9 already serves port 443 through forwarding rule legacy-rule/,
  },
];

/** `web`'s live load balancer (www.example.com, without redirect), for Change Domains. */
export function liveForChange(): Inventory {
  return liveLoadBalancer(emptyInventory(), buildPlan(request({ options: { httpsRedirect: false } }), emptyInventory()));
}

export const changeRequest = (extra: Partial<ChangeDomainsRequest> = {}): ChangeDomainsRequest => ({
  project: P,
  httpsProxy: 'web-https-proxy',
  domains: ['www.example.com', 'example.com'],
  ...extra,
});

/** The live load balancer with `count` certificates on its proxy (its own first). */
export function proxyWithCertificates(count: number): Inventory {
  const inventory = liveForChange();
  const proxy = inventory.targetHttpsProxies[0];
  for (let i = 1; i < count; i++) {
    inventory.sslCertificates.push({ name: `extra-${i}`, type: 'MANAGED', managed: { domains: [`d${i}.example.com`], status: 'ACTIVE' } });
    proxy.sslCertificates = [...(proxy.sslCertificates ?? []), url(`global/sslCertificates/extra-${i}`)];
  }
  return inventory;
}

/** Certificate Manager's resources of `plan` as Google lists them (relative names, output fields), all ACTIVE. */
export function liveCertificateManager(inventory: Inventory, plan: Plan): Inventory {
  const cm = { dnsAuthorizations: [], certificates: [], certificateMaps: [], certificateMapEntries: [] } as NonNullable<
    Inventory['certificateManager']
  >;
  const parent = `projects/${P}/locations/global`;
  for (const s of plan.steps) {
    const b = s.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const time = { createTime: '2025-01-01T00:00:00.000000000Z', updateTime: '2025-01-01T00:00:00.000000000Z' };
    if (s.kind === 'dnsAuthorization') {
      cm.dnsAuthorizations.push({
        ...time,
        name: `${parent}/dnsAuthorizations/${s.name}`,
        domain: b.domain,
        type: 'FIXED_RECORD',
        dnsResourceRecord: {
          name: `_acme-challenge.${b.domain}.`,
          type: 'CNAME',
          data: `0f1e2d3c-${s.name.length}.7.authorize.certificatemanager.goog.`,
        },
      });
    }
    if (s.kind === 'certificateManagerCertificate') {
      cm.certificates.push({
        ...time,
        name: `${parent}/certificates/${s.name}`,
        managed: {
          ...b.managed,
          state: 'ACTIVE',
          authorizationAttemptInfo: b.managed.domains.map((domain: string) => ({ domain, state: 'AUTHORIZED' })),
        },
        sanDnsnames: b.managed.domains,
      });
    }
    if (s.kind === 'certificateMap') cm.certificateMaps.push({ ...time, name: `${parent}/certificateMaps/${s.name}` });
    if (s.kind === 'certificateMapEntry')
      cm.certificateMapEntries.push({
        ...time,
        name: `${parent}/certificateMaps/${s.parent}/certificateMapEntries/${s.name}`,
        ...b,
        state: 'ACTIVE',
      });
  }
  inventory.certificateManager = cm;
  return inventory;
}

export const certificateManagerRequest = (extra: Partial<GlobalizeRequest> = {}) =>
  request({ domains: ['www.example.com', 'example.com'], options: { certificateManager: true, httpsRedirect: false }, ...extra });

const twoRegions = () =>
  emptyInventory([
    { name: 'web', region: 'us-central1' },
    { name: 'web', region: 'europe-west1' },
  ]);
const noRedirect = () => buildPlan(request({ options: { httpsRedirect: false } }), emptyInventory());

/**
 * Every plan whose Terraform export is checked against the provider's schema: the plan tests'
 * cases, the conformance export's request, a GPU service and Change Domains. Add the Cloud DNS and
 * Certificate Manager plans here when they land.
 */
export const exportedPlans: { label: string; plan: () => Plan }[] = [
  { label: 'an empty project, two regions', plan: () => buildPlan(request({ regions: ['us-central1', 'europe-west1'] }), twoRegions()) },
  { label: 'default options', plan: () => buildPlan(request(), emptyInventory()) },
  { label: 'no redirect', plan: () => noRedirect() },
  { label: 'IPv6', plan: () => buildPlan(request({ options: { ipv6: true } }), emptyInventory()) },
  { label: 'IPv6 without redirect', plan: () => buildPlan(request({ options: { ipv6: true, httpsRedirect: false } }), emptyInventory()) },
  { label: 'Cloud CDN', plan: () => buildPlan(request({ options: { cdn: true } }), emptyInventory()) },
  { label: 'Cloud Armor policy', plan: () => buildPlan(request({ choices: { securityPolicy: 'office-allowlist' } }), emptyInventory()) },
  {
    label: 'Cloud Armor policy on a backend service that exists',
    plan: () =>
      buildPlan(
        request({ options: { httpsRedirect: false }, choices: { securityPolicy: 'office-allowlist' } }),
        liveLoadBalancer(emptyInventory(), noRedirect()),
      ),
  },
  {
    label: 'live state: adopt what exists, attach a second region',
    plan: () =>
      buildPlan(
        request({ regions: ['us-central1', 'europe-west1'], options: { httpsRedirect: false } }),
        liveLoadBalancer(twoRegions(), noRedirect()),
      ),
  },
  ...CONFLICTS.map((c) => ({
    label: `conflict: ${c.label}`,
    plan: () => {
      const inventory = liveLoadBalancer(emptyInventory(), noRedirect());
      c.change(inventory);
      return buildPlan(request({ options: { httpsRedirect: false } }), inventory);
    },
  })),
  {
    label: 'internal ingress, a region without the service, another load balancer',
    plan: () =>
      buildPlan(
        request({ regions: ['us-central1', 'asia-east1'], names: { backendService: 'web-backend-2' } }),
        liveLoadBalancer(emptyInventory([{ name: 'web', region: 'us-central1', ingress: 'internal' }]), noRedirect()),
      ),
  },
  {
    label: 'deploy where missing',
    plan: () =>
      buildPlan(
        request({ regions: ['us-central1', 'europe-west1'], deploy: { regions: ['europe-west1'], manifest: MANIFEST } }),
        emptyInventory(),
      ),
  },
  {
    label: 'add a region with a deploy',
    plan: () =>
      buildAddRegionPlan(
        { project: P, service: 'web', backendService: 'web-backend', region: 'europe-west1', deploy: { manifest: MANIFEST } },
        liveLoadBalancer(emptyInventory(), noRedirect()),
      ),
  },
  {
    label: 'add a region to a backend service that does not exist',
    plan: () =>
      buildAddRegionPlan(
        { project: P, service: 'web', backendService: 'nope', region: 'europe-west1' },
        liveLoadBalancer(emptyInventory(), noRedirect()),
      ),
  },
  {
    label: "live state, deploy, IPv6 (the export tests' partial plan)",
    plan: () =>
      buildPlan(
        request({
          regions: ['us-central1', 'europe-west1'],
          options: { cdn: false, ipv6: true },
          deploy: { regions: ['europe-west1'], manifest: MANIFEST },
        }),
        liveLoadBalancer(emptyInventory(), noRedirect()),
      ),
  },
  {
    label: "CDN and IPv6 in two regions (the export tests' fresh plan)",
    plan: () => buildPlan(request({ regions: ['us-central1', 'europe-west1'], options: { cdn: true, ipv6: true } }), emptyInventory()),
  },
  {
    label: "two domains, CDN and redirect (the conformance export's request)",
    plan: () =>
      buildPlan(
        request({
          regions: ['us-central1', 'europe-west1'],
          domains: ['www.example.com', 'example.com'],
          options: { cdn: true, httpsRedirect: true, ipv6: false },
        }),
        twoRegions(),
      ),
  },
  {
    label: 'a GPU service deployed to two regions (nvidia.com/gpu limits, annotations with dots and slashes)',
    plan: () =>
      buildPlan(
        request({ regions: ['us-central1', 'europe-west4'], deploy: { regions: ['us-central1', 'europe-west4'], manifest: GPU_MANIFEST } }),
        emptyInventory([]),
      ),
  },
  { label: 'change domains: add www to a live load balancer', plan: () => buildChangeDomainsPlan(changeRequest(), liveForChange()) },
  {
    label: 'change domains: move to other domains with a named certificate',
    plan: () => buildChangeDomainsPlan(changeRequest({ domains: ['shop.example.org'], certificate: 'shop-cert' }), liveForChange()),
  },
  {
    label: 'change domains: the proxy holds 15 certificates (conflict)',
    plan: () => buildChangeDomainsPlan(changeRequest(), proxyWithCertificates(15)),
  },
  { label: 'Cloud DNS: create the A record in the zone', plan: () => buildPlan(request(), withZones(emptyInventory())) },
  {
    label: 'Cloud DNS: a record pointing elsewhere is updated (imported), IPv6 adds AAAA, a zone in another project',
    plan: () =>
      buildPlan(
        request({ domains: ['www.example.com', 'shop.example.org'], options: { ipv6: true } }),
        withZones(
          emptyInventory(),
          [{ name: 'www.example.com', type: 'A', rrdatas: ['203.0.113.7'] }],
          ['www.example.com', 'shop.example.org'],
        ),
      ),
  },
  {
    label: 'Certificate Manager: issue the certificate before DNS moves, two domains',
    plan: () => buildPlan(certificateManagerRequest(), emptyInventory()),
  },
  {
    label: 'Certificate Manager with redirect and IPv6, its resources live (imported)',
    plan: () => {
      const fresh = buildPlan(certificateManagerRequest({ options: { certificateManager: true, ipv6: true } }), emptyInventory());
      return buildPlan(
        certificateManagerRequest({ options: { certificateManager: true, ipv6: true } }),
        liveCertificateManager(emptyInventory(), fresh),
      );
    },
  },
  {
    label: 'a long service name in a long region',
    plan: () =>
      buildPlan(
        request({ service: 'a'.repeat(40) + '-billing-service-v1', regions: ['northamerica-northeast1'] }),
        emptyInventory([{ name: 'a'.repeat(40) + '-billing-service-v1', region: 'northamerica-northeast1' }]),
      ),
  },
];
