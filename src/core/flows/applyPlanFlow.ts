// Apply as a use case: refuse a plan with conflicts or one being applied already, run it with progress
// and Cancel, keep what it did for Undo, have the live model re-read what a plan can touch, and say what
// comes next (the plan's purpose decides the announcement). No vscode: the person is reached through FlowUi.
import { applyPlan, summarizeApply } from '../apply/applyPlan';
import type { ApplyClients, ApplyResult } from '../apply/applyTypes';
import { CloudError } from '../gcp/errors';
import { INVENTORY_PARTS, type ProjectModel } from '../model/projectModel';
import type { Plan } from '../plan/types';
import type { Notice } from '../purposes/purpose';
import { purposeOf } from '../purposes/table';
import type { ApplyHistories } from './applyHistory';
import type { FlowUi } from './flowUi';

export interface ApplyFlowDeps {
  /** The clients of the plan's project; throws when there is no connection. */
  clients(project: string): ApplyClients;
  model: ProjectModel;
  histories: ApplyHistories;
  /** The keys of the plans being applied now. */
  applying: Set<string>;
  ui: FlowUi;
}

export interface AppliedPlan {
  result: ApplyResult;
  /** What to tell the person: the purpose's announcement when every step finished, else what to do about the rest. */
  notice: Notice;
}

/** Applies the plan kept under `key` (its preview document), once at a time. */
export async function applyPlanFlow(key: string, plan: Plan, deps: ApplyFlowDeps): Promise<AppliedPlan> {
  if (!plan.applicable)
    throw new CloudError('This plan has conflicts and cannot be applied.', {
      kind: 'invalid',
      remedy: 'Resolve the conflicts it lists, then run the wizard again.',
    });
  if (deps.applying.has(key)) throw new CloudError('This plan is being applied already; wait for it to finish.', { kind: 'conflict' });
  deps.applying.add(key);
  try {
    return await applyOnce(key, plan, deps);
  } finally {
    deps.applying.delete(key);
  }
}

async function applyOnce(key: string, plan: Plan, deps: ApplyFlowDeps): Promise<AppliedPlan> {
  const clients = deps.clients(plan.project);
  const title = purposeOf(plan).progressTitle(plan);
  deps.ui.log(`${title}: ${plan.steps.length} steps, critical path ${plan.criticalPath.join(' → ')}`);
  const result = await deps.ui.withProgress(title, (report, signal) => {
    const running = new Set<string>();
    return applyPlan(plan, clients, {
      signal,
      onEvent: (event) => {
        let increment: number | undefined;
        if (event.type === 'stepStarted') {
          running.add(event.step.id);
          deps.ui.log(`step ${event.step.id} (${event.step.name}): started`);
        } else {
          running.delete(event.step.id);
          deps.ui.log(
            `step ${event.step.id} (${event.step.name}): ${event.result.outcome}${event.result.durationMs !== undefined ? ` in ${event.result.durationMs} ms` : ''} — ${event.result.message}`,
          );
          increment = 100 / Math.max(1, event.total);
        }
        report(`${event.done}/${event.total} · ${[...running].join(', ') || 'finishing'}`, increment);
      },
    });
  });
  deps.histories.record(key, plan, result);
  deps.ui.log(`${title}: ${summarizeApply(result)}`);
  // Every view shows what the run did at once: the model re-reads what a plan can touch.
  const wroteDns = plan.steps.some((s) => s.kind === 'dnsRecord');
  await deps.model.afterWrite([...INVENTORY_PARTS, 'iam', ...(wroteDns ? (['cloudDns', 'dns'] as const) : [])]);
  return { result, notice: result.ok ? purposeOf(plan).announcement(plan, result) : failureNotice(key, result) };
}

/** A run that did not finish: what it did, and Run Again, Undo or the log. */
export function failureNotice(key: string, result: ApplyResult): Notice {
  return {
    severity: 'warning',
    message: result.cancelled ? `Cancelled. ${summarizeApply(result)}` : `Not finished: ${summarizeApply(result)}`,
    offers: [
      { label: 'Run Again', followUp: { kind: 'applyAgain', planKey: key } },
      { label: 'Undo', followUp: { kind: 'undo', planKey: key } },
      { label: 'Show Log', followUp: { kind: 'showLog' } },
    ],
  };
}
