import * as vscode from 'vscode';
import { registerExplorerCommands, revealById } from './commands/explorerCommands';
import { registerCommand } from './commands/runCommand';
import { KnativeCodeLensProvider } from './codelens/knativeCodeLens';
import { KnativeDocuments, YAML_SELECTOR } from './codelens/knativeDocuments';
import { createDnsResolver, type CachingDnsResolver } from './dns';
import { ProjectModel } from './model/projectModel';
import { RefreshScheduler } from './model/refreshScheduler';
import { SECTION_LOAD_BALANCERS } from './views/explorerItems';
import { LoadBalancerDiagnostics } from './problems/loadBalancerDiagnostics';
import { LoadBalancerQuickFixes } from './problems/quickFixes';
import { CertificateDoctor, REPORT_SCHEME } from './problems/certificateDoctor';
import { PLAN_SCHEME, PlanDocuments } from './wizard/planDocuments';
import { registerMakeGlobalCommands } from './wizard/makeGlobalCommands';
import { CloudSession, SECTION } from './session/cloudSession';
import { ExplorerProvider, VIEW_ID } from './views/explorerProvider';
import { RESOURCE_SCHEME, ResourceDocuments } from './views/resourceDocuments';

/** What activation hands to tests and to other extensions. */
export interface CloudRunGlobalApi {
  model: ProjectModel;
  scheduler: RefreshScheduler;
  explorer: ExplorerProvider;
  session: CloudSession;
  diagnostics: LoadBalancerDiagnostics;
}

function configuredResolver(): CachingDnsResolver {
  const servers = vscode.workspace.getConfiguration(SECTION).get<string[]>('dnsServers', []);
  try {
    return createDnsResolver({ servers });
  } catch (err) {
    void vscode.window.showErrorMessage(`cloudRunGlobal.dnsServers: ${err instanceof Error ? err.message : String(err)} Using the system's DNS servers.`);
    return createDnsResolver({});
  }
}

// Activation builds services and registers UI; it loads no Google client code (that happens on the first request).
export function activate(context: vscode.ExtensionContext): CloudRunGlobalApi {
  const log = vscode.window.createOutputChannel('Cloud Run Global', { log: true });
  const version = String(context.extension.packageJSON.version ?? '0');
  const session = new CloudSession(log, version);
  let resolver: CachingDnsResolver | undefined;
  // One model of the project: every view below reads it, and only it reads Google.
  const model = new ProjectModel({
    connect: () => {
      const { connection, project } = session.require();
      return { project, compute: connection.compute(project), run: connection.run(project) };
    },
    resolver: () => (resolver ??= configuredResolver()),
    log: (level, line) => (level === 'warn' ? log.warn(line) : log.info(line)),
  });
  const scheduler = new RefreshScheduler(model);
  const explorer = new ExplorerProvider(model, () => session.current.connection !== undefined);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: explorer, showCollapseAll: true });
  explorer.attach(view);
  const documents = new ResourceDocuments((id) => {
    const topology = model.topology;
    return topology?.nodes.get(id)?.resource ?? topology?.services.find((s) => s.resourceName === id);
  });
  const knativeDocuments = new KnativeDocuments();
  const codeLenses = new KnativeCodeLensProvider(knativeDocuments, model);
  const diagnostics = new LoadBalancerDiagnostics(knativeDocuments, model);
  const plans = new PlanDocuments();
  const doctor = new CertificateDoctor(model, log);

  context.subscriptions.push(
    log,
    session,
    model,
    scheduler,
    session.onDidChange(() => model.reset()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.dnsServers`)) resolver = undefined;
    }),
    vscode.window.onDidChangeWindowState((state) => scheduler.setFocused(state.focused)),
    explorer,
    view,
    vscode.workspace.registerTextDocumentContentProvider(RESOURCE_SCHEME, documents),
    vscode.commands.registerCommand('cloudRunGlobal.showLog', () => log.show()),
    vscode.commands.registerCommand('cloudRunGlobal.openDemoInstructions', () =>
      vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, 'README.md'))),
    knativeDocuments,
    codeLenses,
    vscode.languages.registerCodeLensProvider(YAML_SELECTOR, codeLenses),
    diagnostics,
    plans,
    doctor,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, doctor),
    ...doctor.register(),
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, plans),
    vscode.languages.registerCodeLensProvider({ scheme: PLAN_SCHEME }, plans),
    ...registerMakeGlobalCommands({ session, model, knativeDocuments, plans, log, history: context.workspaceState }),
    vscode.languages.registerCodeActionsProvider(YAML_SELECTOR, new LoadBalancerQuickFixes(), { providedCodeActionKinds: LoadBalancerQuickFixes.kinds }),
    registerCommand('cloudRunGlobal.recheck', log, () => diagnostics.recheck()),
    registerCommand('cloudRunGlobal.copyText', log, async (text: string, what = 'text') => {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`Copied ${what}: ${text}`, 3000);
    }),
    ...registerExplorerCommands({ session, model, explorer, view, documents, log }),
    registerCommand('cloudRunGlobal.showInExplorer', log, async (args?: { loadBalancerId?: string }) => {
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      if (args?.loadBalancerId) await revealById(explorer, view, `${SECTION_LOAD_BALANCERS}/${args.loadBalancerId}`);
    }),
  );
  return { model, scheduler, explorer, session, diagnostics };
}

export function deactivate(): void {}
