// Undo and Delete load balancer as use cases: confirm exactly what goes, do it with progress and
// Cancel, then have the live model re-read what changed. No vscode: the person is reached through FlowUi.
import { deleteLoadBalancer, summarizeDeletion, type DeletionReport } from '../apply/deleteLoadBalancer';
import { summarizeUndo, undoApply, type UndoReport } from '../apply/applyUndo';
import type { CloudDnsClient } from '../gcp/cloudDns';
import type { CertificateManagerClient } from '../gcp/certificateManager';
import type { ComputeClient } from '../gcp/compute';
import { CloudError } from '../gcp/errors';
import { CERTIFICATE_MANAGER_KINDS, kindLabel, stepLabel } from '../kinds/registry';
import { COMPUTE_PARTS, INVENTORY_PARTS, type ProjectModel } from '../model/projectModel';
import { planLoadBalancerDeletion } from '../topology/deletePlan';
import type { Topology } from '../topology/model';
import type { DeletionPlan } from '../topology/deletePlan';
import type { ApplyHistories, PlanHistory } from './applyHistory';
import type { FlowUi } from './flowUi';

export interface UseCaseDeps {
  model: ProjectModel;
  compute: ComputeClient;
  /** For Certificate Manager's resources (a load balancer serving a certificate map). */
  certificateManager?: CertificateManagerClient;
  ui: FlowUi;
  /** For Undo of plans that wrote Cloud DNS records. */
  dns?: CloudDnsClient;
}

/**
 * Deletes what a plan's runs created, after the person confirms the list. What could not be deleted
 * (a failure, a cancel) stays in the history, so Undo can be run again for it.
 */
export async function undoPlan(history: PlanHistory, histories: ApplyHistories, deps: UseCaseDeps): Promise<UndoReport | undefined> {
  const { plan } = history;
  const certificates = history.attachedCertificates ?? [];
  const dnsRecords = history.dnsRecords ?? [];
  const amended = history.amended ?? [];
  const what = [
    ...amended.map((a) => `put back the ${stepLabel(a.kind)} ${a.name} as it was`),
    ...certificates.map((c) => `detach ${c.certificate.split('/').pop()} from ${c.httpsProxy} (the old certificate stays)`),
    ...history.created.map((r) => r.name),
    ...history.attached.map((a) => `NEG on ${a.backendService}`),
    ...dnsRecords.map(
      (d) =>
        `${d.previous ? 'restore' : 'remove'} ${d.type} record ${d.name} in Cloud DNS zone ${d.zone}${d.previous ? ` (back to ${d.previous.rrdatas.join(', ')})` : ''}`,
    ),
  ];
  if (!what.length) {
    deps.ui.info('That run created nothing, so there is nothing to undo.');
    return undefined;
  }
  const detail = `Deletes only what its runs created:\n${what.map((w) => `  • ${w}`).join('\n')}`;
  if (!(await deps.ui.confirm(`Undo what this plan created for ${plan.service}?`, detail, 'Undo'))) return undefined;
  const report = await deps.ui.withProgress(`Undoing ${plan.service}`, (progress, signal) =>
    undoApply(history, deps.compute, {
      signal,
      dns: deps.dns,
      certificateManager: deps.certificateManager,
      onEvent: (e) => progress(`${'resource' in e ? e.resource.name : e.attachment.backendService}: ${e.type}`),
    }),
  );
  const summary = summarizeUndo(report);
  deps.ui.log(`Undo ${plan.service}: ${summary}`);
  const left = new Set<unknown>([...report.failed.map((f) => f.resource), ...report.cancelled]);
  history.created = history.created.filter((r) => left.has(r));
  history.attached = history.attached.filter((a) => left.has(a));
  if (history.attachedCertificates) history.attachedCertificates = history.attachedCertificates.filter((a) => left.has(a));
  history.dnsRecords = dnsRecords.filter((d) => left.has(d));
  history.amended = amended.filter((a) => left.has(a));
  if (
    !history.created.length &&
    !history.attached.length &&
    !history.attachedCertificates?.length &&
    !history.dnsRecords.length &&
    !history.amended.length
  )
    histories.forget(history);
  else histories.keep(history);
  await deps.model.afterWrite([...INVENTORY_PARTS, 'iam', ...(dnsRecords.length ? (['cloudDns', 'dns'] as const) : [])]);
  if (left.size) deps.ui.warn(`${summary} Run Undo again for what is left.`);
  else deps.ui.info(summary);
  return report;
}

/**
 * Deletes a load balancer: planned from a fresh read (a rule added since the last look would block
 * the proxy's delete), shown exactly (what goes, in order, and what is kept), then done in order.
 */
export async function deleteLoadBalancerFlow(loadBalancerId: string, deps: UseCaseDeps): Promise<DeletionReport | undefined> {
  const topology = await freshTopology(deps);
  const plan = planLoadBalancerDeletion(topology, loadBalancerId);
  if (!plan) throw new CloudError('That load balancer no longer exists. Refresh the explorer.', { kind: 'notFound' });
  const detail = [
    `These ${plan.steps.length} resources will be deleted, in this order:`,
    ...plan.steps.map((s) => `  • ${kindLabel(s.kind)} ${s.name}${s.region ? ` (${s.region})` : ''}`),
    ...(plan.kept.length ? ['', 'Kept:', ...plan.kept.map((k) => `  • ${k.reason}`)] : []),
    '',
    'Cloud Run services are not touched.',
  ].join('\n');
  return confirmAndDelete(
    deps,
    plan,
    { question: `Delete load balancer ${plan.loadBalancerName}?`, progress: `Deleting load balancer ${plan.loadBalancerName}` },
    detail,
    summarizeDeletion,
  );
}

/** The load balancing resources as they are now: a delete judged on an older read could fail or remove too much. */
export async function freshTopology(deps: UseCaseDeps): Promise<Topology> {
  await deps.model.read([...COMPUTE_PARTS, ...CERTIFICATE_MANAGER_KINDS], 'refresh');
  if (deps.model.problem) throw deps.model.problem;
  const topology = deps.model.topology;
  if (!topology)
    throw (
      deps.model.loadBalancingError ?? new CloudError('The load balancing resources could not be listed; see the log.', { kind: 'unknown' })
    );
  return topology;
}

/** Asks, deletes in dependency order with progress and Cancel, says what happened, and has the model re-read. */
export async function confirmAndDelete<P extends DeletionPlan>(
  deps: UseCaseDeps,
  plan: P,
  titles: { question: string; progress: string },
  detail: string,
  summarize: (plan: P, report: DeletionReport) => string,
): Promise<DeletionReport | undefined> {
  if (!(await deps.ui.confirm(titles.question, detail, 'Delete'))) return undefined;
  const report = await deps.ui.withProgress(titles.progress, (progress, signal) =>
    deleteLoadBalancer(plan, deps.compute, {
      signal,
      certificateManager: deps.certificateManager,
      onProgress: (p) => progress(p.outcome === 'deleting' ? `${p.step.name}…` : `${p.step.name}: ${p.outcome}`),
    }),
  );
  const summary = summarize(plan, report);
  deps.ui.log(summary);
  for (const f of report.failed) deps.ui.log(`${f.step.name}: ${f.error.message}`);
  await deps.model.afterWrite([...COMPUTE_PARTS, ...CERTIFICATE_MANAGER_KINDS]);
  if (report.failed.length || report.skipped.length) deps.ui.warn(summary);
  else deps.ui.info(summary);
  return report;
}
