import type { GcpConnection } from './connection';
import type { Inventory } from './types';

/**
 * Everything the explorer, the diagnostics and the wizard read, in one parallel sweep: nine Compute
 * lists (NEGs aggregated over all regions) and one Cloud Run list over all regions.
 */
export async function loadInventory(connection: GcpConnection, project: string, signal?: AbortSignal): Promise<Inventory> {
  const [loadBalancing, services] = await Promise.all([
    connection.compute(project).loadLoadBalancing(signal),
    connection.run(project).listServices(signal),
  ]);
  return { project, ...loadBalancing, services };
}
