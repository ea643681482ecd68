// Clean up unattached resources as a use case: re-read the project, ask which to delete (or take the
// rows chosen), confirm exactly what goes and what is kept, delete in dependency order with progress
// and Cancel, then have the live model re-read. No vscode: the person is reached through CleanUpUi.
import type { DeletionReport } from '../apply/deleteLoadBalancer';
import { kindLabel, RESOURCE_KINDS } from '../kinds/registry';
import { planUnattachedDeletion, unattachedResources, type CleanUpPlan } from '../topology/cleanupPlan';
import type { ResourceNode } from '../topology/model';
import type { FlowUi } from './flowUi';
import { confirmAndDelete, freshTopology, type UseCaseDeps } from './undoAndDelete';

export interface CleanUpChoice {
  id: string;
  label: string;
  description: string;
}

export interface CleanUpUi extends FlowUi {
  /** A list with checkboxes; the ids chosen, or undefined when the person cancelled. */
  pickMany(title: string, choices: CleanUpChoice[]): Promise<string[] | undefined>;
}

export interface CleanUpResult {
  plan: CleanUpPlan;
  report: DeletionReport;
}

/**
 * Deletes unattached resources: `ids` (rows the person chose), or those picked from the list of every
 * unattached resource. Judged on a fresh read: what a load balancer uses now is kept.
 */
export async function cleanUpUnattachedFlow(
  deps: UseCaseDeps & { ui: CleanUpUi },
  ids?: readonly string[],
): Promise<CleanUpResult | undefined> {
  const topology = await freshTopology(deps);
  let chosen = ids;
  if (!chosen) {
    const candidates = unattachedResources(topology);
    if (!candidates.length) {
      deps.ui.info('No load balancing resources are unattached: there is nothing to clean up.');
      return undefined;
    }
    chosen = await deps.ui.pickMany('Clean up unattached resources: choose what to delete', candidates.map(choice));
    if (!chosen?.length) return undefined;
  }
  const plan = planUnattachedDeletion(topology, chosen);
  if (!plan.steps.length) {
    const why = [...plan.kept.map((k) => k.reason), ...plan.gone.map((name) => `${name} no longer exists`)];
    deps.ui.info(`Nothing to delete: ${why.join('; ')}.`);
    return undefined;
  }
  const count =
    plan.steps.length === 1 ? `${kindLabel(plan.steps[0].kind)} ${plan.steps[0].name}` : `${plan.steps.length} unattached resources`;
  const detail = [
    plan.steps.length === 1 ? 'This resource will be deleted:' : `These ${plan.steps.length} resources will be deleted, in this order:`,
    ...plan.steps.map((s) => `  • ${kindLabel(s.kind)} ${s.name}${s.region ? ` (${s.region})` : ''}`),
    ...(plan.kept.length ? ['', 'Kept:', ...plan.kept.map((k) => `  • ${k.reason}`)] : []),
    ...(plan.gone.length ? ['', `Already gone: ${plan.gone.join(', ')}`] : []),
  ].join('\n');
  const report = await confirmAndDelete(
    deps,
    plan,
    { question: `Delete ${count}?`, progress: `Deleting ${count}` },
    detail,
    summarizeCleanUp,
  );
  return report && { plan, report };
}

export function summarizeCleanUp(plan: CleanUpPlan, report: DeletionReport): string {
  const parts = [`Deleted ${report.deleted.length} of ${plan.steps.length} unattached resource${plan.steps.length === 1 ? '' : 's'}.`];
  if (report.alreadyGone.length) parts.push(`${report.alreadyGone.length} were already gone.`);
  for (const { step, error } of report.failed) parts.push(`Not deleted: ${step.name} (${error.message})`);
  if (report.skipped.length) parts.push(`Cancelled before: ${report.skipped.map((s) => s.name).join(', ')}.`);
  if (plan.kept.length) parts.push(`Kept: ${plan.kept.map((k) => k.reason).join('; ')}.`);
  return parts.join(' ');
}

function choice(node: ResourceNode): CleanUpChoice {
  const region = /\/regions\/([^/]+)\//.exec(node.id)?.[1];
  return { id: node.id, label: node.name, description: [RESOURCE_KINDS[node.kind].label, region].filter(Boolean).join(' · ') };
}
