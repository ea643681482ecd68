// Explorer benchmark: the first full render of both sections against the emulator at 20 ms per
// request, next to a naive per-region, per-resource listing run in the same process.
import * as os from 'os';
import { GcpConnection } from '../../src/core/gcp/connection';
import { loadInventory } from '../support/inventory';
import { buildTopology } from '../../src/core/topology/build';
import { ExplorerItem } from '../../src/core/explorer/item';
import { loadBalancerItems, serviceItems } from '../../src/core/explorer/explorerItems';
import { largeSeed } from '../emulator/seeds';
import { startEmulator } from '../emulator';

const PROJECT = 'demo-project';
const SHAPE = { services: 1000, regions: 30, loadBalancers: 100 };
const REQUEST_LATENCY_MS = 20;

function countRows(items: ExplorerItem[]): number {
  return items.reduce((n, item) => n + 1 + (item.children ? countRows(item.children()) : 0), 0);
}

export async function benchExplorer(): Promise<{
  fastMs: number;
  fastRequests: number;
  naiveMs: number;
  naiveRequests: number;
  rows: number;
}> {
  const emulator = await startEmulator({ seed: largeSeed(SHAPE), requestLatencyMs: REQUEST_LATENCY_MS, dns: false });
  try {
    const connection = new GcpConnection(
      { endpoint: emulator.url, endpointFromUserSettings: true, endpointCredentials: 'token', endpointToken: 'bench' },
      { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
    );
    await connection.apis(); // load the client module before timing, as a warm extension would have

    // What the explorer does: one parallel sweep, then the topology and every row of both sections.
    await emulator.control.resetRequests();
    let started = performance.now();
    const inventory = await loadInventory(connection, PROJECT);
    const topology = buildTopology(inventory);
    const rows = countRows(serviceItems(topology, inventory.services)) + countRows(loadBalancerItems(topology));
    const fastMs = performance.now() - started;
    const fastRequests = (await emulator.control.requests()).total;

    // The naive way: regions one by one, then every resource the rules reference, one GET each.
    await emulator.control.resetRequests();
    started = performance.now();
    const compute = connection.compute(PROJECT);
    const run = connection.run(PROJECT);
    const regions = await run.listRegions();
    let naiveItems = 0;
    for (const region of regions) {
      naiveItems += (await run.listServicesInRegion(region)).length;
      naiveItems += (await compute.listAll('networkEndpointGroups', { region })).length;
    }
    for (const rule of await compute.listAll('forwardingRules')) {
      const targetName = rule.target?.split('/').pop() ?? '';
      const https = /targetHttpsProxies/.test(rule.target ?? '');
      const proxy = https ? await compute.get('targetHttpsProxies', targetName) : await compute.get('targetHttpProxies', targetName);
      for (const cert of (proxy as { sslCertificates?: string[] }).sslCertificates ?? [])
        await compute.get('sslCertificates', cert.split('/').pop() ?? '');
      const urlMap = await compute.get('urlMaps', proxy.urlMap?.split('/').pop() ?? '');
      if (urlMap.defaultService) await compute.get('backendServices', urlMap.defaultService.split('/').pop() ?? '');
      naiveItems++;
    }
    const naiveMs = performance.now() - started;
    const naiveRequests = (await emulator.control.requests()).total;
    if (naiveItems === 0) throw new Error('the naive listing found nothing');
    return { fastMs, fastRequests, naiveMs, naiveRequests, rows };
  } finally {
    await emulator.close();
  }
}

export function printExplorer(result: Awaited<ReturnType<typeof benchExplorer>>): void {
  const budgetRequests = SHAPE.regions + 15;
  console.log(
    `explorer: ${SHAPE.services} services in ${SHAPE.regions} regions, ${SHAPE.loadBalancers} load balancers, ${REQUEST_LATENCY_MS} ms per request`,
  );
  console.log(
    `  first full render : ${result.fastMs.toFixed(0)} ms, ${result.fastRequests} requests, ${result.rows} rows (goal ≤ 1500 ms, ≤ ${budgetRequests} requests)`,
  );
  console.log(`  naive listing     : ${result.naiveMs.toFixed(0)} ms, ${result.naiveRequests} requests`);
  console.log(
    `  ratio             : ${(result.fastMs / result.naiveMs).toFixed(3)} of the naive time, ${(result.fastRequests / result.naiveRequests).toFixed(3)} of its requests`,
  );
  console.log(`  verdict           : ${result.fastMs <= 1500 && result.fastRequests <= budgetRequests ? 'within goal' : 'OVER GOAL'}`);
}
