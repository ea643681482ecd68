// Undo and Delete load balancer as use cases: confirm exactly what goes, do it with progress and
// Cancel, then have the live model re-read what changed. No vscode: the person is reached through FlowUi.
import { deleteLoadBalancer, summarizeDeletion, type DeletionReport } from '../apply/deleteLoadBalancer';
import { summarizeUndo, undoApply, type UndoReport } from '../apply/applyUndo';
import { CERTIFICATE_MANAGER_KINDS, type CertificateManagerClient } from '../gcp/certificateManager';
import type { ComputeClient } from '../gcp/compute';
import { CloudError } from '../gcp/errors';
import { kindLabel } from '../gcp/resourceKinds';
import { COMPUTE_PARTS, INVENTORY_PARTS, type ProjectModel } from '../model/projectModel';
import { planLoadBalancerDeletion } from '../topology';
import type { ApplyHistories, PlanHistory } from './applyHistory';
import type { FlowUi } from './flowUi';

export interface UseCaseDeps {
  model: ProjectModel;
  compute: ComputeClient;
  /** For Certificate Manager's resources (a load balancer serving a certificate map). */
  certificateManager?: CertificateManagerClient;
  ui: FlowUi;
}

/**
 * Deletes what a plan's runs created, after the person confirms the list. What could not be deleted
 * (a failure, a cancel) stays in the history, so Undo can be run again for it.
 */
export async function undoPlan(history: PlanHistory, histories: ApplyHistories, deps: UseCaseDeps): Promise<UndoReport | undefined> {
  const { plan } = history;
  const what = [...history.created.map((r) => r.name), ...history.attached.map((a) => `NEG on ${a.backendService}`)];
  if (!what.length) {
    deps.ui.info('That run created nothing, so there is nothing to undo.');
    return undefined;
  }
  const detail = `Deletes only what its runs created:\n${what.map((w) => `  • ${w}`).join('\n')}`;
  if (!(await deps.ui.confirm(`Undo what this plan created for ${plan.service}?`, detail, 'Undo'))) return undefined;
  const report = await deps.ui.withProgress(`Undoing ${plan.service}`, (progress, signal) => undoApply(history, deps.compute, {
    signal, certificateManager: deps.certificateManager,
    onEvent: (e) => progress(`${'resource' in e ? e.resource.name : e.attachment.backendService}: ${e.type}`),
  }));
  const summary = summarizeUndo(report);
  deps.ui.log(`Undo ${plan.service}: ${summary}`);
  const left = new Set<unknown>([...report.failed.map((f) => f.resource), ...report.cancelled]);
  history.created = history.created.filter((r) => left.has(r));
  history.attached = history.attached.filter((a) => left.has(a));
  if (!history.created.length && !history.attached.length) histories.forget(history);
  else histories.keep(history);
  await deps.model.afterWrite([...INVENTORY_PARTS, 'iam']);
  if (left.size) deps.ui.warn(`${summary} Run Undo again for what is left.`);
  else deps.ui.info(summary);
  return report;
}

/**
 * Deletes a load balancer: planned from a fresh read (a rule added since the last look would block
 * the proxy's delete), shown exactly (what goes, in order, and what is kept), then done in order.
 */
export async function deleteLoadBalancerFlow(loadBalancerId: string, deps: UseCaseDeps): Promise<DeletionReport | undefined> {
  await deps.model.read([...COMPUTE_PARTS, ...CERTIFICATE_MANAGER_KINDS], 'refresh');
  if (deps.model.problem) throw deps.model.problem;
  const topology = deps.model.topology;
  if (!topology) throw deps.model.loadBalancingError ?? new CloudError('The load balancers could not be listed; see the log.', { kind: 'unknown' });
  const plan = planLoadBalancerDeletion(topology, loadBalancerId);
  if (!plan) throw new CloudError('That load balancer no longer exists. Refresh the explorer.', { kind: 'notFound' });
  const detail = [
    `These ${plan.steps.length} resources will be deleted, in this order:`,
    ...plan.steps.map((s) => `  • ${kindLabel(s.kind)} ${s.name}${s.region ? ` (${s.region})` : ''}`),
    ...(plan.kept.length ? ['', 'Kept:', ...plan.kept.map((k) => `  • ${k.reason}`)] : []),
    '', 'Cloud Run services are not touched.',
  ].join('\n');
  if (!(await deps.ui.confirm(`Delete load balancer ${plan.loadBalancerName}?`, detail, 'Delete'))) return undefined;
  const report = await deps.ui.withProgress(`Deleting load balancer ${plan.loadBalancerName}`, (progress, signal) => deleteLoadBalancer(plan, deps.compute, {
    signal, certificateManager: deps.certificateManager,
    onProgress: (p) => progress(p.outcome === 'deleting' ? `${p.step.name}…` : `${p.step.name}: ${p.outcome}`),
  }));
  const summary = summarizeDeletion(plan, report);
  deps.ui.log(summary);
  for (const f of report.failed) deps.ui.log(`${f.step.name}: ${f.error.message}`);
  await deps.model.afterWrite([...COMPUTE_PARTS, ...CERTIFICATE_MANAGER_KINDS]);
  if (report.failed.length || report.skipped.length) deps.ui.warn(summary);
  else deps.ui.info(summary);
  return report;
}
