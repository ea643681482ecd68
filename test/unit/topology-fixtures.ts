// Hand-built inventories in Google's Compute JSON shapes, for the topology tests.
import type {
  Address,
  BackendBucket,
  BackendService,
  ForwardingRule,
  Inventory,
  NetworkEndpointGroup,
  RunService,
  SslCertificate,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap,
} from '../../src/core/gcp/types';

export const PROJECT = 'demo-project';
const GOOGLE = `https://www.googleapis.com/compute/v1/projects/${PROJECT}`;

/** Full selfLinks as Google returns them. */
export const link = {
  global: (collection: string, name: string): string => `${GOOGLE}/global/${collection}/${name}`,
  regional: (region: string, collection: string, name: string): string => `${GOOGLE}/regions/${region}/${collection}/${name}`,
};

/** The id the topology gives a resource: its selfLink's path. */
export const id = {
  global: (collection: string, name: string): string => `projects/${PROJECT}/global/${collection}/${name}`,
  regional: (region: string, collection: string, name: string): string => `projects/${PROJECT}/regions/${region}/${collection}/${name}`,
};

export function emptyInventory(): Inventory {
  return {
    project: PROJECT,
    forwardingRules: [],
    targetHttpsProxies: [],
    targetHttpProxies: [],
    urlMaps: [],
    backendServices: [],
    backendBuckets: [],
    networkEndpointGroups: [],
    sslCertificates: [],
    addresses: [],
    services: [],
  };
}

export function runService(name: string, region: string): RunService {
  return {
    name,
    project: PROJECT,
    region,
    url: `https://${name}-abc123-${region.slice(0, 2)}.a.run.app`,
    ingress: 'all',
    ready: 'true',
    latestReadyRevision: `${name}-00001-abc`,
    resourceName: `projects/${PROJECT}/locations/${region}/services/${name}`,
  };
}

export function serverlessNeg(name: string, region: string, service: string): NetworkEndpointGroup {
  return {
    kind: 'compute#networkEndpointGroup',
    name,
    selfLink: link.regional(region, 'networkEndpointGroups', name),
    region: `${GOOGLE}/regions/${region}`,
    networkEndpointType: 'SERVERLESS',
    cloudRun: { service },
  };
}

export function backendService(name: string, groups: string[], extra: Partial<BackendService> = {}): BackendService {
  return {
    kind: 'compute#backendService',
    name,
    selfLink: link.global('backendServices', name),
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    protocol: 'HTTPS',
    backends: groups.map((group) => ({ group })),
    ...extra,
  };
}

export function backendBucket(name: string, bucketName: string, enableCdn = false): BackendBucket {
  return { kind: 'compute#backendBucket', name, selfLink: link.global('backendBuckets', name), bucketName, enableCdn };
}

export function urlMap(name: string, defaultService: string, extra: Partial<UrlMap> = {}): UrlMap {
  return { kind: 'compute#urlMap', name, selfLink: link.global('urlMaps', name), defaultService, ...extra };
}

/** The port-80 half of an HTTPS load balancer: a URL map that only redirects to HTTPS. */
export function redirectUrlMap(name: string): UrlMap {
  return {
    kind: 'compute#urlMap',
    name,
    selfLink: link.global('urlMaps', name),
    defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false },
  };
}

export function managedCertificate(
  name: string,
  domains: string[],
  status = 'ACTIVE',
  domainStatus?: Record<string, string>,
): SslCertificate {
  return {
    kind: 'compute#sslCertificate',
    name,
    selfLink: link.global('sslCertificates', name),
    type: 'MANAGED',
    managed: { domains, status, domainStatus: domainStatus ?? Object.fromEntries(domains.map((d) => [d, status])) },
    subjectAlternativeNames: status === 'ACTIVE' ? domains : [],
  };
}

export function selfManagedCertificate(name: string, domains: string[], expireTime: string): SslCertificate {
  return {
    kind: 'compute#sslCertificate',
    name,
    selfLink: link.global('sslCertificates', name),
    type: 'SELF_MANAGED',
    subjectAlternativeNames: domains,
    expireTime,
  };
}

export function httpsProxy(
  name: string,
  urlMapRef: string,
  certificates: string[],
  extra: Partial<TargetHttpsProxy> = {},
): TargetHttpsProxy {
  return {
    kind: 'compute#targetHttpsProxy',
    name,
    selfLink: link.global('targetHttpsProxies', name),
    urlMap: urlMapRef,
    sslCertificates: certificates,
    ...extra,
  };
}

export function httpProxy(name: string, urlMapRef: string): TargetHttpProxy {
  return { kind: 'compute#targetHttpProxy', name, selfLink: link.global('targetHttpProxies', name), urlMap: urlMapRef };
}

export function globalAddress(name: string, ip: string, extra: Partial<Address> = {}): Address {
  return {
    kind: 'compute#address',
    name,
    selfLink: link.global('addresses', name),
    address: ip,
    addressType: 'EXTERNAL',
    ipVersion: ip.includes(':') ? 'IPV6' : 'IPV4',
    status: 'RESERVED',
    ...extra,
  };
}

export function forwardingRule(
  name: string,
  ip: string,
  target: string,
  portRange: string,
  extra: Partial<ForwardingRule> = {},
): ForwardingRule {
  return {
    kind: 'compute#forwardingRule',
    name,
    selfLink: link.global('forwardingRules', name),
    IPAddress: ip,
    IPProtocol: 'TCP',
    portRange,
    target,
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    networkTier: 'PREMIUM',
    ...extra,
  };
}

export const SEED_IP = '34.120.10.20';

/** The seed's load balancer: NEG → backend service → URL map → HTTPS proxy (+ cert) → 443 rule on a reserved IP. */
export function seedInventory(): Inventory {
  const inventory = emptyInventory();
  inventory.services.push(runService('hello', 'us-central1'));
  inventory.networkEndpointGroups.push(serverlessNeg('cloudrun-neg', 'us-central1', 'hello'));
  inventory.backendServices.push(
    backendService('cloudrun-backend', [link.regional('us-central1', 'networkEndpointGroups', 'cloudrun-neg')]),
  );
  inventory.urlMaps.push(urlMap('cloudrun-url-map', link.global('backendServices', 'cloudrun-backend')));
  inventory.sslCertificates.push(
    managedCertificate('my-ssl-cert', ['example.com'], 'PROVISIONING', { 'example.com': 'FAILED_NOT_VISIBLE' }),
  );
  inventory.targetHttpsProxies.push(
    httpsProxy('https-proxy', link.global('urlMaps', 'cloudrun-url-map'), [link.global('sslCertificates', 'my-ssl-cert')]),
  );
  inventory.addresses.push(
    globalAddress('global-ip', SEED_IP, { status: 'IN_USE', users: [link.global('forwardingRules', 'https-rule')] }),
  );
  inventory.forwardingRules.push(forwardingRule('https-rule', SEED_IP, link.global('targetHttpsProxies', 'https-proxy'), '443-443'));
  return inventory;
}

/** The seed plus the HTTP→HTTPS redirect on the same IP (design.md §2). */
export function seedWithRedirect(): Inventory {
  const inventory = seedInventory();
  inventory.urlMaps.push(redirectUrlMap('cloudrun-url-map-redirect'));
  inventory.targetHttpProxies.push(httpProxy('http-redirect-proxy', link.global('urlMaps', 'cloudrun-url-map-redirect')));
  inventory.forwardingRules.push(
    forwardingRule('http-redirect-rule', SEED_IP, link.global('targetHttpProxies', 'http-redirect-proxy'), '80-80'),
  );
  return inventory;
}
