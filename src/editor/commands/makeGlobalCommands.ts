// Make global, Add region and Change domains in VS Code: one handler per command, each reading its
// arguments, calling a core flow (src/core/flows) with quick-input prompts, and rendering what it returns:
// the plan preview, apply with progress and Cancel, the notices the plan's purpose decides, Undo, Export.
import * as vscode from 'vscode';
import type { ApplyResult } from '../../core/apply/applyTypes';
import { KnativeDocuments } from '../documents/knativeDocuments';
import { CommandLog, registerCommand } from './runCommand';
import { ApplyHistories, type HistoryStore } from '../../core/flows/applyHistory';
import { applyPlanFlow } from '../../core/flows/applyPlanFlow';
import { planChangeDomains, type ChangeDomainsArgs } from '../../core/flows/changeDomains';
import { planAddRegion, planMakeGlobal, type FlowDeps } from '../../core/flows/makeGlobal';
import { undoPlan } from '../../core/flows/undoAndDelete';
import { vscodeFlowUi } from '../prompts/vscodeFlowUi';
import type { AddRegionArgs, MakeGlobalArgs } from '../../core/flows/makeGlobalSteps';
import { CloudError } from '../../core/gcp/errors';
import type { KnativeService } from '../../core/knative/parse';
import type { ProjectModel } from '../../core/model/projectModel';
import { exportGcloud } from '../../core/plan/gcloud';
import { exportTerraform } from '../../core/plan/terraform';
import { Plan } from '../../core/plan/types';
import { PURPOSES, purposeOf } from '../../core/purposes/table';
import { showNotice } from './notices';
import type { CloudSession } from '../session/cloudSession';
import type { ExplorerItem } from '../../core/explorer/item';
import { PendingPlan, PlanDocuments } from '../documents/planDocuments';
import { QuickInputWizardUi } from '../prompts/quickWizard';

export interface MakeGlobalDeps {
  session: CloudSession;
  model: ProjectModel;
  knativeDocuments: KnativeDocuments;
  plans: PlanDocuments;
  log: CommandLog & vscode.LogOutputChannel;
  /** Where Undo's histories are kept across reloads (the workspace's state). */
  history?: HistoryStore;
}

/** The Knative service the command is about: from its arguments, else the YAML under the cursor. */
async function yamlService(
  deps: MakeGlobalDeps,
  args: { documentUri?: string; documentIndex?: number; service?: string },
): Promise<{ service?: KnativeService; file?: string }> {
  const uri = args.documentUri
    ? vscode.Uri.parse(args.documentUri)
    : vscode.window.activeTextEditor?.document.languageId === 'yaml'
      ? vscode.window.activeTextEditor.document.uri
      : undefined;
  if (!uri) return {};
  const document = await vscode.workspace.openTextDocument(uri);
  const parsed = deps.knativeDocuments.get(document);
  const services = parsed.result.services;
  let service = args.documentIndex !== undefined ? services.find((s) => s.documentIndex === args.documentIndex) : undefined;
  if (!service && args.service) service = services.find((s) => s.name === args.service);
  if (!service && !args.documentUri && !args.service) {
    const cursor = vscode.window.activeTextEditor?.selection.active;
    const offset = cursor ? document.offsetAt(cursor) : 0;
    service =
      services.find((s) => offset >= s.ranges.document[0] && offset <= s.ranges.document[1]) ??
      (services.length === 1 ? services[0] : undefined);
  }
  if (args.documentUri && !service && !args.service)
    throw new CloudError('That document is no longer a Knative Service. Save it and try again.', { kind: 'invalid' });
  return { service, file: service ? vscode.workspace.asRelativePath(uri) : undefined };
}

/** Arguments from a CodeLens or a caller, or an explorer row (service or load balancer). */
function argsFrom<T extends object>(value: unknown): T {
  const item = value as ExplorerItem | undefined;
  if (item && typeof item === 'object' && 'context' in item && 'id' in item) {
    const resource = item.resource;
    if (resource?.kind === 'runService') return { service: resource.name } as T;
    if (resource?.loadBalancerId) return { loadBalancerId: resource.loadBalancerId } as T;
    return {} as T;
  }
  return (value ?? {}) as T;
}

/** What the handlers share: the dependencies, Undo's histories, and the keys of the plans being applied. */
interface PlanCommands extends MakeGlobalDeps {
  histories: ApplyHistories;
  applying: Set<string>;
}

function flowDeps(ctx: PlanCommands, title: string): FlowDeps {
  const state = ctx.session.current;
  if (!state.connection) throw state.problem ?? new CloudError('Cloud Run Global is not connected.', { kind: 'invalid' });
  return { connection: state.connection, project: state.project, model: ctx.model, ui: new QuickInputWizardUi(title) };
}

/** Opens the plan's preview; a plan with conflicts also gets the notice its purpose decides. */
async function preview(ctx: PlanCommands, plan: Plan, manifestFile?: string, manifest?: Record<string, unknown>): Promise<string> {
  const pending = await ctx.plans.open(plan, { manifestFile, manifest });
  if (!plan.applicable) void showNotice(purposeOf(plan).conflictNotice(plan), ctx.log);
  return pending.uri.toString();
}

function pendingFrom(ctx: PlanCommands, uri?: string): PendingPlan {
  const pending = ctx.plans.get(uri) ?? ctx.plans.active();
  if (!pending) throw new CloudError('There is no plan to apply. Run "Make global" first.', { kind: 'invalid' });
  return pending;
}

/** cloudRunGlobal.makeGlobal: arguments (or a service row, or the YAML under the cursor) → the plan's preview. */
async function makeGlobal(ctx: PlanCommands, raw?: unknown): Promise<string | undefined> {
  const args = argsFrom<MakeGlobalArgs>(raw);
  const flow = flowDeps(ctx, PURPOSES.globalize.wizardTitle);
  const { service, file } = await yamlService(ctx, args);
  const { plan, manifest } = await planMakeGlobal(args, service, flow);
  return preview(ctx, plan, file, manifest);
}

/** cloudRunGlobal.addRegion: as Make global, for a service behind a load balancer. */
async function addRegion(ctx: PlanCommands, raw?: unknown): Promise<string | undefined> {
  const args = argsFrom<AddRegionArgs>(raw);
  const flow = flowDeps(ctx, PURPOSES.addRegion.wizardTitle);
  const { service, file } = await yamlService(ctx, args);
  const { plan, manifest } = await planAddRegion(args, service, flow);
  return preview(ctx, plan, file, manifest);
}

/** cloudRunGlobal.changeDomains: arguments (or a load balancer row) → the plan's preview. */
async function changeDomains(ctx: PlanCommands, raw?: unknown): Promise<string | undefined> {
  const args = argsFrom<ChangeDomainsArgs>(raw);
  const flow = flowDeps(ctx, PURPOSES.changeDomains.wizardTitle);
  ctx.log.info(`Change domains: ${args.loadBalancerId ?? args.httpsProxy ?? args.service ?? 'load balancer to be picked'}`);
  const { plan } = await planChangeDomains(args, flow);
  return preview(ctx, plan);
}

/** cloudRunGlobal.applyPlan: the plan shown at `uri` (else the active one) → its run, then what comes next. */
async function apply(ctx: PlanCommands, uri?: string): Promise<ApplyResult> {
  const pending = pendingFrom(ctx, uri);
  const { result, notice } = await applyPlanFlow(pending.uri.toString(), pending.plan, {
    clients: (project) => {
      const { connection } = flowDeps(ctx, 'Apply');
      return {
        compute: connection.compute(project),
        run: connection.run(project),
        dns: connection.cloudDns(project),
        certificateManager: connection.certificateManager(project),
      };
    },
    model: ctx.model,
    histories: ctx.histories,
    applying: ctx.applying,
    ui: vscodeFlowUi(ctx.log),
  });
  if (result.ok) await ctx.plans.close(pending);
  void showNotice(notice, ctx.log);
  return result;
}

/** cloudRunGlobal.undoApply: the runs of the plan shown at `uri`, else of the last applied. */
async function undo(ctx: PlanCommands, uri?: string) {
  const entry = ctx.histories.find(uri);
  if (!entry) throw new CloudError('Nothing to undo: no plan was applied in this workspace.', { kind: 'invalid' });
  const { connection } = flowDeps(ctx, 'Undo');
  return undoPlan(entry, ctx.histories, {
    model: ctx.model,
    compute: connection.compute(entry.plan.project),
    dns: connection.cloudDns(entry.plan.project),
    certificateManager: connection.certificateManager(entry.plan.project),
    ui: vscodeFlowUi(ctx.log),
  });
}

/** cloudRunGlobal.exportPlan: the plan (`uri`, else the active one) as a gcloud script or Terraform, beside it. */
async function exportPlan(ctx: PlanCommands, uri?: string, format?: 'gcloud' | 'terraform') {
  const pending = pendingFrom(ctx, uri);
  const kind =
    format ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'gcloud script', value: 'gcloud' as const },
          { label: 'Terraform configuration', value: 'terraform' as const },
        ],
        { placeHolder: 'Export the plan as' },
      )
    )?.value;
  if (!kind) return undefined;
  const content = kind === 'gcloud' ? exportGcloud(pending.plan, { manifestFile: pending.manifestFile }) : exportTerraform(pending.plan);
  const document = await vscode.workspace.openTextDocument({ language: kind === 'gcloud' ? 'shellscript' : 'terraform', content });
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return document.uri.toString();
}

/** cloudRunGlobal.cancelPlan: forgets the plan (`uri`, else the active one) and closes its preview. */
async function cancelPlan(ctx: PlanCommands, uri?: string): Promise<void> {
  const pending = ctx.plans.get(uri) ?? ctx.plans.active();
  if (pending) await ctx.plans.close(pending);
}

export function registerMakeGlobalCommands(deps: MakeGlobalDeps): vscode.Disposable[] {
  const ctx: PlanCommands = { ...deps, histories: new ApplyHistories(deps.history), applying: new Set() };
  const { log } = deps;
  return [
    registerCommand('cloudRunGlobal.makeGlobal', log, (raw?: unknown) => makeGlobal(ctx, raw)),
    registerCommand('cloudRunGlobal.addRegion', log, (raw?: unknown) => addRegion(ctx, raw)),
    registerCommand('cloudRunGlobal.changeDomains', log, (raw?: unknown) => changeDomains(ctx, raw)),
    registerCommand('cloudRunGlobal.applyPlan', log, (uri?: string) => apply(ctx, uri)),
    registerCommand('cloudRunGlobal.exportPlan', log, (uri?: string, format?: 'gcloud' | 'terraform') => exportPlan(ctx, uri, format)),
    registerCommand('cloudRunGlobal.cancelPlan', log, (uri?: string) => cancelPlan(ctx, uri)),
    registerCommand('cloudRunGlobal.undoApply', log, (uri?: string) => undo(ctx, uri)),
  ];
}
