// The resource kinds of a global external load balancer in front of Cloud Run, said once: how each is
// named in messages, which Compute collection holds it, its gcloud command group, where it lives in
// the Cloud Console, and when it may be deleted (a resource still referenced cannot be).

/** A kind of resource, singular, as the topology and the plan name it. */
export type ResourceKind =
  | 'forwardingRule'
  | 'address'
  | 'targetHttpsProxy'
  | 'targetHttpProxy'
  | 'sslCertificate'
  | 'urlMap'
  | 'backendService'
  | 'backendBucket'
  | 'networkEndpointGroup'
  | 'runService'
  | 'dnsRecordSet'
  | 'dnsAuthorization'
  | 'certificateManagerCertificate'
  | 'certificateMap'
  | 'certificateMapEntry';

/** The Compute collection of a kind (the REST resource name), or Cloud Run's services. */
export type KindCollection =
  | 'forwardingRules'
  | 'addresses'
  | 'targetHttpsProxies'
  | 'targetHttpProxies'
  | 'sslCertificates'
  | 'urlMaps'
  | 'backendServices'
  | 'backendBuckets'
  | 'networkEndpointGroups'
  | 'runServices'
  | 'dnsRecordSets'
  | 'dnsAuthorizations'
  | 'certificates'
  | 'certificateMaps'
  | 'certificateMapEntries';

export interface KindInfo {
  /** Singular, for messages: `backend service`. */
  label: string;
  /** Plural, for messages: `backend services`. */
  plural: string;
  collection: KindCollection;
  /** The gcloud command group: `compute backend-services`. */
  gcloud: string;
  regional: boolean;
  /** Deleting goes phase by phase, lowest first; undefined: never deleted by this extension. */
  deletePhase?: number;
  /** The path of one resource in the Cloud Console, after https://console.cloud.google.com. */
  consolePath(name: string, region?: string): string;
}

const e = encodeURIComponent;
const lb = (path: string) => (name: string) => `/net-services/loadbalancing/${path}/${e(name)}`;

export const RESOURCE_KINDS: Readonly<Record<ResourceKind, KindInfo>> = {
  forwardingRule: {
    label: 'forwarding rule',
    plural: 'forwarding rules',
    collection: 'forwardingRules',
    gcloud: 'compute forwarding-rules',
    regional: false,
    deletePhase: 0,
    consolePath: lb('advanced/globalForwardingRules/details'),
  },
  targetHttpsProxy: {
    label: 'target HTTPS proxy',
    plural: 'target HTTPS proxies',
    collection: 'targetHttpsProxies',
    gcloud: 'compute target-https-proxies',
    regional: false,
    deletePhase: 1,
    consolePath: lb('advanced/targetHttpsProxies/details'),
  },
  targetHttpProxy: {
    label: 'target HTTP proxy',
    plural: 'target HTTP proxies',
    collection: 'targetHttpProxies',
    gcloud: 'compute target-http-proxies',
    regional: false,
    deletePhase: 1,
    consolePath: lb('advanced/targetHttpProxies/details'),
  },
  urlMap: {
    label: 'URL map',
    plural: 'URL maps',
    collection: 'urlMaps',
    gcloud: 'compute url-maps',
    regional: false,
    deletePhase: 2,
    consolePath: lb('details/httpAdvanced'),
  },
  sslCertificate: {
    label: 'SSL certificate',
    plural: 'SSL certificates',
    collection: 'sslCertificates',
    gcloud: 'compute ssl-certificates',
    regional: false,
    deletePhase: 2,
    consolePath: lb('advanced/sslCertificates/details'),
  },
  backendService: {
    label: 'backend service',
    plural: 'backend services',
    collection: 'backendServices',
    gcloud: 'compute backend-services',
    regional: false,
    deletePhase: 3,
    consolePath: lb('backends/details/backendService'),
  },
  backendBucket: {
    label: 'backend bucket',
    plural: 'backend buckets',
    collection: 'backendBuckets',
    gcloud: 'compute backend-buckets',
    regional: false,
    deletePhase: 3,
    consolePath: lb('backends/details/backendBucket'),
  },
  networkEndpointGroup: {
    label: 'network endpoint group',
    plural: 'network endpoint groups',
    collection: 'networkEndpointGroups',
    gcloud: 'compute network-endpoint-groups',
    regional: true,
    deletePhase: 4,
    consolePath: (name, region) => `/compute/networkendpointgroups/details/${e(region ?? 'global')}/${e(name)}`,
  },
  address: {
    label: 'address',
    plural: 'addresses',
    collection: 'addresses',
    gcloud: 'compute addresses',
    regional: false,
    deletePhase: 5,
    consolePath: () => '/networking/addresses/list',
  },
  // Never deleted with a load balancer: a record a plan wrote is removed or restored only by that plan's Undo.
  dnsRecordSet: {
    label: 'Cloud DNS record',
    plural: 'Cloud DNS records',
    collection: 'dnsRecordSets',
    gcloud: 'dns record-sets',
    regional: false,
    consolePath: () => '/net-services/dns/zones',
  },
  // Certificate Manager: entries go with the proxies' certificates, maps and certificates once no entry names them,
  // DNS authorizations last among them (a certificate names its authorizations). The console shows all four on the
  // Certificate Manager page.
  certificateMapEntry: {
    label: 'certificate map entry',
    plural: 'certificate map entries',
    collection: 'certificateMapEntries',
    gcloud: 'certificate-manager maps entries',
    regional: false,
    deletePhase: 2,
    consolePath: () => '/security/ccm/list/certificates',
  },
  certificateMap: {
    label: 'certificate map',
    plural: 'certificate maps',
    collection: 'certificateMaps',
    gcloud: 'certificate-manager maps',
    regional: false,
    deletePhase: 3,
    consolePath: () => '/security/ccm/list/certificates',
  },
  certificateManagerCertificate: {
    label: 'Certificate Manager certificate',
    plural: 'Certificate Manager certificates',
    collection: 'certificates',
    gcloud: 'certificate-manager certificates',
    regional: false,
    deletePhase: 3,
    consolePath: () => '/security/ccm/list/certificates',
  },
  dnsAuthorization: {
    label: 'DNS authorization',
    plural: 'DNS authorizations',
    collection: 'dnsAuthorizations',
    gcloud: 'certificate-manager dns-authorizations',
    regional: false,
    deletePhase: 4,
    consolePath: () => '/security/ccm/list/certificates',
  },
  runService: {
    label: 'Cloud Run service',
    plural: 'Cloud Run services',
    collection: 'runServices',
    gcloud: 'run services',
    regional: true,
    consolePath: (name, region) => `/run/detail/${e(region ?? '')}/${e(name)}/metrics`,
  },
};

const BY_COLLECTION = new Map(Object.entries(RESOURCE_KINDS).map(([kind, info]) => [info.collection, kind as ResourceKind]));

export function kindOfCollection(collection: KindCollection): ResourceKind {
  return BY_COLLECTION.get(collection)!;
}

export function kindLabel(kind: ResourceKind): string {
  return RESOURCE_KINDS[kind].label;
}

/** The kinds this extension deletes, phase by phase: every kind of one phase can go in parallel. */
export function deletionPhases(): ResourceKind[][] {
  const phases: ResourceKind[][] = [];
  for (const [kind, info] of Object.entries(RESOURCE_KINDS) as [ResourceKind, KindInfo][]) {
    if (info.deletePhase !== undefined) (phases[info.deletePhase] ??= []).push(kind);
  }
  return phases;
}
