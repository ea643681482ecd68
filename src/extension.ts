// The activation shell: registers the view, commands, providers and listeners the manifest promises,
// and returns. The services behind them (src/services.ts, bundled as dist/services.js with the YAML
// parser, the Knative analysis, the topology and the diagnostics rules) are required the first time
// one of them is needed; the Google clients (dist/gcpClients.js) on the first request, as before.
// Nothing here may import more than src/contributes.ts: whatever this file imports, activation pays for.
import * as vscode from 'vscode';
import type { CommandHandler } from './editor/commands/runCommand';
import {
  DIAGNOSTIC_SOURCE,
  mayHoldKnative,
  PLAN_SCHEME,
  REPORT_SCHEME,
  RESOURCE_SCHEME,
  SHELL_COMMANDS,
  VIEW_ID,
  YAML_SELECTOR,
} from './contributes';
import type { Services } from './services';
import type { ExplorerItem } from './core/explorer/item';

/** What activation hands to tests and to other extensions; each member is built when first read. */
export interface CloudRunGlobalApi {
  model: Services['model'];
  scheduler: Services['scheduler'];
  explorer: Services['explorer'];
  session: Services['session'];
  diagnostics: Services['diagnostics'];
}

type ServicesModule = typeof import('./services');

/** When the services load after activation (see scheduleLoad). */
const SERVICES_AFTER_ACTIVATION_MS = 100;
/** When the Google clients may load after the first lenses were answered, and at the latest (see clientsReady). */
const CLIENTS_AFTER_FIRST_LENSES_MS = 250;
const CLIENTS_AT_THE_LATEST_MS = 3000;

/** Beside this file: dist/services.js in the bundle, out/src/services.js when compiled by tsc. */
function requireServices(): ServicesModule {
  const modulePath = './services';
  return require(modulePath) as ServicesModule;
}

export function activate(context: vscode.ExtensionContext): CloudRunGlobalApi {
  let log: vscode.LogOutputChannel | undefined;
  const channel = (): vscode.LogOutputChannel => {
    if (!log) {
      log = vscode.window.createOutputChannel('Cloud Run Global', { log: true });
      context.subscriptions.push(log);
    }
    return log;
  };

  // Providers are registered now with events of their own; once the services exist, theirs feed these.
  const treeChanged = new vscode.EventEmitter<ExplorerItem | ExplorerItem[] | undefined | void>();
  const lensesChanged = new vscode.EventEmitter<void>();
  const contentChanged = {
    resources: new vscode.EventEmitter<vscode.Uri>(),
    reports: new vscode.EventEmitter<vscode.Uri>(),
    plans: new vscode.EventEmitter<vscode.Uri>(),
  };
  const handlers = new Map<string, CommandHandler>();
  let services: Services | undefined;

  // Loading the Google clients holds the extension host for a moment (hundreds of ms). A YAML file that
  // opens with the window gets its lenses first: the editor asks for them 250-950 ms after the provider
  // appears, and neither that request nor its answer may wait behind the clients. The answer leaves the
  // host only after a few turns of its event loop, and the editor paints lenses once every provider
  // (Merge Conflict's too) has answered, so the clients wait a quarter second past the first answer,
  // three seconds at most when no editor asks for lenses, and not at all when a person asks for
  // something (a command, the explorer) or no YAML editor is on screen.
  let allowClients!: () => void;
  const clientsReady = new Promise<void>((resolve) => (allowClients = resolve));
  let clientsDeadline: ReturnType<typeof setTimeout> | undefined;
  const allowClientsNow = () => {
    if (clientsDeadline !== undefined) clearTimeout(clientsDeadline);
    allowClients();
  };

  const view = vscode.window.createTreeView<ExplorerItem>(VIEW_ID, {
    treeDataProvider: {
      onDidChangeTreeData: treeChanged.event,
      getTreeItem: (item) => load().explorer.getTreeItem(item),
      getChildren: (item) => {
        allowClientsNow();
        return load().explorer.getChildren(item);
      },
      getParent: (item) => load().explorer.getParent(item),
    },
    showCollapseAll: true,
    canSelectMany: true,
  });

  function load(): Services {
    if (services) return services;
    const created = requireServices().createServices({ context, log: channel(), view, commands: handlers, clientsReady });
    services = created;
    if (vscode.window.visibleTextEditors.some((editor) => mayHoldKnative(editor.document)))
      clientsDeadline = setTimeout(allowClients, CLIENTS_AT_THE_LATEST_MS);
    else allowClientsNow();
    context.subscriptions.push(
      created.explorer.onDidChangeTreeData((e) => treeChanged.fire(e)),
      created.codeLenses.onDidChangeCodeLenses(() => lensesChanged.fire()),
      created.resources.onDidChange((uri) => contentChanged.resources.fire(uri)),
      created.reports.onDidChange((uri) => contentChanged.reports.fire(uri)),
      created.plans.onDidChange((uri) => contentChanged.plans.fire(uri)),
    );
    const unhandled = contributedCommands(context).filter((id) => !SHELL_COMMANDS.includes(id) && !handlers.has(id));
    if (unhandled.length) channel().warn(`Contributed commands without a handler: ${unhandled.join(', ')}`);
    return created;
  }

  // A Knative YAML open now (the usual reason for activating), opened later or typed into a YAML editor
  // gets its lenses and diagnostics, which need the services: they are loaded after activation has
  // returned, and after the registrations it made have left for the workbench (loading them holds the
  // host 150-300 ms, and the lens provider's registration waiting behind that put off the editor's first
  // request for lenses by as much). Other YAML loads nothing; the explorer and commands load on use.
  let loadSoon: ReturnType<typeof setTimeout> | undefined;
  const scheduleLoad = () => {
    if (services || loadSoon) return;
    loadSoon = setTimeout(() => {
      waitingForYaml.dispose();
      waitingForKnative.dispose();
      try {
        load();
      } catch (err) {
        channel().error(`Cloud Run Global could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }, SERVICES_AFTER_ACTIVATION_MS);
  };
  const waitingForYaml = vscode.workspace.onDidOpenTextDocument((document) => {
    if (!services && mayHoldKnative(document)) scheduleLoad();
  });
  // Until the services exist (a command or the explorer may load them first), every keystroke in YAML is looked at.
  const waitingForKnative = vscode.workspace.onDidChangeTextDocument(({ document }) => {
    if (!services && mayHoldKnative(document)) scheduleLoad();
  });
  if (vscode.workspace.textDocuments.some(mayHoldKnative)) scheduleLoad();

  const content = (scheme: string, changed: vscode.EventEmitter<vscode.Uri>, pick: (s: Services) => vscode.TextDocumentContentProvider) =>
    vscode.workspace.registerTextDocumentContentProvider(scheme, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri, token) => pick(load()).provideTextDocumentContent(uri, token),
    });

  context.subscriptions.push(
    { dispose: () => [loadSoon, clientsDeadline].forEach((timer) => timer !== undefined && clearTimeout(timer)) },
    waitingForYaml,
    waitingForKnative,
    treeChanged,
    lensesChanged,
    ...Object.values(contentChanged),
    view,
    vscode.commands.registerCommand('cloudRunGlobal.showLog', () => channel().show()),
    vscode.commands.registerCommand('cloudRunGlobal.openDemoInstructions', () =>
      vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, 'README.md')),
    ),
    ...contributedCommands(context)
      .filter((id) => !SHELL_COMMANDS.includes(id))
      .map((id) =>
        vscode.commands.registerCommand(id, (...args: never[]) => {
          allowClientsNow();
          load();
          const handler = handlers.get(id);
          if (!handler) throw new Error(`Cloud Run Global has no handler for ${id}.`);
          return handler(...args);
        }),
      ),
    content(RESOURCE_SCHEME, contentChanged.resources, (s) => s.resources),
    content(REPORT_SCHEME, contentChanged.reports, (s) => s.reports),
    content(PLAN_SCHEME, contentChanged.plans, (s) => s.plans),
    vscode.languages.registerCodeLensProvider(YAML_SELECTOR, {
      onDidChangeCodeLenses: lensesChanged.event,
      provideCodeLenses: (document) => {
        if (!services && !mayHoldKnative(document)) return [];
        const lenses = load().codeLenses.provideCodeLenses(document);
        // After this answer, and the other providers' answers, have gone out.
        setTimeout(allowClientsNow, CLIENTS_AFTER_FIRST_LENSES_MS);
        return lenses;
      },
      resolveCodeLens: (lens) => load().codeLenses.resolveCodeLens(lens as Parameters<Services['codeLenses']['resolveCodeLens']>[0]),
    }),
    vscode.languages.registerCodeLensProvider(
      { scheme: PLAN_SCHEME },
      { provideCodeLenses: (document) => load().plans.provideCodeLenses(document) },
    ),
    vscode.languages.registerCodeActionsProvider(
      YAML_SELECTOR,
      {
        // Only our own diagnostics have fixes: any other cursor move in YAML needs no services.
        provideCodeActions: (document, range, context) =>
          context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)
            ? load().quickFixes.provideCodeActions(document, range, context)
            : [],
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );

  const api = (): Services => {
    allowClientsNow();
    return load();
  };
  return {
    get model() {
      return api().model;
    },
    get scheduler() {
      return api().scheduler;
    },
    get explorer() {
      return api().explorer;
    },
    get session() {
      return api().session;
    },
    get diagnostics() {
      return api().diagnostics;
    },
  };
}

function contributedCommands(context: vscode.ExtensionContext): string[] {
  const manifest = context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } };
  return (manifest.contributes?.commands ?? []).map((c) => c.command);
}

export function deactivate(): void {}
