// Shapes the access layer hands to the rest of the extension. Compute resources keep Google's own
// schema (compute_v1.Schema$…); a Cloud Run service is reduced to what the extension uses.
import type { compute_v1 } from 'googleapis/build/src/apis/compute/v1';
import type { CloudDnsState } from './cloudDns';
import type { CertificateManagerInventory } from './certificateManager';

export type ForwardingRule = compute_v1.Schema$ForwardingRule;
export type TargetHttpsProxy = compute_v1.Schema$TargetHttpsProxy;
export type TargetHttpProxy = compute_v1.Schema$TargetHttpProxy;
export type UrlMap = compute_v1.Schema$UrlMap;
export type BackendService = compute_v1.Schema$BackendService;
export type BackendBucket = compute_v1.Schema$BackendBucket;
export type NetworkEndpointGroup = compute_v1.Schema$NetworkEndpointGroup;
export type SslCertificate = compute_v1.Schema$SslCertificate;
export type Address = compute_v1.Schema$Address;
export type SecurityPolicy = compute_v1.Schema$SecurityPolicy;
export type Operation = compute_v1.Schema$Operation;

/** Cloud Run's ingress setting, in the v1 annotation's spelling. */
export type Ingress = 'all' | 'internal' | 'internal-and-cloud-load-balancing';

export interface RunService {
  name: string;
  project: string;
  region: string;
  /** The service's run.app URL, once it has one. */
  url?: string;
  ingress: Ingress;
  /** Ready condition: true, false, or unknown while a rollout is in progress. */
  ready: 'true' | 'false' | 'unknown';
  readyMessage?: string;
  latestReadyRevision?: string;
  /** RFC 3339. */
  createTime?: string;
  /** Stable identifier: projects/P/locations/R/services/S. */
  resourceName: string;
}

/** Every global load-balancing resource of a project, plus its Cloud Run services: what the topology is built from. */
export interface Inventory {
  project: string;
  forwardingRules: ForwardingRule[];
  targetHttpsProxies: TargetHttpsProxy[];
  targetHttpProxies: TargetHttpProxy[];
  urlMaps: UrlMap[];
  backendServices: BackendService[];
  backendBuckets: BackendBucket[];
  networkEndpointGroups: NetworkEndpointGroup[];
  sslCertificates: SslCertificate[];
  addresses: Address[];
  services: RunService[];
  /**
   * Who may call Cloud Run services, by resource name (projects/P/locations/R/services/S), for the
   * services whose policy was read; a service absent here was not read.
   */
  invokers?: ReadonlyMap<string, InvokerAccess>;
  /** The public Cloud DNS zones the user can see and the record sets of the domains asked about; absent when not read. */
  cloudDns?: CloudDnsState;
  /** Certificate Manager's global resources, when read (certificate maps that proxies point at). */
  certificateManager?: CertificateManagerInventory;
}

/** What a Cloud Run service's IAM policy says about callers, or why it could not be read. */
export interface InvokerAccess {
  /** roles/run.invoker is granted to allUsers. */
  public: boolean;
  /** The members holding roles/run.invoker. */
  invokers: string[];
  etag?: string;
  /** The policy could not be read (permission denied, say); `public` is then false and unknown. */
  error?: string;
}
