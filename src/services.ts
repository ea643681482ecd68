// Every service behind the activation shell (src/extension.ts): the session, the live model and its
// scheduler, the explorer, CodeLens, diagnostics, certificate reports, plans and the command handlers.
// Bundled on its own as dist/services.js and required the first time one of them is needed: a YAML
// document to check, a lens or quick fix to provide, a view or document to render, a command to run.
import * as vscode from 'vscode';
import { registerCleanUpCommands } from './editor/commands/cleanUpCommands';
import { registerCredentialCommands } from './editor/commands/credentialCommands';
import { registerDnsCommands } from './editor/commands/dnsCommands';
import { registerExplorerCommands, revealById } from './editor/commands/explorerCommands';
import { CommandHandler, registerCommand, registerCommandsInto } from './editor/commands/runCommand';
import { KnativeCodeLensProvider } from './editor/codelens/knativeCodeLens';
import { KnativeDocuments } from './editor/documents/knativeDocuments';
import { createDnsResolver } from './core/dns/resolver';
import type { CachingDnsResolver } from './core/dns/cache';
import { ProjectModel } from './core/model/projectModel';
import { RefreshScheduler } from './core/model/refreshScheduler';
import { SECTION_LOAD_BALANCERS } from './core/explorer/explorerItems';
import type { ExplorerItem } from './core/explorer/item';
import { LoadBalancerDiagnostics } from './editor/diagnostics/loadBalancerDiagnostics';
import { LoadBalancerQuickFixes } from './editor/diagnostics/quickFixes';
import { CertificateDoctor } from './editor/diagnostics/certificateDoctor';
import { PlanDocuments } from './editor/documents/planDocuments';
import { registerMakeGlobalCommands } from './editor/commands/makeGlobalCommands';
import { registerDomainChangeCommands } from './editor/commands/domainChangeCommands';
import { CloudSession } from './editor/session/cloudSession';
import { SECTION } from './contributes';
import { ExplorerProvider } from './editor/explorer/explorerProvider';
import { VIEW_ID } from './contributes';
import { projectStatusBar } from './editor/projectStatusBar';
import { ResourceDocuments } from './editor/documents/resourceDocuments';
import { registerWalkthrough } from './editor/walkthrough';

/** What the shell hands over: its context, log, the tree view it created and its table of command handlers. */
export interface ServiceHost {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  view: vscode.TreeView<ExplorerItem>;
  commands: Map<string, CommandHandler>;
  /** Settles when the Google clients may load. */
  clientsReady: Promise<void>;
}

export interface Services {
  session: CloudSession;
  model: ProjectModel;
  scheduler: RefreshScheduler;
  explorer: ExplorerProvider;
  diagnostics: LoadBalancerDiagnostics;
  codeLenses: KnativeCodeLensProvider;
  quickFixes: LoadBalancerQuickFixes;
  resources: ResourceDocuments;
  reports: CertificateDoctor;
  plans: PlanDocuments;
}

function configuredResolver(): CachingDnsResolver {
  const servers = vscode.workspace.getConfiguration(SECTION).get<string[]>('dnsServers', []);
  try {
    return createDnsResolver({ servers });
  } catch (err) {
    void vscode.window.showErrorMessage(
      `cloudRunGlobal.dnsServers: ${err instanceof Error ? err.message : String(err)} Using the system's DNS servers.`,
    );
    return createDnsResolver({});
  }
}

// Builds the services and their command handlers; loads no Google client code (that happens on the first request).
export function createServices(host: ServiceHost): Services {
  const { context, log, view } = host;
  registerCommandsInto(host.commands);
  const version = String(context.extension.packageJSON.version ?? '0');
  const session = new CloudSession(log, version, context.secrets, host.clientsReady);
  let resolver: CachingDnsResolver | undefined;
  // One model of the project: every view below reads it, and only it reads Google.
  const model = new ProjectModel({
    connect: () => {
      const { connection, project } = session.require();
      const dnsProjects = vscode.workspace.getConfiguration(SECTION).get<string[]>('dnsProjects', []);
      return {
        project,
        compute: connection.compute(project),
        run: connection.run(project),
        dns: connection.cloudDns(project),
        dnsProjects,
        certificateManager: connection.certificateManager(project),
      };
    },
    resolver: () => (resolver ??= configuredResolver()),
    log: (level, line) => (level === 'warn' ? log.warn(line) : log.info(line)),
  });
  const scheduler = new RefreshScheduler(model);
  const explorer = new ExplorerProvider(model, () => session.current.connection !== undefined);
  explorer.attach(view);
  const resources = new ResourceDocuments((id) => {
    const topology = model.topology;
    return topology?.nodes.get(id)?.resource ?? topology?.services.find((s) => s.resourceName === id);
  });
  const knativeDocuments = new KnativeDocuments();
  const codeLenses = new KnativeCodeLensProvider(knativeDocuments, model);
  const diagnostics = new LoadBalancerDiagnostics(knativeDocuments, model);
  const plans = new PlanDocuments();
  const reports = new CertificateDoctor(model, log);

  context.subscriptions.push(
    session,
    model,
    scheduler,
    session.onDidChange(() => model.reset()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.dnsServers`)) resolver = undefined;
      if (e.affectsConfiguration(`${SECTION}.dnsProjects`)) void model.read(['cloudDns'], 'refresh');
    }),
    vscode.window.onDidChangeWindowState((state) => scheduler.setFocused(state.focused)),
    explorer,
    knativeDocuments,
    codeLenses,
    diagnostics,
    plans,
    reports,
    ...reports.register(),
    ...registerMakeGlobalCommands({ session, model, knativeDocuments, plans, log, history: context.workspaceState }),
    registerCommand('cloudRunGlobal.recheck', log, () => diagnostics.recheck()),
    registerCommand('cloudRunGlobal.copyText', log, async (text: string, what = 'text') => {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`Copied ${what}: ${text}`, 3000);
    }),
    ...registerExplorerCommands({ session, model, explorer, view, documents: resources, log }),
    ...registerDnsCommands({ session, model, log }),
    ...registerCredentialCommands(session, log),
    ...registerCleanUpCommands({ session, model, view, log }),
    ...registerDomainChangeCommands({ session, model, log }),
    projectStatusBar(session),
    registerWalkthrough(context, log),
    registerCommand('cloudRunGlobal.showInExplorer', log, async (args?: { loadBalancerId?: string }) => {
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      if (args?.loadBalancerId) await revealById(explorer, view, `${SECTION_LOAD_BALANCERS}/${args.loadBalancerId}`);
    }),
  );
  return {
    session,
    model,
    scheduler,
    explorer,
    diagnostics,
    codeLenses,
    quickFixes: new LoadBalancerQuickFixes(),
    resources,
    reports,
    plans,
  };
}
