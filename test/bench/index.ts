// `npm run bench`: every benchmark, printing numbers measured side by side in one process, then one
// line `BENCH {json}` with the figures the budgets are checked against.
import { benchActivation, printActivation, type ActivationBenchResult } from './activation';
import { APPLY_CRITICAL_OPERATIONS, benchApply, OPERATION_LATENCY_MS, printApply, type ApplyBenchResult } from './apply';
import { benchExplorer, printExplorer } from './explorer';
import { benchModel, printModel, type ModelBenchResult } from './model';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const bench: Record<string, number> = {};
  if (!only.length || only.includes('explorer')) printExplorer(await benchExplorer());
  if (!only.length || only.includes('model')) {
    const r: ModelBenchResult = await benchModel();
    printModel(r);
    Object.assign(bench, {
      explorer10k_ms: Math.round(r.explorer10kMs),
      explorer10k_requests: r.explorer10kRequests,
      poll_requests_1doc: r.pollRequests1Doc,
      poll_requests_20docs: r.pollRequests20Docs,
      recheck_requests_20docs: r.recheckRequests20Docs,
    });
  }
  if (!only.length || only.includes('apply')) {
    const r: ApplyBenchResult = await benchApply();
    printApply(r);
    Object.assign(bench, {
      apply_ms: Math.round(r.parallelMs),
      apply_ratio_to_limit: +(r.parallelMs / (APPLY_CRITICAL_OPERATIONS * OPERATION_LATENCY_MS)).toFixed(3),
      apply_ratio_to_sequence: +(r.parallelMs / r.sequentialMs).toFixed(3),
    });
  }
  // Last: it starts code-server and Chromium, and stops everything below this process when it ends.
  if (!only.length || only.includes('activation')) {
    const r: ActivationBenchResult = await benchActivation();
    printActivation(r);
    Object.assign(bench, {
      activation_ms: r.oursMedianMs,
      activation_ratio_emmet: +r.ratioMedian.toFixed(3),
      activation_after_start_ms: r.oursAfterStartMedianMs,
      activation_after_start_ratio_emmet: +r.ratioAfterStartMedian.toFixed(3),
      first_lens_ms: r.firstLensMedianMs,
      first_lens_any_provider_asked_ms: r.pathMedian.anyLensesAskedMs,
      first_lens_provider_registered_ms: r.pathMedian.providerRegisteredMs,
      first_lens_asked_ms: r.pathMedian.lensesAskedMs,
    });
  }
  console.log(`BENCH ${JSON.stringify(bench)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
