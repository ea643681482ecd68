// Apply benchmark: a full "make global" (two regions, one deployed first, HTTPS redirect) against
// the emulator at 500 ms per operation, as Apply runs it, next to the same plan run one step at a
// time (the seed's way), in the same process.
import * as os from 'os';
import { applyPlan, DEFAULT_CONCURRENCY } from '../../src/core/apply/applyPlan';
import { GcpConnection } from '../../src/core/gcp/connection';
import { loadInventory } from '../support/inventory';
import { buildPlan } from '../../src/core/plan/build';
import type { GlobalizeRequest } from '../../src/core/plan/types';
import { startEmulator } from '../emulator';

const PROJECT = 'demo-project';
export const OPERATION_LATENCY_MS = 500;
/** Operations on the critical path (address, proxy chain, rule…): no schedule can beat this many latencies. */
export const APPLY_CRITICAL_OPERATIONS = 4;
const GOAL_RATIO = 0.4;

const REQUEST: GlobalizeRequest = {
  project: PROJECT,
  service: 'my-global-app',
  regions: ['us-central1', 'europe-west1'],
  domains: ['app.example.com'],
  options: { cdn: true, httpsRedirect: true, ipv6: false },
  deploy: {
    regions: ['europe-west1'],
    manifest: {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'my-global-app', namespace: 'default' },
      spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] } } },
    },
  },
};

export interface ApplyBenchResult {
  steps: number;
  criticalPath: string[];
  parallelMs: number;
  sequentialMs: number;
  concurrency: number;
}

export async function benchApply(): Promise<ApplyBenchResult> {
  const emulator = await startEmulator({ seed: 'demo', operationLatencyMs: OPERATION_LATENCY_MS, dns: false });
  try {
    const connection = new GcpConnection(
      { endpoint: emulator.url, endpointFromUserSettings: true, endpointCredentials: 'token', endpointToken: 'bench' },
      { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
    );
    const clients = { compute: connection.compute(PROJECT), run: connection.run(PROJECT) };
    const timed = async (concurrency: number) => {
      await emulator.control.reset();
      const plan = buildPlan(REQUEST, await loadInventory(connection, PROJECT));
      const started = performance.now();
      const result = await applyPlan(plan, clients, { concurrency });
      const ms = performance.now() - started;
      if (!result.ok)
        throw new Error(
          `apply (concurrency ${concurrency}) did not finish: ${result.steps
            .filter((s) => s.outcome !== 'created' && s.outcome !== 'updated')
            .map((s) => `${s.stepId} ${s.outcome} ${s.message}`)
            .join('; ')}`,
        );
      return { ms, plan };
    };
    await timed(DEFAULT_CONCURRENCY); // warm-up: loads the client module and JIT-compiles the paths
    const parallel = await timed(DEFAULT_CONCURRENCY);
    const sequential = await timed(1);
    return {
      steps: parallel.plan.steps.length,
      criticalPath: parallel.plan.criticalPath,
      parallelMs: parallel.ms,
      sequentialMs: sequential.ms,
      concurrency: DEFAULT_CONCURRENCY,
    };
  } finally {
    await emulator.close();
  }
}

export function printApply(result: ApplyBenchResult): void {
  const ratio = result.parallelMs / result.sequentialMs;
  console.log(`apply: ${result.steps} steps, ${OPERATION_LATENCY_MS} ms per operation, critical path ${result.criticalPath.join(' → ')}`);
  console.log(`  Apply (concurrency ${result.concurrency}) : ${result.parallelMs.toFixed(0)} ms`);
  console.log(`  one step at a time   : ${result.sequentialMs.toFixed(0)} ms`);
  console.log(`  ratio                : ${ratio.toFixed(3)} (goal ≤ ${GOAL_RATIO})`);
  console.log(
    `  over the limit       : ${(result.parallelMs / (APPLY_CRITICAL_OPERATIONS * OPERATION_LATENCY_MS)).toFixed(3)} of ${APPLY_CRITICAL_OPERATIONS} × ${OPERATION_LATENCY_MS} ms (goal ≤ 1.10)`,
  );
  const overLimit = result.parallelMs / (APPLY_CRITICAL_OPERATIONS * OPERATION_LATENCY_MS);
  console.log(`  verdict              : ${ratio <= GOAL_RATIO && overLimit <= 1.1 ? 'within goal' : 'OVER GOAL'}`);
}

if (require.main === module) {
  benchApply()
    .then(printApply)
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
