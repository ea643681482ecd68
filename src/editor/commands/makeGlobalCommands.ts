// Make global and Add region in VS Code: the flows (src/core/flows) with quick-input prompts, the plan
// preview, apply with progress and Cancel, Undo, and the DNS records to create at the end.
import * as vscode from 'vscode';
import { applyPlan, summarizeApply } from '../../core/apply/applyPlan';
import type { ApplyResult } from '../../core/apply/applyTypes';
import { KnativeDocuments } from '../documents/knativeDocuments';
import { CommandLog, registerCommand } from './runCommand';
import { dnsRecordLine } from '../../core/findings/format';
import { ApplyHistories, type HistoryStore } from '../../core/flows/applyHistory';
import { planChangeDomains, type ChangeDomainsArgs } from '../../core/flows/changeDomains';
import { planAddRegion, planMakeGlobal, type FlowDeps } from '../../core/flows/makeGlobal';
import { undoPlan } from '../../core/flows/undoAndDelete';
import { vscodeFlowUi } from '../prompts/vscodeFlowUi';
import type { AddRegionArgs, MakeGlobalArgs } from '../../core/flows/makeGlobalSteps';
import { CloudError } from '../../core/gcp/errors';
import type { KnativeService } from '../../core/knative/parse';
import { INVENTORY_PARTS, type ProjectModel } from '../../core/model/projectModel';
import { exportGcloud } from '../../core/plan/gcloud';
import { exportTerraform } from '../../core/plan/terraform';
import { Plan } from '../../core/plan/types';
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

export function registerMakeGlobalCommands(deps: MakeGlobalDeps): vscode.Disposable[] {
  const { session, plans, log, model } = deps;
  const histories = new ApplyHistories(deps.history);
  const applying = new Set<string>();

  function flowDeps(title: string): FlowDeps {
    const state = session.current;
    if (!state.connection) throw state.problem ?? new CloudError('Cloud Run Global is not connected.', { kind: 'invalid' });
    return { connection: state.connection, project: state.project, model, ui: new QuickInputWizardUi(title) };
  }

  async function makeGlobal(raw?: unknown): Promise<string | undefined> {
    const args = argsFrom<MakeGlobalArgs>(raw);
    const flow = flowDeps('Make global');
    const { service, file } = await yamlService(deps, args);
    const { plan, manifest } = await planMakeGlobal(args, service, flow);
    return preview(plan, file, manifest);
  }

  async function addRegion(raw?: unknown): Promise<string | undefined> {
    const args = argsFrom<AddRegionArgs>(raw);
    const flow = flowDeps('Add region');
    const { service, file } = await yamlService(deps, args);
    const { plan, manifest } = await planAddRegion(args, service, flow);
    return preview(plan, file, manifest);
  }

  async function changeDomains(raw?: unknown): Promise<string | undefined> {
    const args = argsFrom<ChangeDomainsArgs>(raw);
    const flow = flowDeps('Change domains');
    log.info(`Change domains: ${args.loadBalancerId ?? args.httpsProxy ?? args.service ?? 'load balancer to be picked'}`);
    const { plan } = await planChangeDomains(args, flow);
    return preview(plan);
  }

  async function preview(plan: Plan, manifestFile?: string, manifest?: Record<string, unknown>): Promise<string> {
    const pending = await plans.open(plan, { manifestFile, manifest });
    if (!plan.applicable) {
      const conflicts = plan.steps.filter((s) => s.action === 'conflict');
      const text = conflicts.map((s) => `${s.name}: ${(s.differences ?? []).join('; ')}`);
      // Other domains on an existing proxy are a domain change, which has its own command.
      const proxy =
        plan.purpose === 'globalize'
          ? conflicts.find((s) => s.kind === 'targetHttpsProxy' && (s.differences ?? []).every((d) => d.startsWith('sslCertificates')))
          : undefined;
      const hint = proxy ? ` The load balancer serves other domains: use Change Domains to move it to ${plan.domains.join(', ')}.` : '';
      void vscode.window
        .showErrorMessage(
          `The plan conflicts with what exists in ${plan.project}: ${text.join(' | ')}. Nothing was changed; the preview shows what to resolve.${hint}`,
          ...(proxy ? ['Change Domains…'] : []),
        )
        .then(
          (choice) =>
            choice &&
            vscode.commands.executeCommand('cloudRunGlobal.changeDomains', {
              project: plan.project,
              httpsProxy: proxy!.name,
              domains: plan.domains,
            }),
        );
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
    if (!plan.applicable)
      throw new CloudError('This plan has conflicts and cannot be applied.', {
        kind: 'invalid',
        remedy: 'Resolve the conflicts it lists, then run the wizard again.',
      });
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
    const { connection } = flowDeps('Apply');
    const clients = {
      compute: connection.compute(plan.project),
      run: connection.run(plan.project),
      dns: connection.cloudDns(plan.project),
      certificateManager: connection.certificateManager(plan.project),
    };
    const title =
      plan.purpose === 'addRegion'
        ? `Adding ${plan.regions.join(', ')} to ${plan.service}`
        : plan.purpose === 'changeDomains'
          ? `Changing the domains of ${plan.domainChange?.httpsProxy ?? plan.service}`
          : `Making ${plan.service} global`;
    log.info(`${title}: ${plan.steps.length} steps, critical path ${plan.criticalPath.join(' → ')}`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
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
              log.info(
                `step ${event.step.id} (${event.step.name}): ${event.result.outcome}${event.result.durationMs !== undefined ? ` in ${event.result.durationMs} ms` : ''} — ${event.result.message}`,
              );
              progress.report({ increment: 100 / Math.max(1, event.total) });
            }
            progress.report({ message: `${event.done}/${event.total} · ${[...running].join(', ') || 'finishing'}` });
          },
        });
      },
    );
    histories.record(pending.uri.toString(), plan, result);
    log.info(`${title}: ${summarizeApply(result)}`);
    // Every view shows what the run did at once: the model re-reads what a plan can touch.
    const wroteDns = plan.steps.some((s) => s.kind === 'dnsRecord');
    await model.afterWrite([...INVENTORY_PARTS, 'iam', ...(wroteDns ? (['cloudDns', 'dns'] as const) : [])]);
    if (result.ok) {
      await plans.close(pending);
      void announce(plan, result);
    } else {
      void reportFailure(pending, result);
    }
    return result;
  }

  async function announce(plan: Plan, result: ApplyResult): Promise<void> {
    if (plan.purpose === 'changeDomains' && plan.domainChange) {
      const change = plan.domainChange;
      const records = plan.knownIp ? plan.domains.map((d) => dnsRecordLine(d, 'A', plan.knownIp!)) : [];
      const message =
        `Certificate ${change.newCertificate} is attached to ${change.httpsProxy} beside ${change.oldCertificates.join(', ') || 'nothing'}, which keeps serving. ` +
        `Once it is ACTIVE (DNS: ${records.join('  ') || 'the domains must point at the load balancer'}), finish the change to remove the old one; the explorer, the lens and a notification offer it.`;
      const choice = await vscode.window.showInformationMessage(
        message,
        ...(records.length ? ['Copy DNS Records'] : []),
        'Diagnose Certificate',
        'Undo',
      );
      if (choice === 'Copy DNS Records') await vscode.env.clipboard.writeText(records.join('\n'));
      if (choice === 'Diagnose Certificate')
        await vscode.commands.executeCommand('cloudRunGlobal.diagnoseCertificate', {
          certificateId: `projects/${plan.project}/global/sslCertificates/${change.newCertificate}`,
        });
      if (choice === 'Undo') await vscode.commands.executeCommand('cloudRunGlobal.undoApply');
      return;
    }
    const records = dnsRecords(plan, result);
    const message =
      plan.purpose === 'addRegion'
        ? `${plan.service} is now also served from ${plan.regions.join(', ')}.`
        : `${plan.service} is behind a global load balancer at ${result.ip ?? 'its new IP'}. Create ${records.length === 1 ? 'this DNS record' : 'these DNS records'} so the certificate can be issued: ${records.join('  ')}`;
    const choice = await vscode.window.showInformationMessage(
      message,
      ...(records.length && plan.purpose !== 'addRegion' ? ['Copy DNS Records'] : []),
      'Show in Explorer',
      'Undo',
    );
    if (choice === 'Copy DNS Records') await vscode.env.clipboard.writeText(records.join('\n'));
    if (choice === 'Show in Explorer')
      await vscode.commands.executeCommand('cloudRunGlobal.showInExplorer', {
        loadBalancerId: result.ip ? `projects/${plan.project}/global/loadBalancers/${result.ip}` : undefined,
      });
    if (choice === 'Undo') await vscode.commands.executeCommand('cloudRunGlobal.undoApply');
  }

  async function reportFailure(pending: PendingPlan, result: ApplyResult): Promise<void> {
    const text = result.cancelled ? `Cancelled. ${summarizeApply(result)}` : `Not finished: ${summarizeApply(result)}`;
    const choice = await vscode.window.showWarningMessage(text, 'Run Again', 'Undo', 'Show Log');
    if (choice === 'Run Again') await vscode.commands.executeCommand('cloudRunGlobal.applyPlan', pending.uri.toString());
    if (choice === 'Undo') await vscode.commands.executeCommand('cloudRunGlobal.undoApply', pending.uri.toString());
    if (choice === 'Show Log') log.show(true);
  }

  async function undo(uri?: string) {
    const entry = histories.find(uri);
    if (!entry) throw new CloudError('Nothing to undo: no plan was applied in this workspace.', { kind: 'invalid' });
    const { connection } = flowDeps('Undo');
    return undoPlan(entry, histories, {
      model,
      compute: connection.compute(entry.plan.project),
      dns: connection.cloudDns(entry.plan.project),
      certificateManager: connection.certificateManager(entry.plan.project),
      ui: vscodeFlowUi(log),
    });
  }

  async function exportPlan(uri?: string, format?: 'gcloud' | 'terraform') {
    const pending = pendingFrom(uri);
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

  return [
    registerCommand('cloudRunGlobal.makeGlobal', log, makeGlobal),
    registerCommand('cloudRunGlobal.addRegion', log, addRegion),
    registerCommand('cloudRunGlobal.changeDomains', log, changeDomains),
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
  // What the run wrote in Cloud DNS needs no hand.
  const written = new Set(
    result.steps
      .filter((s) => s.kind === 'dnsRecord' && s.outcome !== 'failed' && s.outcome !== 'skipped' && s.outcome !== 'cancelled')
      .map((s) => s.name),
  );
  return plan.domains
    .filter((d) => !written.has(d))
    .flatMap((d) => [
      ...(result.ip ? [dnsRecordLine(d, 'A', result.ip)] : []),
      ...(result.ipv6 ? [dnsRecordLine(d, 'AAAA', result.ipv6)] : []),
    ]);
}
