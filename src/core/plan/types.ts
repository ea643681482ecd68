// The shapes of a "make global" plan: what the user asks for, and the step graph that does it.
import type { ComputeKind } from '../gcp/compute';
import type { KindCollection, StepKind } from '../kinds/vocabulary';

export interface GlobalizeOptions {
  /** Cloud CDN on the backend service. */
  cdn: boolean;
  /** A port-80 forwarding rule on the same IP that redirects to HTTPS. */
  httpsRedirect: boolean;
  /** A second, IPv6 address with its own forwarding rule(s). */
  ipv6: boolean;
  /** Write each domain's A (and AAAA) record in the public Cloud DNS zone that holds it, where one does. */
  cloudDns: boolean;
  /**
   * Certificate Manager with DNS authorization instead of a classic managed certificate: the certificate can
   * become ACTIVE (through `_acme-challenge` CNAMEs) before the domains' A records move to the load balancer.
   */
  certificateManager: boolean;
}

/** Options that pick one of the project's resources (absent: none). */
export interface GlobalizeChoices {
  /** A Cloud Armor backend security policy of the project, by name, attached to the backend service. */
  securityPolicy?: string;
}

/** Deploy the Knative YAML as it is to regions where the service does not run yet. */
export interface DeployRequest {
  regions: string[];
  /** The Knative Service document as plain data (`KnativeService.manifest`). */
  manifest: Record<string, unknown>;
}

/** Every resource name of one global load balancer. */
export interface ResourceNames {
  /** Region → serverless NEG name. */
  networkEndpointGroups: Record<string, string>;
  backendService: string;
  urlMap: string;
  certificate: string;
  httpsProxy: string;
  address: string;
  httpsRule: string;
  redirectUrlMap: string;
  httpProxy: string;
  httpRule: string;
  ipv6Address: string;
  ipv6HttpsRule: string;
  ipv6HttpRule: string;
  /** Certificate Manager's map, with "Issue the certificate before DNS moves". */
  certificateMap: string;
}

export interface GlobalizeRequest {
  project: string;
  /** The Cloud Run service name. */
  service: string;
  /** Regions that get a serverless NEG (where the service runs, or will after `deploy`). */
  regions: string[];
  /** Host names the managed certificate covers (1 to 100). */
  domains: string[];
  /** Overrides of the derived names. */
  names?: Partial<Omit<ResourceNames, 'networkEndpointGroups'>> & { networkEndpointGroups?: Record<string, string> };
  options?: Partial<GlobalizeOptions>;
  choices?: GlobalizeChoices;
  deploy?: DeployRequest;
}

/** One more region for a load balancer that exists: a NEG there, added to its backend service. */
export interface AddRegionRequest {
  project: string;
  service: string;
  /** Name of the existing (global) backend service. */
  backendService: string;
  region: string;
  /** Default: derived from the service name and region. */
  networkEndpointGroup?: string;
  /** Deploy this Knative YAML to the region first (when the service does not run there). */
  deploy?: { manifest: Record<string, unknown> };
}

/**
 * create: nothing by that name exists; exists: it exists with the planned settings (adopted);
 * update: it exists and one change is needed (a NEG not yet attached); conflict: it exists with
 * other settings, and the plan cannot be applied as it stands.
 */
export type StepAction = 'create' | 'exists' | 'update' | 'conflict';

/** Where a step's resource lives: a Compute collection, or Cloud Run. */
export type ResourceCollection = KindCollection;

export interface PlanStep {
  /** Stable: `neg:us-central1`, `backend`, `add-backend:us-central1`, `https-rule`, `deploy:europe-west1`, … */
  id: string;
  kind: StepKind;
  collection: ResourceCollection;
  /** The resource the step creates, or changes (add-backend: the backend service). */
  name: string;
  /** Set for regional resources (NEGs) and deploys. */
  region?: string;
  /**
   * The request body as the API takes it: a Compute resource for inserts, the backend entry
   * (`{ group }`) for add-backend, the Knative Service for a deploy, `{ role, member }` for an
   * invoker binding. References are partial paths
   * (`projects/P/global/…`); a forwarding rule's `IPAddress` names its address resource.
   */
  body: Record<string, unknown>;
  /** Ids of the steps that must finish first. */
  dependsOn: string[];
  action: StepAction;
  /** For conflicts: what differs, one readable line each. */
  differences?: string[];
  /** A sentence for the preview, e.g. why a conflict stops the plan and what to do. */
  note?: string;
  /** Certificate map entries: the map they belong to. */
  parent?: string;
  /** Steps with the same key never run at the same time (read-modify-writes of one resource). */
  serializeWith?: string;
}

/** New domains for an existing load balancer: a new managed certificate beside the old ones on its HTTPS proxy. */
export interface ChangeDomainsRequest {
  project: string;
  /** The target HTTPS proxy whose certificates change. */
  httpsProxy: string;
  /** Every host name the load balancer should serve afterwards (1 to 100). */
  domains: string[];
  /** Name of the new certificate; default: derived from the base name and the domains. */
  certificate?: string;
}

/** What a Change Domains plan does to the proxy, and what its finish step removes later. */
export interface DomainChange {
  httpsProxy: string;
  /** The proxy's URL map (the Terraform export restates the proxy). */
  urlMap: string;
  /** The certificates on the proxy before the change, in its order: detached and deleted by the finish step. */
  oldCertificates: string[];
  newCertificate: string;
  previousDomains: string[];
}

/** What a plan is for: Make global, Add region, Change domains (what each decides: src/core/purposes). */
export type PlanPurpose = 'globalize' | 'addRegion' | 'changeDomains';

export interface Plan {
  purpose: PlanPurpose;
  project: string;
  service: string;
  /** NEG regions this plan covers. */
  regions: string[];
  domains: string[];
  options: GlobalizeOptions;
  /** Absent in plans of other purposes and in plans stored by earlier versions. */
  choices?: GlobalizeChoices;
  names: ResourceNames;
  /** In dependency order (every step after the steps it depends on), the seed's order otherwise. */
  steps: PlanStep[];
  /** False when any step is a conflict. */
  applicable: boolean;
  /** The longest chain of dependent steps, as step ids. */
  criticalPath: string[];
  /** Things the user should know that do not stop the plan. */
  warnings: string[];
  /** The IP when the address already exists. */
  knownIp?: string;
  /** Set for Change Domains plans. */
  domainChange?: DomainChange;
}

export interface ValidationIssue {
  /** `project`, `service`, `regions[1]`, `domains[0]`, `names.urlMap`, `deploy.manifest`, … */
  field: string;
  message: string;
}

/** What an option's steps are built with. */
export interface StepBuilder {
  names: ResourceNames;
  options: GlobalizeOptions;
  choices: GlobalizeChoices;
  project: string;
  /** The certificate's domains, normalized. */
  domains: string[];
  steps: PlanStep[];
  /** A reference to a global resource of the project. */
  ref(collection: ComputeKind, name: string): string;
  add(step: Omit<PlanStep, 'action' | 'collection'>): void;
  /** A forwarding rule on `port` from the address step to the proxy step. */
  rule(
    id: string,
    name: string,
    port: string,
    proxy: { step: string; collection: ComputeKind; name: string },
    address: { step: string; name: string },
  ): void;
}
