// What cleaning up unattached resources deletes, in the order Google accepts, and what it must keep:
// a chosen resource that a load balancer now uses, or that something not chosen still references.
import { RESOURCE_KINDS } from '../kinds/registry';
import { deletionStep, type DeletionPlan, type KeptResource } from './deletePlan';
import type { ResourceNode, Topology } from './model';
import { describeNode } from './queries';

export interface CleanUpPlan extends DeletionPlan {
  /** Chosen resources that no longer exist: nothing to do for them. */
  gone: string[];
}

/** Every unattached resource this extension can delete, in deletion order. */
export function unattachedResources(topology: Topology): ResourceNode[] {
  const u = topology.unattached;
  const nodes: ResourceNode[] = [
    ...u.targetProxies,
    ...u.urlMaps,
    ...u.sslCertificates,
    ...u.backendServices,
    ...u.backendBuckets,
    ...u.networkEndpointGroups,
    ...u.addresses,
  ];
  return nodes.sort(byPhase);
}

/** The plan for deleting the chosen resources (topology ids), judged on `topology` as it is now. */
export function planUnattachedDeletion(topology: Topology, chosenIds: readonly string[]): CleanUpPlan {
  const unattached = new Set(unattachedResources(topology).map((n) => n.id));
  const gone: string[] = [];
  const kept: KeptResource[] = [];
  const deletable = new Set<string>();
  for (const id of new Set(chosenIds)) {
    const node = topology.nodes.get(id);
    if (!node) {
      gone.push(id.split('/').pop() ?? id);
    } else if (!unattached.has(id)) {
      const lbs = (topology.usedBy.get(id) ?? []).map((lbId) => topology.loadBalancers.find((lb) => lb.id === lbId)?.name ?? lbId);
      kept.push(keptOf(node, lbs.length ? `is now used by load balancer ${lbs.join(', ')}` : 'is in use', lbs));
    } else {
      deletable.add(id);
    }
  }
  // A resource something not being deleted references cannot go (resourceInUseByAnotherResource);
  // keeping it keeps what it references too, so repeat until nothing changes.
  const keptBecause = new Map<string, string[]>();
  for (let changed = true; changed;) {
    changed = false;
    for (const id of [...deletable]) {
      const outside = (topology.referencedBy.get(id) ?? []).filter((referrer) => topology.nodes.has(referrer) && !deletable.has(referrer));
      if (!outside.length) continue;
      deletable.delete(id);
      keptBecause.set(id, outside);
      changed = true;
    }
  }
  for (const [id, referrers] of keptBecause) {
    const node = topology.nodes.get(id)!;
    const by = referrers
      .map((r) => topology.nodes.get(r))
      .filter((n): n is ResourceNode => !!n)
      .map(describeNode);
    kept.push(keptOf(node, `is still used by ${by.join(', ')}, which is not being deleted`, []));
  }
  const steps = [...deletable].map((id) => deletionStep(topology.nodes.get(id)!));
  steps.sort((a, b) => a.phase - b.phase || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { loadBalancerId: '', loadBalancerName: 'unattached resources', steps, kept, alreadyGone: [], gone };
}

function keptOf(node: ResourceNode, why: string, usedBy: string[]): KeptResource {
  return { id: node.id, kind: node.kind, name: node.name, reason: `${describeNode(node)} ${why}`, usedBy };
}

function byPhase(a: ResourceNode, b: ResourceNode): number {
  return (RESOURCE_KINDS[a.kind].deletePhase ?? 99) - (RESOURCE_KINDS[b.kind].deletePhase ?? 99) || a.name.localeCompare(b.name);
}
