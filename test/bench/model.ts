// Live-model benchmarks: the first full render of a large project through the model (what the explorer
// shows), and the requests of one scheduled round and of "Re-check now" with 1 and with 20 Knative
// documents open, each watching its load balancer's domains as the diagnostics do.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as os from 'os';
import * as path from 'path';
import { createDnsResolver } from '../../src/core/dns/resolver';
import { GcpConnection } from '../../src/core/gcp/connection';
import { INVENTORY_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import { RefreshScheduler } from '../../src/core/model/refreshScheduler';
import { ExplorerItem } from '../../src/core/explorer/item';
import { loadBalancerItems, serviceItems } from '../../src/core/explorer/explorerItems';
import { largeSeed } from '../emulator/seeds';
import { startEmulator } from '../emulator';
import { EmulatorControl } from '../emulator/control';

const PROJECT = 'demo-project';
export const LARGE_SHAPE = { services: 10_000, regions: 30, loadBalancers: 1_000 };
const REQUEST_LATENCY_MS = 20;

function countRows(items: ExplorerItem[]): number {
  return items.reduce((n, item) => n + 1 + (item.children ? countRows(item.children()) : 0), 0);
}

function connectionTo(url: string): GcpConnection {
  return new GcpConnection(
    { endpoint: url, endpointFromUserSettings: true, endpointCredentials: 'token', endpointToken: 'bench' },
    { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
  );
}

export interface ModelBenchResult {
  explorer10kMs: number;
  /** Where the first full render's time went: the reads, the topology, the 67,000 rows. */
  explorer10kParts: { readsMs: number; topologyMs: number; rowsMs: number };
  explorer10kRequests: number;
  rows: number;
  pollRequests1Doc: number;
  pollRequests20Docs: number;
  recheckRequests1Doc: number;
  recheckRequests20Docs: number;
}

/**
 * The emulator in a process of its own, as Google's servers are: rendering 10,000 services must not
 * be counted as the extension's time on a machine with cores to spare.
 */
async function emulatorProcess(seed: unknown, requestLatencyMs: number): Promise<{ url: string; control: EmulatorControl; close(): void }> {
  const file = path.join(os.tmpdir(), `crg-bench-seed-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(seed));
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(__dirname, '..', 'emulator', 'cli.js'), '--port', '0', '--seed', file, '--request-latency', String(requestLatencyMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (found) resolve(found[0]);
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${out}`)));
  });
  return { url, control: new EmulatorControl(url), close: () => child.kill() };
}

export async function benchModel(): Promise<ModelBenchResult> {
  const large = await emulatorProcess(largeSeed(LARGE_SHAPE), REQUEST_LATENCY_MS);
  let explorer10kMs: number, explorer10kParts: ModelBenchResult['explorer10kParts'], explorer10kRequests: number, rows: number;
  try {
    // Google's servers are warm: the emulator renders each service once, on this untimed read, as Google would not.
    await (
      await fetch(`${large.url}/v1/projects/${PROJECT}/locations/-/services`, { headers: { authorization: 'Bearer bench' } })
    ).arrayBuffer();
    const connection = connectionTo(large.url);
    await connection.apis(); // the client module loaded, as in a warm extension
    const model = new ProjectModel({
      connect: () => ({
        project: PROJECT,
        compute: connection.compute(PROJECT),
        run: connection.run(PROJECT),
        dns: connection.cloudDns(PROJECT),
        certificateManager: connection.certificateManager(PROJECT),
      }),
      resolver: () => createDnsResolver({}),
    });
    await large.control.resetRequests();
    const started = performance.now();
    await model.ensure(INVENTORY_PARTS);
    const read = performance.now();
    const topology = model.topology!;
    const built = performance.now();
    rows = countRows(serviceItems(topology, model.services ?? [])) + countRows(loadBalancerItems(topology));
    explorer10kMs = performance.now() - started;
    explorer10kParts = { readsMs: read - started, topologyMs: built - read, rowsMs: started + explorer10kMs - built };
    explorer10kRequests = (await large.control.requests()).total;
  } finally {
    large.close();
  }

  // The demo project: one load balancer whose certificate provisions (api.example.com).
  const demo = await startEmulator({ seed: 'demo' });
  try {
    const connection = connectionTo(demo.url);
    const requestsOf = async (documents: number, what: 'round' | 'recheck') => {
      const model = new ProjectModel({
        connect: () => ({
          project: PROJECT,
          compute: connection.compute(PROJECT),
          run: connection.run(PROJECT),
          dns: connection.cloudDns(PROJECT),
          certificateManager: connection.certificateManager(PROJECT),
        }),
        resolver: () => createDnsResolver({ servers: [`127.0.0.1:${demo.dnsPort}`] }),
      });
      for (let i = 0; i < documents; i++) model.watch({ visible: () => true, pending: () => true, domains: () => ['api.example.com'] });
      await model.read([...INVENTORY_PARTS, 'operations', 'dns']);
      const scheduler = new RefreshScheduler(model);
      try {
        await demo.control.resetRequests();
        if (what === 'round') await scheduler.round();
        else await model.recheck();
        return (await demo.control.requests()).total;
      } finally {
        scheduler.dispose();
        model.dispose();
      }
    };
    return {
      explorer10kMs,
      explorer10kParts,
      explorer10kRequests,
      rows,
      pollRequests1Doc: await requestsOf(1, 'round'),
      pollRequests20Docs: await requestsOf(20, 'round'),
      recheckRequests1Doc: await requestsOf(1, 'recheck'),
      recheckRequests20Docs: await requestsOf(20, 'recheck'),
    };
  } finally {
    await demo.close();
  }
}

export function printModel(r: ModelBenchResult): void {
  console.log(
    `live model: ${LARGE_SHAPE.services} services in ${LARGE_SHAPE.regions} regions, ${LARGE_SHAPE.loadBalancers} load balancers, ${REQUEST_LATENCY_MS} ms per request`,
  );
  console.log(
    `  first full render : ${r.explorer10kMs.toFixed(0)} ms, ${r.explorer10kRequests} requests, ${r.rows} rows (goal ≤ 1000 ms, ≤ 60 requests)`,
  );
  console.log(
    `                      reads ${r.explorer10kParts.readsMs.toFixed(0)} ms, topology ${r.explorer10kParts.topologyMs.toFixed(0)} ms, rows ${r.explorer10kParts.rowsMs.toFixed(0)} ms`,
  );
  console.log(
    `  one round, certificate provisioning : ${r.pollRequests1Doc} requests with 1 document, ${r.pollRequests20Docs} with 20 (goal: equal, ≤ 3)`,
  );
  console.log(
    `  "Re-check now"                      : ${r.recheckRequests1Doc} requests with 1 document, ${r.recheckRequests20Docs} with 20 (goal ≤ 12)`,
  );
  const ok =
    r.explorer10kMs <= 1000 &&
    r.explorer10kRequests <= 60 &&
    r.pollRequests1Doc === r.pollRequests20Docs &&
    r.pollRequests20Docs <= 3 &&
    r.recheckRequests20Docs <= 12;
  console.log(`  verdict           : ${ok ? 'within goal' : 'OVER GOAL'}`);
}
