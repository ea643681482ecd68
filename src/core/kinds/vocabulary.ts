// The names of the resource kinds and of the plan steps they own: the registry's vocabulary. Each name here has its
// declaration in one module beside this file, and registry.ts lists those modules.
import type { CertificateManagerKind } from '../gcp/certificateManager';
import type { ComputeKind } from '../gcp/compute';

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
  | 'certificateMapEntry'
  | 'securityPolicy';

/** The collection of a kind (the REST resource name): Compute's, Certificate Manager's, Cloud Run's services, DNS record sets. */
export type KindCollection = ComputeKind | CertificateManagerKind | 'runServices' | 'dnsRecordSets';

/** A plan step, named by what it does; the kind that owns it declares it. */
export type StepKind =
  | 'deployService'
  | 'networkEndpointGroup'
  | 'backendService'
  | 'addBackend'
  | 'invokerBinding'
  | 'urlMap'
  | 'sslCertificate'
  | 'targetHttpsProxy'
  | 'targetHttpProxy'
  | 'address'
  | 'forwardingRule'
  | 'attachCertificate'
  | 'dnsRecord'
  | 'dnsAuthorization'
  | 'certificateManagerCertificate'
  | 'certificateMap'
  | 'certificateMapEntry'
  | 'attachSecurityPolicy';
