// Lookups over a built topology, for the explorer (service → load balancers) and the delete flow.
import type { RunService } from '../gcp/types';
import type { LoadBalancer, MissingNode, ResourceKind, ResourceNode, ServiceFronting, Topology, UnmodelledNode } from './model';

const KIND_LABELS: Record<ResourceKind, string> = {
  forwardingRule: 'forwarding rule',
  address: 'address',
  targetHttpsProxy: 'target HTTPS proxy',
  targetHttpProxy: 'target HTTP proxy',
  sslCertificate: 'SSL certificate',
  urlMap: 'URL map',
  backendService: 'backend service',
  backendBucket: 'backend bucket',
  networkEndpointGroup: 'network endpoint group',
  runService: 'Cloud Run service',
};

/** How a node is named in messages: `backend service web`, `target TCP proxy tcp-proxy`. */
export function describeNode(node: ResourceNode | MissingNode | UnmodelledNode): string {
  if (node.kind === 'missing') return `${KIND_LABELS[node.expected]} ${node.name}`;
  if (node.kind === 'unmodelled') return `${collectionLabel(node.collection)} ${node.name}`;
  return `${KIND_LABELS[node.kind]} ${node.name}`;
}

export function kindLabel(kind: ResourceKind): string {
  return KIND_LABELS[kind];
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

/** The load balancers that route to the Cloud Run service `name` in `region` (rule → … → NEG → service). */
export function loadBalancersForService(topology: Topology, region: string, serviceName: string): LoadBalancer[] {
  const ids = frontingOf(topology, region, serviceName).map((entry) => entry.loadBalancerId);
  return topology.loadBalancers.filter((lb) => ids.includes(lb.id));
}
