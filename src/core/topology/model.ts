// The load-balancer graph the explorer, the diagnostics and the wizard read. Every node carries the id
// of its resource (the normalised selfLink, see refs.ts) and, where the resource was listed, the raw
// Compute JSON. A resource referenced from several places is one node object shared by all of them.
import type {
  Address,
  BackendBucket,
  BackendService,
  ForwardingRule,
  NetworkEndpointGroup,
  RunService,
  SslCertificate,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap,
} from '../gcp/types';
import type { ResourceKind } from '../kinds/vocabulary';
import type { CertificateMap, CertificateMapEntry, DnsAuthorization, ManagedCertificate } from '../gcp/certificateManager';

export type { ResourceKind };

/** A reference to a resource of a modelled kind that the inventory does not contain (deleted, or never created). */
export interface MissingNode {
  kind: 'missing';
  id: string;
  /** What the referring field expects here. */
  expected: ResourceKind;
  /** The reference exactly as the referring resource spells it. */
  ref: string;
  name: string;
}

/**
 * A reference to a kind this extension does not model (TCP/SSL/gRPC proxies, instance groups,
 * Certificate Manager maps, PSC targets): shown as what it is, never dropped.
 */
export interface UnmodelledNode {
  kind: 'unmodelled';
  id: string;
  /** The Compute collection (`targetTcpProxies`, `instanceGroups`, `certificateMaps`) or the raw target text. */
  collection: string;
  ref: string;
  name: string;
}

export interface AddressNode {
  kind: 'address';
  id: string;
  name: string;
  ip?: string;
  ipVersion: IpVersion;
  /** EXTERNAL or INTERNAL. */
  addressType?: string;
  /** RESERVED or IN_USE, as Google reports it. */
  status?: string;
  resource: Address;
}

export type IpVersion = 'IPV4' | 'IPV6';

export type TargetNode = TargetHttpsProxyNode | TargetHttpProxyNode | UnmodelledNode | MissingNode;

export interface ForwardingRuleNode {
  kind: 'forwardingRule';
  id: string;
  name: string;
  ip?: string;
  ipVersion: IpVersion;
  /** As Google reports it: `443-443`; absent when the rule lists `ports` instead. */
  portRange?: string;
  /** For display: `443`, `8080-8089`, `80,8080`. */
  ports: string;
  /** EXTERNAL_MANAGED, EXTERNAL (classic; also Google's default when the field is absent), … */
  scheme: string;
  protocol?: string;
  networkTier?: string;
  /** The referenced target's kind: `targetHttpsProxy`, `targetHttpProxy`, the collection of another kind, or `none`. */
  targetKind: string;
  target?: TargetNode;
  /** The reserved address holding its IP, when there is one. */
  address?: AddressNode;
  resource: ForwardingRule;
}

export interface CertificateNode {
  kind: 'sslCertificate';
  id: string;
  name: string;
  /** Google-managed (type MANAGED) or uploaded (SELF_MANAGED). */
  managed: boolean;
  /** managed.status for managed certificates (PROVISIONING, ACTIVE, …); undefined for self-managed. */
  status?: string;
  domains: string[];
  /** managed.domainStatus: domain → PROVISIONING, ACTIVE, FAILED_NOT_VISIBLE, … */
  domainStatus: Record<string, string>;
  expireTime?: string;
  resource: SslCertificate;
}

export interface TargetHttpsProxyNode {
  kind: 'targetHttpsProxy';
  id: string;
  name: string;
  certificates: (CertificateNode | MissingNode)[];
  /**
   * A Certificate Manager map; when set, Google serves it instead of `certificates`. Unmodelled when Certificate
   * Manager was not read, missing when it was and the map is not there.
   */
  certificateMap?: CertificateMapNode | UnmodelledNode | MissingNode;
  urlMap?: UrlMapNode | MissingNode;
  sslPolicy?: string;
  quicOverride?: string;
  resource: TargetHttpsProxy;
}

export interface TargetHttpProxyNode {
  kind: 'targetHttpProxy';
  id: string;
  name: string;
  urlMap?: UrlMapNode | MissingNode;
  /** True when its URL map only redirects (the port-80 half of an HTTPS load balancer). */
  redirectOnly: boolean;
  /** True when that redirect goes to HTTPS. */
  httpsRedirect: boolean;
  resource: TargetHttpProxy;
}

export type BackendNode = BackendServiceNode | BackendBucketNode | MissingNode;

/** Where a route sends traffic: backends (weighted or mirrored), a redirect, or nothing. */
export interface Route {
  backends: RouteBackend[];
  redirect?: { httpsRedirect: boolean; hostRedirect?: string; pathRedirect?: string; prefixRedirect?: string; responseCode?: string };
}

export interface RouteBackend {
  backend: BackendNode;
  /** `service` for a plain route, `weighted` with its weight, `mirror` for a request mirror, `errors` for a custom error service. */
  role: 'service' | 'weighted' | 'mirror' | 'errors';
  weight?: number;
}

export interface PathMatcherView {
  name: string;
  defaultRoute: Route;
  pathRules: { paths: string[]; route: Route }[];
  routeRules: { priority?: number; description?: string; route: Route }[];
}

export interface HostRuleView {
  hosts: string[];
  pathMatcherName: string;
  /** Undefined when the URL map names a path matcher it does not define. */
  pathMatcher?: PathMatcherView;
}

export interface UrlMapNode {
  kind: 'urlMap';
  id: string;
  name: string;
  defaultRoute: Route;
  hostRules: HostRuleView[];
  pathMatchers: PathMatcherView[];
  /** Every distinct backend any route of this map can reach, in first-seen order. */
  backends: BackendNode[];
  /** Only redirects: no route reaches a backend. */
  redirectOnly: boolean;
  /** Its default route is a redirect to HTTPS. */
  httpsRedirect: boolean;
  resource: UrlMap;
}

export interface BackendServiceNode {
  kind: 'backendService';
  id: string;
  name: string;
  scheme: string;
  protocol?: string;
  cdn: boolean;
  securityPolicy?: string;
  edgeSecurityPolicy?: string;
  /** Its backends' groups: NEGs, dangling NEG references, or groups of kinds not modelled (instance groups). */
  groups: (NetworkEndpointGroupNode | MissingNode | UnmodelledNode)[];
  resource: BackendService;
}

export interface BackendBucketNode {
  kind: 'backendBucket';
  id: string;
  name: string;
  bucketName?: string;
  cdn: boolean;
  resource: BackendBucket;
}

export interface RunServiceNode {
  kind: 'runService';
  /** projects/P/locations/R/services/S. */
  id: string;
  name: string;
  region: string;
  service: RunService;
}

export interface NetworkEndpointGroupNode {
  kind: 'networkEndpointGroup';
  id: string;
  name: string;
  region?: string;
  zone?: string;
  /** SERVERLESS, INTERNET_FQDN_PORT, GCE_VM_IP_PORT, PRIVATE_SERVICE_CONNECT, … */
  endpointType: string;
  /** Set for serverless NEGs that point at Cloud Run. */
  cloudRun?: { service?: string; tag?: string; urlMask?: string };
  /** What it serves when that is not Cloud Run (App Engine, a Cloud Function, a Private Service Connect target), for display. */
  otherTarget?: string;
  /**
   * The Cloud Run service it serves, looked up by (region, name); a missing node when no such service
   * exists in that region; undefined when the NEG names no Cloud Run service.
   */
  runService?: RunServiceNode | MissingNode;
  resource: NetworkEndpointGroup;
}

/** Any node of a resource the inventory contains. */
/** A Certificate Manager DNS authorization: the `_acme-challenge` CNAME that lets Google issue for its domain. */
export interface DnsAuthorizationNode {
  kind: 'dnsAuthorization';
  /** Its relative name, projects/P/locations/global/dnsAuthorizations/N. */
  id: string;
  name: string;
  domain: string;
  /** The record the user must create: name (with a trailing dot), CNAME, target. */
  record?: { name: string; type: string; data: string };
  resource: DnsAuthorization;
}

export interface AuthorizationAttempt {
  domain: string;
  state: string;
  failureReason?: string;
  details?: string;
}

export interface CertificateManagerCertificateNode {
  kind: 'certificateManagerCertificate';
  id: string;
  name: string;
  /** Google-managed; false for an uploaded certificate. */
  managed: boolean;
  /** managed.state: PROVISIONING, ACTIVE or FAILED; undefined for self-managed. */
  state?: string;
  domains: string[];
  /** Per domain, as Google last tried it. */
  attempts: AuthorizationAttempt[];
  provisioningIssue?: { reason?: string; details?: string };
  authorizations: (DnsAuthorizationNode | MissingNode)[];
  expireTime?: string;
  resource: ManagedCertificate;
}

export interface CertificateMapEntryNode {
  kind: 'certificateMapEntry';
  id: string;
  name: string;
  /** The map's id. */
  mapId: string;
  hostname?: string;
  /** The entry for clients that send no SNI or a name no entry matches. */
  primary: boolean;
  certificates: (CertificateManagerCertificateNode | MissingNode)[];
  resource: CertificateMapEntry;
}

export interface CertificateMapNode {
  kind: 'certificateMap';
  id: string;
  name: string;
  entries: CertificateMapEntryNode[];
  resource: CertificateMap;
}

export type CertificateManagerNode =
  DnsAuthorizationNode | CertificateManagerCertificateNode | CertificateMapEntryNode | CertificateMapNode;

export type ResourceNode =
  | CertificateManagerNode
  | ForwardingRuleNode
  | AddressNode
  | TargetHttpsProxyNode
  | TargetHttpProxyNode
  | CertificateNode
  | UrlMapNode
  | BackendServiceNode
  | BackendBucketNode
  | NetworkEndpointGroupNode;

/** One region in which a load balancer serves a Cloud Run service, and the path it takes there. */
export interface ServedRegion {
  region: string;
  networkEndpointGroupId: string;
  backendServiceId: string;
  /** Undefined when the NEG names a service that does not exist in that region. */
  service?: RunService;
}

export interface ServedService {
  /** The Cloud Run service name (one name, possibly deployed in several regions). */
  name: string;
  regions: ServedRegion[];
}

export interface LoadBalancer {
  kind: 'loadBalancer';
  /** `projects/P/global/loadBalancers/<IP>`: one load balancer per frontend IP. */
  id: string;
  /** For display: the serving URL map's name, else the address's, else the first rule's. */
  name: string;
  ip?: string;
  ipVersion: IpVersion;
  /** The reserved address resource holding the IP; undefined for an ephemeral IP. */
  address?: AddressNode;
  /** Every forwarding rule on this IP, HTTPS first, then by port. */
  rules: ForwardingRuleNode[];
  /** The scheme of its serving rule: EXTERNAL_MANAGED or classic EXTERNAL. */
  scheme: string;
  /** Some rule targets an HTTPS proxy. */
  https: boolean;
  /** Some HTTP rule only redirects to HTTPS. */
  httpsRedirect: boolean;
  /** Certificate domains and URL-map host names (without `*`), sorted. */
  domains: string[];
  certificates: CertificateNode[];
  urlMaps: UrlMapNode[];
  backendServices: BackendServiceNode[];
  backendBuckets: BackendBucketNode[];
  networkEndpointGroups: NetworkEndpointGroupNode[];
  /** The Cloud Run services it routes to, by name, with the regions each is served in. */
  services: ServedService[];
  /** Every dangling reference reachable from it. */
  missing: MissingNode[];
  /** Every reachable reference of a kind not modelled. */
  unmodelled: UnmodelledNode[];
  /** Ids of every listed resource it uses, rules to NEGs and address. */
  resourceIds: string[];
}

/** How one load balancer fronts a Cloud Run service. */
export interface ServiceFronting {
  loadBalancerId: string;
  loadBalancerName: string;
  /** Every region in which that load balancer serves a service of this name. */
  regions: string[];
  via: { backendServiceId: string; networkEndpointGroupId: string }[];
}

export interface UnattachedResources {
  targetProxies: (TargetHttpsProxyNode | TargetHttpProxyNode)[];
  urlMaps: UrlMapNode[];
  backendServices: BackendServiceNode[];
  backendBuckets: BackendBucketNode[];
  networkEndpointGroups: NetworkEndpointGroupNode[];
  sslCertificates: CertificateNode[];
  addresses: AddressNode[];
}

export interface Topology {
  project: string;
  /** Sorted by name, then IP. */
  loadBalancers: LoadBalancer[];
  /** Resources no load balancer reaches (what a clean-up looks at). */
  unattached: UnattachedResources;
  /** Every listed resource's node, by id. */
  nodes: ReadonlyMap<string, ResourceNode>;
  /** Resource id → ids of the load balancers that use it. */
  usedBy: ReadonlyMap<string, readonly string[]>;
  /** Resource id → ids of the listed resources that reference it (any of them, attached or not). */
  referencedBy: ReadonlyMap<string, readonly string[]>;
  /** Cloud Run service resource name (projects/P/locations/R/services/S) → the load balancers fronting it. */
  fronting: ReadonlyMap<string, readonly ServiceFronting[]>;
  services: readonly RunService[];
}
