// Make global and Add region: wizard → live read → plan preview → apply with progress → DNS records.
import * as vscode from 'vscode';
import { applyPlan, summarizeApply } from '../apply/applyPlan';
import type { AppliedResource, ApplyResult, AttachedBackend } from '../apply/applyTypes';
import { summarizeUndo, undoApply } from '../apply/applyUndo';
import { KnativeDocuments } from '../codelens/knativeDocuments';
import { CommandLog, registerCommand } from '../commands/runCommand';
import { dnsRecordLine } from '../diagnostics';
import { CloudError } from '../gcp/errors';
import { buildAddRegionPlan, buildPlan, deriveNames, exportGcloud, exportTerraform, Plan, validateAddRegionRequest, validateRequest } from '../plan';
import type { GlobalizeRequest } from '../plan';
import type { KnativeService } from '../knative';
import type { CloudSession } from '../session/cloudSession';
import type { ExplorerItem } from '../views/explorerItems';
import type { ExplorerProvider } from '../views/explorerProvider';
import { ADD_REGION_STEPS, AddRegionArgs, AddRegionContext, factsFor, MAKE_GLOBAL_STEPS, MakeGlobalArgs, MakeGlobalContext } from './makeGlobalSteps';
import { PendingPlan, PlanDocuments } from './planDocuments';
import { runWizard } from './quickWizard';

export interface MakeGlobalDeps {
  session: CloudSession;
  explorer: ExplorerProvider;
  knativeDocuments: KnativeDocuments;
  plans: PlanDocuments;
  log: CommandLog & vscode.LogOutputChannel;
  /** Called after an apply or undo, so that views and diagnostics show the new state. */
  afterChange: () => void;
}

/** The Knative service the command is about: from its arguments, else the YAML under the cursor. */
async function yamlService(deps: MakeGlobalDeps, args: { documentUri?: string; documentIndex?: number; service?: string }): Promise<{ service?: KnativeService; file?: string }> {
  const uri = args.documentUri ? vscode.Uri.parse(args.documentUri) : vscode.window.activeTextEditor?.document.languageId === 'yaml' ? vscode.window.activeTextEditor.document.uri : undefined;
  if (!uri) return {};
  const document = await vscode.workspace.openTextDocument(uri);
  const parsed = deps.knativeDocuments.get(document);
  const services = parsed.result.services;
  let service = args.documentIndex !== undefined ? services.find((s) => s.documentIndex === args.documentIndex) : undefined;
  if (!service && args.service) service = services.find((s) => s.name === args.service);
  if (!service && !args.documentUri && !args.service) {
    const cursor = vscode.window.activeTextEditor?.selection.active;
    const offset = cursor ? document.offsetAt(cursor) : 0;
    service = services.find((s) => offset >= s.ranges.document[0] && offset <= s.ranges.document[1]) ?? (services.length === 1 ? services[0] : undefined);
  }
  if (args.documentUri && !service && !args.service) throw new CloudError('That document is no longer a Knative Service. Save it and try again.', { kind: 'invalid' });
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

export function registerMakeGlobalCommands(deps: MakeGlobalDeps): vscode.Disposable[] {
  const { session, plans, log } = deps;
  const histories = new Map<string, PlanHistory>();
  let lastApplied: PlanHistory | undefined;
  const applying = new Set<string>();

  async function makeGlobal(raw?: unknown): Promise<string | undefined> {
    const args = argsFrom<MakeGlobalArgs>(raw);
    const { connection, project } = sessionConnection();
    const { service: yaml, file } = await yamlService(deps, args);
    const context: MakeGlobalContext = {
      ...args, connection, project: args.project ?? project,
      service: args.service ?? yaml?.name,
      manifest: yaml?.manifest, preferredRegions: yaml?.region ? [yaml.region] : undefined,
    };
    await runWizard('Make global', MAKE_GLOBAL_STEPS, context);
    const facts = factsFor(context);
    const missing = context.missingRegions ?? (await missingOf(context));
    const regions = context.deployMissing === false ? context.regions!.filter((r) => !missing.includes(r)) : context.regions!;
    if (!regions.length) throw new CloudError(`${context.service} runs in none of the chosen regions.`, { kind: 'invalid', remedy: 'Pick a region where it runs, or start from its YAML to deploy it.' });
    const deploy = missing.length && context.deployMissing !== false ? deployRequest(context, missing) : undefined;
    const request: GlobalizeRequest = {
      project: context.project!, service: context.service!, regions, domains: context.domains!,
      names: context.names ?? (context.namePrefix ? deriveNames(context.namePrefix, { regions, domains: context.domains }) : undefined),
      options: context.options, deploy,
    };
    const issues = validateRequest(request);
    if (issues.length) throw new CloudError(issues.map((i) => `${i.field}: ${i.message}`).join(' '), { kind: 'invalid' });
    const plan = buildPlan(request, await facts.inventory());
    return preview(plan, file, deploy?.manifest);
  }

  async function addRegion(raw?: unknown): Promise<string | undefined> {
    const args = argsFrom<AddRegionArgs>(raw);
    const { connection, project } = sessionConnection();
    const { service: yaml, file } = await yamlService(deps, args);
    const context: AddRegionContext = { ...args, connection, project: args.project ?? project, service: args.service ?? yaml?.name, manifest: yaml?.manifest };
    if (!context.loadBalancerId && context.service && context.project) {
      // From YAML: the load balancer that already fronts this service, when there is exactly one.
      const fronting = (await factsFor(context).loadBalancers()).filter((lb) => lb.services.some((s) => s.name === context.service));
      if (fronting.length === 1) context.loadBalancerId = fronting[0].id;
    }
    await runWizard('Add region', ADD_REGION_STEPS, context);
    const lb = (await factsFor(context).loadBalancers()).find((l) => l.id === context.loadBalancerId);
    if (!lb) throw new CloudError('That load balancer no longer exists. Refresh the explorer.', { kind: 'notFound' });
    const served = lb.services.find((s) => s.name === context.service);
    const backendService = served?.regions[0] ? lb.backendServices.find((b) => b.id === served.regions[0].backendServiceId)?.name : lb.backendServices[0]?.name;
    if (!backendService) throw new CloudError(`Load balancer ${lb.name} has no backend service for ${context.service}.`, { kind: 'invalid' });
    const request = {
      project: context.project!, service: context.service!, backendService, region: context.region!,
      deploy: context.deployMissing && context.manifest ? { manifest: context.manifest } : undefined,
    };
    const issues = validateAddRegionRequest(request);
    if (issues.length) throw new CloudError(issues.map((i) => `${i.field}: ${i.message}`).join(' '), { kind: 'invalid' });
    const plan = buildAddRegionPlan(request, await factsFor(context).inventory());
    return preview(plan, file, request.deploy?.manifest);
  }

  function sessionConnection() {
    const state = session.current;
    if (!state.connection) throw state.problem ?? new CloudError('Cloud Run Global is not connected.', { kind: 'invalid' });
    return { connection: state.connection, project: state.project };
  }

  async function missingOf(c: MakeGlobalContext): Promise<string[]> {
    const deployed = await factsFor(c).serviceRegions(c.service!);
    return (c.regions ?? []).filter((r) => !deployed.includes(r));
  }

  function deployRequest(c: MakeGlobalContext, missing: string[]) {
    if (!c.manifest) throw new CloudError(`${c.service} does not run in ${missing.join(', ')}.`, { kind: 'invalid', remedy: 'Pick regions where it runs, or start from its Knative YAML so the plan can deploy it there first.' });
    return { regions: missing, manifest: c.manifest };
  }

  async function preview(plan: Plan, manifestFile?: string, manifest?: Record<string, unknown>): Promise<string> {
    const pending = await plans.open(plan, { manifestFile, manifest });
    if (!plan.applicable) {
      const conflicts = plan.steps.filter((s) => s.action === 'conflict').map((s) => `${s.name}: ${(s.differences ?? []).join('; ')}`);
      void vscode.window.showErrorMessage(`The plan conflicts with what exists in ${plan.project}: ${conflicts.join(' | ')}. Nothing was changed; the preview shows what to resolve.`);
    }
    return pending.uri.toString();
  }

  function pendingFrom(uri?: string): PendingPlan {
    const pending = plans.get(uri) ?? plans.active();
    if (!pending) throw new CloudError('There is no plan to apply. Run "Make global" first.', { kind: 'invalid' });
    return pending;
  }

  async function apply(uri?: string): Promise<ApplyResult | undefined> {
    const pending = pendingFrom(uri);
    const { plan } = pending;
    const key = pending.uri.toString();
    if (!plan.applicable) throw new CloudError('This plan has conflicts and cannot be applied.', { kind: 'invalid', remedy: 'Resolve the conflicts it lists, then run the wizard again.' });
    if (applying.has(key)) throw new CloudError('This plan is being applied already; wait for it to finish.', { kind: 'conflict' });
    applying.add(key);
    try {
      return await applyOnce(pending);
    } finally {
      applying.delete(key);
    }
  }

  async function applyOnce(pending: PendingPlan): Promise<ApplyResult> {
    const { plan } = pending;
    const { connection } = sessionConnection();
    const clients = { compute: connection.compute(plan.project), run: connection.run(plan.project) };
    const title = plan.purpose === 'addRegion' ? `Adding ${plan.regions.join(', ')} to ${plan.service}` : `Making ${plan.service} global`;
    log.info(`${title}: ${plan.steps.length} steps, critical path ${plan.criticalPath.join(' → ')}`);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const running = new Set<string>();
      return applyPlan(plan, clients, {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'stepStarted') {
            running.add(event.step.id);
            log.info(`step ${event.step.id} (${event.step.name}): started`);
          } else {
            running.delete(event.step.id);
            log.info(`step ${event.step.id} (${event.step.name}): ${event.result.outcome}${event.result.durationMs !== undefined ? ` in ${event.result.durationMs} ms` : ''} — ${event.result.message}`);
            progress.report({ increment: 100 / Math.max(1, event.total) });
          }
          progress.report({ message: `${event.done}/${event.total} · ${[...running].join(', ') || 'finishing'}` });
        },
      });
    });
    const history = histories.get(pending.uri.toString()) ?? { plan, created: [], attached: [], uncertain: [] };
    recordRun(history, result);
    histories.set(pending.uri.toString(), history);
    lastApplied = history;
    log.info(`${title}: ${summarizeApply(result)}`);
    deps.afterChange();
    if (result.ok) {
      await plans.close(pending);
      void announce(plan, result);
    } else {
      void reportFailure(pending, result);
    }
    return result;
  }

  async function announce(plan: Plan, result: ApplyResult): Promise<void> {
    const records = dnsRecords(plan, result);
    const message = plan.purpose === 'addRegion'
      ? `${plan.service} is now also served from ${plan.regions.join(', ')}.`
      : `${plan.service} is behind a global load balancer at ${result.ip ?? 'its new IP'}. Create ${records.length === 1 ? 'this DNS record' : 'these DNS records'} so the certificate can be issued: ${records.join('  ')}`;
    const choice = await vscode.window.showInformationMessage(message, ...(records.length && plan.purpose !== 'addRegion' ? ['Copy DNS Records'] : []), 'Show in Explorer', 'Undo');
    if (choice === 'Copy DNS Records') await vscode.env.clipboard.writeText(records.join('\n'));
    if (choice === 'Show in Explorer') await vscode.commands.executeCommand('cloudRunGlobal.showInExplorer', { loadBalancerId: result.ip ? `projects/${plan.project}/global/loadBalancers/${result.ip}` : undefined });
    if (choice === 'Undo') await vscode.commands.executeCommand('cloudRunGlobal.undoApply');
  }

  async function reportFailure(pending: PendingPlan, result: ApplyResult): Promise<void> {
    const text = result.cancelled
      ? `Cancelled. ${summarizeApply(result)}`
      : `Not finished: ${summarizeApply(result)}`;
    const choice = await vscode.window.showWarningMessage(text, 'Run Again', 'Undo', 'Show Log');
    if (choice === 'Run Again') await vscode.commands.executeCommand('cloudRunGlobal.applyPlan', pending.uri.toString());
    if (choice === 'Undo') await vscode.commands.executeCommand('cloudRunGlobal.undoApply', pending.uri.toString());
    if (choice === 'Show Log') log.show(true);
  }

  async function undo(uri?: string) {
    const entry = (uri ? histories.get(uri) : undefined) ?? lastApplied;
    if (!entry) throw new CloudError('Nothing to undo: no plan was applied in this window.', { kind: 'invalid' });
    const { plan } = entry;
    const what = [...entry.created.map((r) => r.name), ...entry.attached.map((a) => `NEG on ${a.backendService}`)];
    if (!what.length) {
      void vscode.window.showInformationMessage('That run created nothing, so there is nothing to undo.');
      return undefined;
    }
    const confirm = await vscode.window.showWarningMessage(`Undo what this plan created for ${plan.service}?`, { modal: true, detail: `Deletes only what its runs created:\n${what.map((w) => `  • ${w}`).join('\n')}` }, 'Undo');
    if (confirm !== 'Undo') return undefined;
    const { connection } = sessionConnection();
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Undoing ${plan.service}`, cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return undoApply(entry, connection.compute(plan.project), {
        signal: controller.signal,
        onEvent: (e) => progress.report({ message: `${'resource' in e ? e.resource.name : e.attachment.backendService}: ${e.type}` }),
      });
    });
    const summary = summarizeUndo(report);
    log.info(`Undo ${plan.service}: ${summary}`);
    for (const [key, value] of histories) if (value === entry) histories.delete(key);
    if (lastApplied === entry) lastApplied = undefined;
    deps.afterChange();
    if (report.failed.length) void vscode.window.showWarningMessage(summary, 'Show Log').then((c) => c && log.show(true));
    else void vscode.window.showInformationMessage(summary);
    return report;
  }

  async function exportPlan(uri?: string, format?: 'gcloud' | 'terraform') {
    const pending = pendingFrom(uri);
    const kind = format ?? (await vscode.window.showQuickPick([{ label: 'gcloud script', value: 'gcloud' as const }, { label: 'Terraform configuration', value: 'terraform' as const }], { placeHolder: 'Export the plan as' }))?.value;
    if (!kind) return undefined;
    const content = kind === 'gcloud' ? exportGcloud(pending.plan, { manifestFile: pending.manifestFile }) : exportTerraform(pending.plan);
    const document = await vscode.workspace.openTextDocument({ language: kind === 'gcloud' ? 'shellscript' : 'terraform', content });
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return document.uri.toString();
  }

  return [
    registerCommand('cloudRunGlobal.makeGlobal', log, makeGlobal),
    registerCommand('cloudRunGlobal.addRegion', log, addRegion),
    registerCommand('cloudRunGlobal.applyPlan', log, apply),
    registerCommand('cloudRunGlobal.exportPlan', log, exportPlan),
    registerCommand('cloudRunGlobal.cancelPlan', log, async (uri?: string) => {
      const pending = plans.get(uri) ?? plans.active();
      if (pending) await plans.close(pending);
    }),
    registerCommand('cloudRunGlobal.undoApply', log, undo),
  ];
}

function dnsRecords(plan: Plan, result: ApplyResult): string[] {
  return plan.domains.flatMap((d) => [
    ...(result.ip ? [dnsRecordLine(d, 'A', result.ip)] : []),
    ...(result.ipv6 ? [dnsRecordLine(d, 'AAAA', result.ipv6)] : []),
  ]);
}

/** What all runs of one plan created: what Undo may delete. */
interface PlanHistory {
  plan: Plan;
  created: AppliedResource[];
  attached: AttachedBackend[];
  /** Sent by the last run without a known outcome; a later run that adopts one made it. */
  uncertain: AppliedResource[];
}

function recordRun(history: PlanHistory, result: ApplyResult): void {
  const adopted = new Set(result.steps.filter((s) => s.outcome === 'adopted').map((s) => s.stepId));
  const byStep = <T extends { stepId: string }>(items: T[]) => [...new Map(items.map((i) => [i.stepId, i])).values()];
  history.created = byStep([...history.created, ...history.uncertain.filter((u) => adopted.has(u.stepId)), ...result.created]);
  history.attached = byStep([...history.attached, ...result.attached]);
  history.uncertain = result.uncertain;
}
