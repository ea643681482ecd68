// What deleting a load balancer removes, in the order Google accepts (a referenced resource cannot be
// deleted: resourceInUseByAnotherResource), and what it must keep because something else still uses it.
import { RESOURCE_KINDS } from '../kinds/registry';
import type { LoadBalancer, MissingNode, ResourceNode, Topology, UnmodelledNode } from './model';
import type { ResourceKind } from '../kinds/vocabulary';
import { describeNode, findLoadBalancer } from './queries';

export interface DeletionStep {
  /** Steps go phase by phase, lowest first (RESOURCE_KINDS' deletePhase); one phase's steps in parallel. */
  phase: number;
  kind: Exclude<ResourceKind, 'runService' | 'dnsRecordSet'>;
  id: string;
  name: string;
  /** Set for regional resources (serverless NEGs). */
  region?: string;
  /** The resource's selfLink as Google returned it. */
  selfLink?: string;
  /** A certificate map entry's map. */
  parent?: string;
}

export interface KeptResource {
  id: string;
  /** The node kind, or the Compute collection of a kind this extension does not manage. */
  kind: string;
  name: string;
  /** A sentence for the user: `backend service web is also used by load balancer other`. */
  reason: string;
  /** The other load balancers that use it. */
  usedBy: string[];
}

export interface DeletionPlan {
  loadBalancerId: string;
  loadBalancerName: string;
  /** In deletion order: by phase, then by name. */
  steps: DeletionStep[];
  kept: KeptResource[];
  /** Dangling references: nothing to delete there. */
  alreadyGone: MissingNode[];
}

/** The plan for deleting load balancer `loadBalancerId`; undefined when the topology has no such load balancer. */
export function planLoadBalancerDeletion(topology: Topology, loadBalancerId: string): DeletionPlan | undefined {
  const lb = findLoadBalancer(topology, loadBalancerId);
  if (!lb) return undefined;

  const deletable = new Set(lb.resourceIds.filter((id) => topology.nodes.has(id)));
  const keptBecause = new Map<string, string[]>();
  // Keeping one resource keeps what it references too, so repeat until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const id of [...deletable]) {
      const outside = (topology.referencedBy.get(id) ?? []).filter((referrer) => topology.nodes.has(referrer) && !deletable.has(referrer));
      if (outside.length === 0) continue;
      deletable.delete(id);
      keptBecause.set(id, outside);
      changed = true;
    }
  }

  const steps: DeletionStep[] = [];
  for (const id of deletable) {
    const node = topology.nodes.get(id);
    if (!node) continue;
    steps.push(deletionStep(node));
  }
  steps.sort((a, b) => a.phase - b.phase || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

  const kept: KeptResource[] = [];
  for (const [id, referrers] of keptBecause) {
    const node = topology.nodes.get(id);
    if (!node) continue;
    const otherLbs = otherLoadBalancersUsing(topology, lb, referrers);
    kept.push({
      id,
      kind: node.kind,
      name: node.name,
      reason: `${describeNode(node)} is ${referrers
        .map((referrer) => describeReferrer(topology, lb, referrer))
        .filter(unique)
        .join('; ')}`,
      usedBy: otherLbs.map((other) => other.id),
    });
  }
  for (const node of lb.unmodelled) {
    kept.push({ id: node.id, kind: node.collection, name: node.name, reason: unmodelledReason(node), usedBy: [] });
  }
  const order = (kind: string) => {
    return RESOURCE_KINDS[kind as ResourceKind]?.deletePhase ?? Number.MAX_SAFE_INTEGER;
  };
  kept.sort((a, b) => order(a.kind) - order(b.kind) || a.name.localeCompare(b.name));

  return {
    loadBalancerId: lb.id,
    loadBalancerName: lb.name,
    steps,
    kept,
    alreadyGone: lb.missing.filter((node) => node.expected !== 'runService'),
  };
}

/** One resource's deletion step: its kind's phase, name, region and selfLink. */
export function deletionStep(node: ResourceNode): DeletionStep {
  const kind = node.kind as DeletionStep['kind'];
  const result: DeletionStep = { phase: RESOURCE_KINDS[kind].deletePhase!, kind, id: node.id, name: node.name };
  const region = /\/regions\/([^/]+)\//.exec(node.id)?.[1];
  if (region) result.region = region;
  if ('selfLink' in node.resource && node.resource.selfLink) result.selfLink = node.resource.selfLink;
  if (node.kind === 'certificateMapEntry') result.parent = node.mapId.split('/').pop();
  return result;
}

function otherLoadBalancersUsing(topology: Topology, lb: LoadBalancer, resourceIds: string[]): LoadBalancer[] {
  const ids = new Set(resourceIds.flatMap((id) => topology.usedBy.get(id) ?? []).filter((id) => id !== lb.id));
  return topology.loadBalancers.filter((other) => ids.has(other.id));
}

function describeReferrer(topology: Topology, lb: LoadBalancer, referrerId: string): string {
  const others = otherLoadBalancersUsing(topology, lb, [referrerId]);
  if (others.length) return `also used by load balancer ${others.map((other) => other.name).join(', ')}`;
  const referrer = topology.nodes.get(referrerId);
  const label = referrer ? describeNode(referrer) : referrerId;
  if (lb.resourceIds.includes(referrerId)) return `still used by ${label}, which is kept`;
  return `also used by ${label}, which no load balancer uses`;
}

function unmodelledReason(node: UnmodelledNode): string {
  if (node.collection === 'certificateMaps')
    return `certificate map ${node.name} belongs to Certificate Manager and is not deleted with the load balancer`;
  return `${describeNode(node)} is not a kind this extension deletes; delete it in the Cloud Console`;
}

function unique(value: string, index: number, all: string[]): boolean {
  return all.indexOf(value) === index;
}
