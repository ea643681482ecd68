// Rules for one Cloud Run service of a YAML document: every global load balancer that fronts it (found
// from the NEGs that point at it, so hand-made load balancers count), the certificates those serve,
// their DNS, the service's ingress, and NEGs in regions where the service does not exist.
import type { DomainInspection } from '../dns/inspect';
import type { CloudDnsState } from '../gcp/cloudDns';
import type { InvokerAccess, Operation, RunService } from '../gcp/types';
import { frontingLoadBalancers, type FrontingLoadBalancer } from '../topology/queries';
import type {
  BackendServiceNode,
  CertificateNode,
  LoadBalancer,
  NetworkEndpointGroupNode,
  ServedRegion,
  TargetHttpsProxyNode,
  Topology,
  UrlMapNode,
} from '../topology/model';
import { certificateFindings, checkableDomains } from './certificate';
import { certificateMapFindings, certificateMapNames } from './certificateManager';
import { sortFindings, uniqueFindings, type Anchor, type Finding, type RelatedResource } from './finding';
import { listText, plural } from './format';

export interface ServiceToDiagnose {
  name: string;
  /** The `cloud.googleapis.com/location` label; absent: the name is matched in every region. */
  region?: string;
  /** The `run.googleapis.com/ingress` annotation, when the YAML has one. */
  ingress?: string;
}

export interface DiagnoseServiceInput {
  service: ServiceToDiagnose;
  topology: Topology;
  dns: ReadonlyMap<string, DomainInspection>;
  operations?: readonly Operation[];
  /** Who may call each Cloud Run service (by resource name), as far as it was read. */
  invokers?: ReadonlyMap<string, InvokerAccess>;
  /** The public Cloud DNS zones and record sets, as far as they were read (quick fixes write records there). */
  cloudDns?: CloudDnsState;
  /** Milliseconds since the epoch. */
  now: number;
}

export function diagnoseService(input: DiagnoseServiceInput): Finding[] {
  const { service, topology } = input;
  const fronting = frontingLoadBalancers(topology, service);
  const findings: Finding[] = [];
  const context = { topology, dns: input.dns, operations: input.operations, now: input.now, cloudDns: input.cloudDns };

  for (const certificate of certificatesFor(topology, service, fronting)) findings.push(...certificateFindings(certificate, context));
  for (const { loadBalancer, regions } of fronting) findings.push(...negRegionFindings(service, loadBalancer, regions));
  for (const { loadBalancer } of fronting) findings.push(...certificateMapFindings(loadBalancer, context));
  if (fronting.length) findings.push(...ingressFindings(input, fronting));
  if (fronting.length && input.invokers) findings.push(...invokerFindings(service, fronting, input.invokers));

  return uniqueFindings(sortFindings(findings));
}

/** The certificates of the fronting load balancers, plus those on proxies of a half-built one (no rule yet). */
function certificatesFor(topology: Topology, service: ServiceToDiagnose, fronting: FrontingLoadBalancer[]): CertificateNode[] {
  const certificates = new Map<string, CertificateNode>();
  for (const { loadBalancer } of fronting) for (const cert of loadBalancer.certificates) certificates.set(cert.id, cert);
  for (const proxy of unservedProxiesFor(topology, service)) {
    for (const cert of proxy.certificates) if (cert.kind === 'sslCertificate') certificates.set(cert.id, cert);
  }
  return [...certificates.values()];
}

/** HTTPS proxies that route to the service (proxy → URL map → backend service → NEG) but that no forwarding rule uses. */
function unservedProxiesFor(topology: Topology, service: Pick<ServiceToDiagnose, 'name' | 'region'>): TargetHttpsProxyNode[] {
  const nodesReferencing = (id: string) =>
    (topology.referencedBy.get(id) ?? []).map((ref) => topology.nodes.get(ref)).filter((n) => n !== undefined);
  const negs = [...topology.nodes.values()].filter(
    (node): node is NetworkEndpointGroupNode =>
      node.kind === 'networkEndpointGroup' &&
      node.cloudRun?.service === service.name &&
      (!service.region || node.region === service.region),
  );
  const proxies = new Map<string, TargetHttpsProxyNode>();
  for (const neg of negs) {
    for (const backend of nodesReferencing(neg.id).filter((n): n is BackendServiceNode => n.kind === 'backendService')) {
      for (const map of nodesReferencing(backend.id).filter((n): n is UrlMapNode => n.kind === 'urlMap')) {
        for (const proxy of nodesReferencing(map.id).filter((n): n is TargetHttpsProxyNode => n.kind === 'targetHttpsProxy')) {
          if (!topology.usedBy.has(proxy.id)) proxies.set(proxy.id, proxy);
        }
      }
    }
  }
  return [...proxies.values()];
}

function negRegionFindings(service: ServiceToDiagnose, lb: LoadBalancer, regions: ServedRegion[]): Finding[] {
  return regions
    .filter((region) => !region.service)
    .map((region) => {
      const neg = lb.networkEndpointGroups.find((n) => n.id === region.networkEndpointGroupId);
      const backend = lb.backendServices.find((b) => b.id === region.backendServiceId);
      const negName = neg?.name ?? region.networkEndpointGroupId;
      const related: RelatedResource[] = [
        {
          id: region.networkEndpointGroupId,
          selfLink: neg?.resource.selfLink ?? undefined,
          message: `network endpoint group ${negName} in ${region.region}`,
        },
      ];
      if (backend)
        related.push({ id: backend.id, selfLink: backend.resource.selfLink ?? undefined, message: `backend service ${backend.name}` });
      return {
        code: 'neg-region-missing-service' as const,
        key: `neg-region-missing-service:${region.networkEndpointGroupId}`,
        severity: 'warning' as const,
        message: `Load balancer ${lb.name} routes to Cloud Run service ${service.name} in ${region.region} through NEG ${negName}, but no service ${service.name} exists in ${region.region}; requests routed there fail.`,
        remedy: `Deploy ${service.name} to ${region.region}, or remove the NEG from the backend service: gcloud compute backend-services remove-backend ${backend?.name ?? 'BACKEND'} --global --network-endpoint-group=${negName} --network-endpoint-group-region=${region.region}`,
        anchor: 'name' as const,
        related,
        fixes: [{ kind: 'recheck' as const }],
        pending: false,
        loadBalancerId: lb.id,
      };
    });
}

/**
 * A serverless NEG forwards the client's call to Cloud Run unauthenticated: unless IAP fronts the
 * backend service, every region behind a load balancer must grant roles/run.invoker to allUsers, or
 * requests routed there get 403. Regions whose policy was not read (or could not be) say nothing.
 */
export function invokerFindings(
  service: ServiceToDiagnose,
  fronting: FrontingLoadBalancer[],
  invokers: ReadonlyMap<string, InvokerAccess>,
): Finding[] {
  const regions = new Map<string, RunService>();
  const lbs = new Map<string, LoadBalancer>();
  for (const { loadBalancer, regions: served } of fronting) {
    for (const region of served) {
      if (!region.service) continue;
      const backend = loadBalancer.backendServices.find((b) => b.id === region.backendServiceId);
      if (backend?.resource.iap?.enabled) continue;
      const access = invokers.get(region.service.resourceName);
      if (!access || access.error || access.public) continue;
      regions.set(region.region, region.service);
      lbs.set(loadBalancer.id, loadBalancer);
    }
  }
  if (!regions.size) return [];
  const names = [...regions.keys()].sort();
  const lbList = [...lbs.values()];
  const related: RelatedResource[] = [
    ...names.map((r) => ({
      id: regions.get(r)!.resourceName,
      message: `Cloud Run service ${service.name} in ${r}: no roles/run.invoker for allUsers`,
    })),
    ...lbList.map((lb) => ({ id: lb.id, message: `load balancer ${lb.name}` })),
  ];
  return [
    {
      code: 'run-invoker-not-public',
      key: `run-invoker-not-public:${service.name}`,
      severity: 'error',
      message: `Cloud Run service ${service.name} does not grant roles/run.invoker to allUsers in ${listText(names)}, and no IAP fronts ${plural(lbList.length, 'load balancer')} ${listText(lbList.map((lb) => lb.name))}: requests through it to ${names.length === 1 ? 'that region' : 'those regions'} get 403.`,
      remedy: `Grant it (${names.map((r) => `gcloud run services add-iam-policy-binding ${service.name} --region=${r} --member=allUsers --role=roles/run.invoker`).join('; ')}), or turn on IAP on the backend service.`,
      anchor: 'name',
      related,
      fixes: [{ kind: 'grantInvoker', service: service.name, regions: names }, { kind: 'recheck' }],
      pending: false,
      loadBalancerId: lbList[0].id,
      regions: names,
    },
  ];
}

function ingressFindings(input: DiagnoseServiceInput, fronting: FrontingLoadBalancer[]): Finding[] {
  const { service } = input;
  const deployed = deployedServices(input.topology, service, fronting);
  const ingress = service.ingress ?? deployed.find((s) => s.ingress)?.ingress;
  if (!ingress) return [];
  const anchor: Anchor = service.ingress !== undefined ? 'ingress' : 'name';
  const where = service.ingress !== undefined ? 'run.googleapis.com/ingress is' : "The deployed service's ingress is";
  const lbs = fronting.map((f) => f.loadBalancer);
  const lbText = `${plural(lbs.length, 'load balancer')} ${listText(lbs.map((lb) => `${lb.name}${lb.ip ? ` (${lb.ip})` : ''}`))}`;
  const related: RelatedResource[] = lbs.map((lb) => ({ id: lb.id, message: `load balancer ${lb.name}` }));
  if (ingress === 'internal') {
    return [
      {
        code: 'ingress-internal-blocks-lb',
        key: `ingress-internal-blocks-lb:${service.name}`,
        severity: 'error',
        message: `${where} \`internal\`, which blocks the external ${lbText} in front of ${service.name}: its requests are refused.`,
        remedy: 'Set run.googleapis.com/ingress to `internal-and-cloud-load-balancing` and deploy.',
        anchor,
        related,
        fixes: [{ kind: 'setIngress', value: 'internal-and-cloud-load-balancing' }],
        pending: false,
      },
    ];
  }
  if (ingress === 'all') {
    const active = lbs.flatMap((lb) => lb.certificates).filter((cert) => !cert.managed || cert.status === 'ACTIVE');
    if (active.length === 0) return [];
    const url = deployed.find((s) => s.url)?.url;
    return [
      {
        code: 'ingress-all-bypass',
        key: `ingress-all-bypass:${service.name}`,
        severity: 'warning',
        message: `${where} \`all\` while ${lbText} serves ${service.name} with an ACTIVE certificate: clients can bypass the load balancer (and its Cloud Armor, CDN and logging) through ${url ?? 'the run.app URL'}.`,
        remedy:
          'Set run.googleapis.com/ingress to `internal-and-cloud-load-balancing` and deploy, so only the load balancer reaches the service.',
        anchor,
        related,
        fixes: [{ kind: 'setIngress', value: 'internal-and-cloud-load-balancing' }],
        pending: false,
      },
    ];
  }
  return [];
}

function deployedServices(topology: Topology, service: ServiceToDiagnose, fronting: FrontingLoadBalancer[]): RunService[] {
  const served = fronting.flatMap((f) => f.regions.map((r) => r.service)).filter((s): s is RunService => s !== undefined);
  const matching = served.filter((s) => !service.region || s.region === service.region);
  if (matching.length) return matching;
  return topology.services.filter((s) => s.name === service.name && (!service.region || s.region === service.region));
}

/** The domains a document's checks need looked up: every certificate domain of what fronts its services. */
export function domainsToInspect(services: readonly Pick<ServiceToDiagnose, 'name' | 'region'>[], topology: Topology): string[] {
  const domains = new Set<string>();
  for (const service of services) {
    const certificates = certificatesFor(topology, service, frontingLoadBalancers(topology, service));
    for (const cert of certificates) for (const domain of checkableDomains(cert)) domains.add(domain);
    for (const { loadBalancer } of frontingLoadBalancers(topology, service))
      for (const name of certificateMapNames(loadBalancer)) domains.add(name);
  }
  return [...domains].sort();
}
