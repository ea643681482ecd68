import { buildTopology } from '../../src/core/topology/build';
import { servicesBehindLoadBalancers } from '../../src/core/topology/queries';
import type { GcpConnection } from '../../src/core/gcp/connection';
import { CloudError } from '../../src/core/gcp/errors';
import { readInvokers } from '../../src/core/gcp/run';
import type { Inventory } from '../../src/core/gcp/types';

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
    connection.compute(project).loadLoadBalancing(signal),
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
