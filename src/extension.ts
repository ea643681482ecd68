import * as vscode from 'vscode';
import { registerExplorerCommands, revealById } from './commands/explorerCommands';
import { registerCommand } from './commands/runCommand';
import { KnativeCodeLensProvider } from './codelens/knativeCodeLens';
import { KnativeDocuments, YAML_SELECTOR } from './codelens/knativeDocuments';
import { SECTION_LOAD_BALANCERS } from './views/explorerItems';
import { LoadBalancerDiagnostics } from './problems/loadBalancerDiagnostics';
import { LoadBalancerQuickFixes } from './problems/quickFixes';
import { CertificateDoctor, REPORT_SCHEME } from './problems/certificateDoctor';
import { PLAN_SCHEME, PlanDocuments } from './wizard/planDocuments';
import { registerMakeGlobalCommands } from './wizard/makeGlobalCommands';
import { CloudSession } from './session/cloudSession';
import { ExplorerProvider, VIEW_ID } from './views/explorerProvider';
import { RESOURCE_SCHEME, ResourceDocuments } from './views/resourceDocuments';

/** What activation hands to tests and to other extensions. */
export interface CloudRunGlobalApi {
  explorer: ExplorerProvider;
  session: CloudSession;
  diagnostics: LoadBalancerDiagnostics;
}

// Activation builds services and registers UI; it loads no Google client code (that happens on the first request).
export function activate(context: vscode.ExtensionContext): CloudRunGlobalApi {
  const log = vscode.window.createOutputChannel('Cloud Run Global', { log: true });
  const version = String(context.extension.packageJSON.version ?? '0');
  const session = new CloudSession(log, version);
  const explorer = new ExplorerProvider(session, log);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: explorer, showCollapseAll: true });
  explorer.attach(view);
  const documents = new ResourceDocuments((id) => explorer.resourceById(id));
  const knativeDocuments = new KnativeDocuments();
  const codeLenses = new KnativeCodeLensProvider(knativeDocuments, explorer);
  const diagnostics = new LoadBalancerDiagnostics(knativeDocuments, explorer, session, log);
  const plans = new PlanDocuments();
  const doctor = new CertificateDoctor(explorer, session, diagnostics, log);

  context.subscriptions.push(
    log,
    session,
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
    ...registerMakeGlobalCommands({
      session, explorer, knativeDocuments, plans, log,
      afterChange: () => {
        explorer.refresh();
        void diagnostics.recheck();
      },
    }),
    vscode.languages.registerCodeActionsProvider(YAML_SELECTOR, new LoadBalancerQuickFixes(), { providedCodeActionKinds: LoadBalancerQuickFixes.kinds }),
    registerCommand('cloudRunGlobal.recheck', log, (uri?: vscode.Uri) => diagnostics.recheck(uri ?? vscode.window.activeTextEditor?.document.uri)),
    registerCommand('cloudRunGlobal.copyText', log, async (text: string, what = 'text') => {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`Copied ${what}: ${text}`, 3000);
    }),
    ...registerExplorerCommands({ session, explorer, view, documents, log }),
    registerCommand('cloudRunGlobal.showInExplorer', log, async (args?: { loadBalancerId?: string }) => {
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      if (args?.loadBalancerId) await revealById(explorer, view, `${SECTION_LOAD_BALANCERS}/${args.loadBalancerId}`);
    }),
  );
  return { explorer, session, diagnostics };
}

export function deactivate(): void {}
