// Seed data: the demo project, and a large generated project for the explorer benchmark.
import { REGION_NAMES, type ComputeSeed, type DnsRecordSpec, type Json, type RunServiceSpec, type SeedData } from './store';

const PROJECT = 'demo-project';
const PROJECT_NUMBER = '123456789012';
/** How resources are written in seeds: partial paths, as Google accepts them. */
const g = (collection: string, name: string) => `projects/${PROJECT}/global/${collection}/${name}`;
const neg = (region: string, name: string) => `projects/${PROJECT}/regions/${region}/networkEndpointGroups/${name}`;
const ago = (days: number) => new Date(Date.now() - days * 86400_000).toISOString();

interface LbParts {
  name: string;
  service: string;
  regions: string[];
  domain: string;
  ip: string;
  cdn?: boolean;
  httpRedirect?: boolean;
  createdDaysAgo?: number;
}

/** One complete global external Application Load Balancer in front of a Cloud Run service, as the seed tutorial builds it. */
function loadBalancer(
  parts: LbParts,
  into: Required<Omit<ComputeSeed, 'project' | 'healthChecks' | 'backendBuckets' | 'securityPolicies'>>,
): void {
  const created = ago(parts.createdDaysAgo ?? 30);
  const at = { creationTimestamp: created };
  for (const region of parts.regions) {
    into.networkEndpointGroups.push({
      ...at,
      name: `${parts.name}-neg-${region}`,
      region,
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: parts.service },
    });
  }
  into.backendServices.push({
    ...at,
    name: `${parts.name}-backend`,
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    protocol: 'HTTPS',
    enableCDN: parts.cdn ?? false,
    backends: parts.regions.map((r) => ({ group: neg(r, `${parts.name}-neg-${r}`) })),
  });
  into.urlMaps.push({ ...at, name: `${parts.name}-url-map`, defaultService: g('backendServices', `${parts.name}-backend`) });
  into.sslCertificates.push({ ...at, name: `${parts.name}-cert`, type: 'MANAGED', managed: { domains: [parts.domain] } });
  into.targetHttpsProxies.push({
    ...at,
    name: `${parts.name}-https-proxy`,
    urlMap: g('urlMaps', `${parts.name}-url-map`),
    sslCertificates: [g('sslCertificates', `${parts.name}-cert`)],
  });
  into.addresses.push({ ...at, name: `${parts.name}-ip`, address: parts.ip, ipVersion: 'IPV4' });
  into.forwardingRules.push({
    ...at,
    name: `${parts.name}-https-rule`,
    IPAddress: parts.ip,
    portRange: '443',
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    target: g('targetHttpsProxies', `${parts.name}-https-proxy`),
  });
  if (parts.httpRedirect) {
    into.urlMaps.push({
      ...at,
      name: `${parts.name}-redirect`,
      defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false },
    });
    into.targetHttpProxies.push({ ...at, name: `${parts.name}-http-proxy`, urlMap: g('urlMaps', `${parts.name}-redirect`) });
    into.forwardingRules.push({
      ...at,
      name: `${parts.name}-http-rule`,
      IPAddress: parts.ip,
      portRange: '80',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      target: g('targetHttpProxies', `${parts.name}-http-proxy`),
    });
  }
}

const emptyCompute = () => ({
  networkEndpointGroups: [] as Json[],
  backendServices: [] as Json[],
  urlMaps: [] as Json[],
  sslCertificates: [] as Json[],
  targetHttpsProxies: [] as Json[],
  targetHttpProxies: [] as Json[],
  addresses: [] as Json[],
  forwardingRules: [] as Json[],
});

/**
 * demo-project: Cloud Run in us-central1, europe-west1 and asia-northeast1.
 * - storefront (us-central1 + europe-west1) behind a complete global LB: shop.example.com, certificate ACTIVE (its A record
 *   is in the emulator's DNS), HTTP→HTTPS redirect on port 80 of the same IP; ingress internal-and-cloud-load-balancing.
 * - api (us-central1) behind a LB whose certificate stays PROVISIONING: api.example.com has no DNS record; ingress all.
 * - every service is public (roles/run.invoker for allUsers) except api, which is private (an empty IAM policy).
 * - no LB: my-global-app (the seed tutorial's service, us-central1), orders-worker (asia-northeast1, ingress internal),
 *   image-resizer (asia-northeast1), reports (europe-west1, its latest rollout failed).
 */
export function demoSeed(): SeedData {
  const compute = emptyCompute();
  loadBalancer(
    {
      name: 'storefront',
      service: 'storefront',
      regions: ['us-central1', 'europe-west1'],
      domain: 'shop.example.com',
      ip: '34.120.10.20',
      cdn: true,
      httpRedirect: true,
      createdDaysAgo: 40,
    },
    compute,
  );
  loadBalancer(
    { name: 'api', service: 'api', regions: ['us-central1'], domain: 'api.example.com', ip: '34.120.10.30', createdDaysAgo: 0 },
    compute,
  );
  // Cloud Armor: a backend policy nothing uses yet (Make global offers it), and an edge policy it does not offer.
  const defaultRule = {
    priority: 2147483647,
    action: 'allow',
    description: 'Default rule, higher priority overrides it',
    match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
  };
  const securityPolicies: Json[] = [
    {
      name: 'office-allowlist',
      description: 'Only the office network',
      type: 'CLOUD_ARMOR',
      creationTimestamp: ago(12),
      rules: [
        { priority: 1000, action: 'allow', match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['203.0.113.0/24'] } } },
        { ...defaultRule, action: 'deny(403)' },
      ],
    },
    { name: 'edge-cache-policy', type: 'CLOUD_ARMOR_EDGE', creationTimestamp: ago(12), rules: [defaultRule] },
  ];
  const runServices: RunServiceSpec[] = [
    {
      name: 'storefront',
      region: 'us-central1',
      ingress: 'internal-and-cloud-load-balancing',
      createTime: ago(60),
      labels: { team: 'web' },
    },
    {
      name: 'storefront',
      region: 'europe-west1',
      ingress: 'internal-and-cloud-load-balancing',
      createTime: ago(60),
      labels: { team: 'web' },
    },
    // Private (no allUsers invoker): every request through its load balancer would get 403.
    {
      name: 'api',
      region: 'us-central1',
      ingress: 'all',
      createTime: ago(20),
      image: 'us-docker.pkg.dev/demo-project/apps/api:1.4.2',
      iamPolicy: { bindings: [] },
    },
    { name: 'my-global-app', region: 'us-central1', ingress: 'all', createTime: ago(2) },
    {
      name: 'orders-worker',
      region: 'asia-northeast1',
      ingress: 'internal',
      createTime: ago(15),
      image: 'us-docker.pkg.dev/demo-project/apps/orders-worker:2.0.0',
    },
    { name: 'image-resizer', region: 'asia-northeast1', ingress: 'all', createTime: ago(9) },
    { name: 'reports', region: 'europe-west1', ingress: 'all', ready: false, createTime: ago(5) },
  ];
  const dns: DnsRecordSpec[] = [
    { name: 'shop.example.com', type: 'A', values: ['34.120.10.20'], ttl: 300 },
    { name: 'www.example.com', type: 'CNAME', values: ['shop.example.com'], ttl: 300 },
    { name: 'example.com', type: 'CAA', values: ['0 issue "pki.goog"', '0 issue "letsencrypt.org"'], ttl: 3600 },
  ];
  return {
    projects: [{ id: PROJECT, number: PROJECT_NUMBER }],
    compute: [{ project: PROJECT, ...compute, securityPolicies }],
    runServices,
    dns,
  };
}

/**
 * A deterministic large project (demo-project) for the explorer benchmark: `services` Cloud Run services spread round-robin
 * over the first `regions` regions, and `loadBalancers` complete LBs, LB j in front of service j. Even LBs have their DNS
 * record (certificate ACTIVE), odd ones not (PROVISIONING); every 5th has an HTTP redirect; every 10th has a second NEG
 * in the next region, where the service does not exist.
 */
export function largeSeed(opts: { services: number; regions: number; loadBalancers: number }): SeedData {
  const regions = REGION_NAMES.slice(0, Math.max(1, Math.min(opts.regions, REGION_NAMES.length)));
  const pad = (n: number) => String(n).padStart(4, '0');
  const runServices: RunServiceSpec[] = [];
  for (let i = 0; i < opts.services; i++) {
    const ingress = i % 3 === 0 ? 'all' : i % 3 === 1 ? 'internal-and-cloud-load-balancing' : 'internal';
    runServices.push({
      name: `svc-${pad(i)}`,
      region: regions[i % regions.length],
      ingress,
      createTime: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
    });
  }
  const compute = emptyCompute();
  const dns: DnsRecordSpec[] = [];
  for (let j = 0; j < opts.loadBalancers; j++) {
    const region = regions[j % regions.length];
    const lbRegions = j % 10 === 0 && regions.length > 1 ? [region, regions[(j + 1) % regions.length]] : [region];
    const ip = `34.96.${Math.floor(j / 250)}.${(j % 250) + 1}`;
    const domain = `lb-${pad(j)}.example.com`;
    loadBalancer(
      {
        name: `lb-${pad(j)}`,
        service: `svc-${pad(j % Math.max(1, opts.services))}`,
        regions: lbRegions,
        domain,
        ip,
        httpRedirect: j % 5 === 0,
        cdn: j % 2 === 0,
      },
      compute,
    );
    if (j % 2 === 0) dns.push({ name: domain, type: 'A', values: [ip] });
  }
  return { projects: [{ id: PROJECT, number: PROJECT_NUMBER }], compute: [{ project: PROJECT, ...compute }], runServices, dns };
}
