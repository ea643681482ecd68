// Carries out a load balancer's deletion plan: phase by phase in dependency order, the steps of a
// phase in parallel; a failure is reported and does not stop what can still be deleted.
import type { CertificateManagerClient } from '../gcp/certificateManager';
import type { ComputeClient } from '../gcp/compute';
import { RESOURCE_KINDS } from '../kinds/registry';
import { deleteResource } from './stepTools';
import { CloudError, isCancellation, toCloudError } from '../gcp/errors';
import type { DeletionPlan, DeletionStep } from '../topology/deletePlan';

export interface DeletionReport {
  deleted: DeletionStep[];
  /** Already gone when we got there (deleted by someone else meanwhile). */
  alreadyGone: DeletionStep[];
  failed: { step: DeletionStep; error: CloudError }[];
  /** Not attempted because the run was cancelled. */
  skipped: DeletionStep[];
}

export interface DeletionProgress {
  step: DeletionStep;
  outcome: 'deleting' | 'deleted' | 'alreadyGone' | 'failed';
  done: number;
  total: number;
}

export async function deleteLoadBalancer(
  plan: DeletionPlan,
  compute: ComputeClient,
  options: { signal?: AbortSignal; onProgress?: (progress: DeletionProgress) => void; certificateManager?: CertificateManagerClient } = {},
): Promise<DeletionReport> {
  const report: DeletionReport = { deleted: [], alreadyGone: [], failed: [], skipped: [] };
  const deleteOne = (step: DeletionStep): Promise<boolean> =>
    deleteResource(
      RESOURCE_KINDS[step.kind],
      step,
      { compute, certificateManager: options.certificateManager },
      {
        signal: options.signal,
        again: 'delete the load balancer again',
      },
    );
  const total = plan.steps.length;
  let done = 0;
  for (const phase of [...new Set(plan.steps.map((s) => s.phase))].sort((a, b) => a - b)) {
    const steps = plan.steps.filter((s) => s.phase === phase);
    if (options.signal?.aborted) {
      report.skipped.push(...steps);
      continue;
    }
    await Promise.all(
      steps.map(async (step) => {
        options.onProgress?.({ step, outcome: 'deleting', done, total });
        let outcome: DeletionProgress['outcome'];
        try {
          const existed = await deleteOne(step);
          outcome = existed ? 'deleted' : 'alreadyGone';
          (existed ? report.deleted : report.alreadyGone).push(step);
        } catch (err) {
          if (isCancellation(err)) {
            report.skipped.push(step);
            return;
          }
          outcome = 'failed';
          report.failed.push({ step, error: toCloudError(err) });
        }
        options.onProgress?.({ step, outcome, done: ++done, total });
      }),
    );
  }
  return report;
}

/** One paragraph for the user: what was deleted, and what was not and why. */
export function summarizeDeletion(plan: DeletionPlan, report: DeletionReport): string {
  const parts = [`Deleted ${report.deleted.length} of ${plan.steps.length} resources of load balancer ${plan.loadBalancerName}.`];
  if (report.alreadyGone.length) parts.push(`${report.alreadyGone.length} were already gone.`);
  for (const { step, error } of report.failed) parts.push(`Not deleted: ${step.name} (${error.message})`);
  if (report.skipped.length) parts.push(`Cancelled before: ${report.skipped.map((s) => s.name).join(', ')}.`);
  if (plan.kept.length) parts.push(`Kept: ${plan.kept.map((k) => k.reason).join('; ')}.`);
  return parts.join(' ');
}
