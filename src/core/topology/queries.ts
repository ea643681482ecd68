// Lookups over a built topology, for the explorer (service → load balancers) and the delete flow.
import { kindLabel } from '../kinds/registry';
import type { RunService } from '../gcp/types';
import type { LoadBalancer, MissingNode, ResourceNode, ServedRegion, ServiceFronting, Topology, UnmodelledNode } from './model';

/** How a node is named in messages: `backend service web`, `target TCP proxy tcp-proxy`. */
export function describeNode(node: ResourceNode | MissingNode | UnmodelledNode): string {
  if (node.kind === 'missing') return `${kindLabel(node.expected)} ${node.name}`;
  if (node.kind === 'unmodelled') return `${collectionLabel(node.collection)} ${node.name}`;
  return `${kindLabel(node.kind)} ${node.name}`;
}

/** `targetTcpProxies` → `target TCP proxy`, `instanceGroups` → `instance group`. */
function collectionLabel(collection: string): string {
  const singular = collection.endsWith('ies') ? `${collection.slice(0, -3)}y` : collection.replace(/s$/, '');
  return singular
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\b(tcp|ssl|grpc|http|https|url)\b/g, (word) => word.toUpperCase());
}

export function findLoadBalancer(topology: Topology, loadBalancerId: string): LoadBalancer | undefined {
  return topology.loadBalancers.find((lb) => lb.id === loadBalancerId);
}

/** The load balancers that use a listed resource (by its id). */
export function loadBalancersUsing(topology: Topology, resourceId: string): LoadBalancer[] {
  const ids = topology.usedBy.get(resourceId) ?? [];
  return topology.loadBalancers.filter((lb) => ids.includes(lb.id));
}

const serviceIndexes = new WeakMap<Topology, Map<string, RunService>>();

/** (region, name) → service, built once per topology: the explorer asks for every service. */
function serviceAt(topology: Topology, region: string, serviceName: string): RunService | undefined {
  let index = serviceIndexes.get(topology);
  if (!index) {
    index = new Map(topology.services.map((service) => [`${service.region}/${service.name}`, service]));
    serviceIndexes.set(topology, index);
  }
  return index.get(`${region}/${serviceName}`);
}

/** How each load balancer fronts the Cloud Run service `name` in `region`; empty when none does. */
export function frontingOf(topology: Topology, region: string, serviceName: string): readonly ServiceFronting[] {
  const service = serviceAt(topology, region, serviceName);
  return (service && topology.fronting.get(service.resourceName)) || [];
}

/** A load balancer that routes to a Cloud Run service name, and through which regions. */
export interface FrontingLoadBalancer {
  loadBalancer: LoadBalancer;
  /** The regions through which it routes to a service of this name (with the service, when it exists there). */
  regions: ServedRegion[];
}

/**
 * The load balancers that front the Cloud Run service `name`: those whose NEGs name it (so it holds when
 * the Cloud Run list could not be read, and for load balancers made by hand). With a region, those that
 * serve it there, or that hold a NEG for it in a region where it does not exist (requests there fail).
 */
export function frontingLoadBalancers(topology: Topology, service: { name: string; region?: string }): FrontingLoadBalancer[] {
  const result: FrontingLoadBalancer[] = [];
  for (const lb of topology.loadBalancers) {
    const served = lb.services.find((s) => s.name === service.name);
    if (!served) continue;
    const relevant = !service.region || served.regions.some((r) => r.region === service.region || !r.service);
    if (relevant) result.push({ loadBalancer: lb, regions: served.regions });
  }
  return result;
}

/** The resource names of the Cloud Run services some load balancer's NEG routes to (where they exist), sorted. */
export function servicesBehindLoadBalancers(topology: Topology): string[] {
  const names = new Set<string>();
  for (const lb of topology.loadBalancers) {
    for (const served of lb.services) for (const region of served.regions) if (region.service) names.add(region.service.resourceName);
  }
  return [...names].sort();
}
