import { buildTopology } from '../../src/core/topology/build';
import { servicesBehindLoadBalancers } from '../../src/core/topology/queries';
import type { GcpConnection } from '../../src/core/gcp/connection';
import { CloudError } from '../../src/core/gcp/errors';
import { readInvokers } from '../../src/core/gcp/run';
import type { ComputeClient } from '../../src/core/gcp/compute';
import type { Inventory } from '../../src/core/gcp/types';
import { COMPUTE_KINDS } from '../../src/core/kinds/registry';

/** Every Compute list the topology is made of, in parallel; NEGs of every region and zone in one aggregated list. */
async function loadLoadBalancing(compute: ComputeClient, signal?: AbortSignal): Promise<Omit<Inventory, 'project' | 'services'>> {
  const lists = await Promise.all(
    COMPUTE_KINDS.map(async (kind) => {
      if (kind !== 'networkEndpointGroups') return [kind, await compute.listAll(kind, { signal })] as const;
      const all = [];
      for await (const neg of compute.listNetworkEndpointGroupsEverywhere(signal)) all.push(neg);
      return [kind, all] as const;
    }),
  );
  return Object.fromEntries(lists) as Omit<Inventory, 'project' | 'services'>;
}

/**
 * Everything the explorer, the diagnostics and the wizard read, in one parallel sweep: nine Compute
 * lists (NEGs aggregated over all regions) and one Cloud Run list over all regions; with `invokers`,
 * then the IAM policy of every Cloud Run service a load balancer routes to (as the live model reads it).
 */
export async function loadInventory(
  connection: GcpConnection,
  project: string,
  signal?: AbortSignal,
  options: { invokers?: boolean } = {},
): Promise<Inventory> {
  const [loadBalancing, services, certificateManager] = await Promise.all([
    loadLoadBalancing(connection.compute(project), signal),
    connection.run(project).listServices(signal),
    connection
      .certificateManager(project)
      .loadAll(signal)
      .catch((err: unknown) => {
        // With the API off there is nothing of it to read.
        if (err instanceof CloudError && err.kind === 'apiDisabled') return undefined;
        throw err;
      }),
  ]);
  const inventory: Inventory = { project, ...loadBalancing, services, ...(certificateManager ? { certificateManager } : {}) };
  if (options.invokers)
    inventory.invokers = await readInvokers(connection.run(project), servicesBehindLoadBalancers(buildTopology(inventory)));
  return inventory;
}
