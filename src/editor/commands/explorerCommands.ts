// The explorer's actions: refresh, switch project, open in console, copy, view as YAML, allow public access, delete.
import * as vscode from 'vscode';
import { allowPublicAccessFlow, type PublicAccessTarget } from '../../core/flows/allowPublicAccess';
import { deleteLoadBalancerFlow } from '../../core/flows/undoAndDelete';
import { vscodeFlowUi } from '../prompts/vscodeFlowUi';
import { CloudError, toCloudError } from '../../core/gcp/errors';
import { PROJECT_ID_PATTERN } from '../../core/gcp/project';
import type { ProjectModel } from '../../core/model/projectModel';
import type { ExplorerItem } from '../../core/explorer/item';
import type { ExplorerProvider } from '../explorer/explorerProvider';
import type { ResourceDocuments } from '../documents/resourceDocuments';
import type { CloudSession } from '../session/cloudSession';
import { CommandLog, registerCommand } from './runCommand';

export interface ExplorerCommandDeps {
  session: CloudSession;
  model: ProjectModel;
  explorer: ExplorerProvider;
  view: vscode.TreeView<ExplorerItem>;
  documents: ResourceDocuments;
  log: CommandLog & vscode.LogOutputChannel;
}

async function copy(text: string | undefined, what: string): Promise<void> {
  if (!text) throw new CloudError(`This row has no ${what}.`, { kind: 'invalid' });
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`Copied ${what}: ${text}`, 3000);
}

export function registerExplorerCommands(deps: ExplorerCommandDeps): vscode.Disposable[] {
  const { session, model, explorer, view, documents, log } = deps;
  const selected = (item?: ExplorerItem) => item ?? view.selection[0];
  return [
    registerCommand('cloudRunGlobal.refresh', log, async () => {
      // The project may have changed outside VS Code (gcloud config set project …).
      session.reload();
      await model.refresh();
    }),
    registerCommand('cloudRunGlobal.refreshNode', log, (item?: ExplorerItem) => (item ? explorer.refreshItem(item) : model.refresh())),
    registerCommand('cloudRunGlobal.copyIp', log, (item?: ExplorerItem) => copy(selected(item)?.resource?.ip, 'IP address')),
    registerCommand('cloudRunGlobal.copyUrl', log, (item?: ExplorerItem) => copy(selected(item)?.resource?.url, 'URL')),
    registerCommand('cloudRunGlobal.copyName', log, (item?: ExplorerItem) => copy(selected(item)?.resource?.name, 'name')),
    registerCommand('cloudRunGlobal.copySelfLink', log, (item?: ExplorerItem) => copy(selected(item)?.resource?.selfLink, 'selfLink')),
    registerCommand('cloudRunGlobal.openInConsole', log, async (item?: ExplorerItem) => {
      const url = selected(item)?.resource?.consoleUrl;
      if (!url) throw new CloudError('This row has no Cloud Console page.', { kind: 'invalid' });
      await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    registerCommand('cloudRunGlobal.viewAsYaml', log, async (item?: ExplorerItem) => {
      const resource = selected(item)?.resource;
      if (!resource?.json) throw new CloudError('This row is not a resource.', { kind: 'invalid' });
      await documents.show(resource.id ?? `${resource.kind}/${resource.name}`, resource.json);
    }),
    registerCommand('cloudRunGlobal.openLink', log, async (item?: ExplorerItem) => {
      const link = item?.link;
      if (!link) return;
      if ('url' in link) {
        await vscode.env.openExternal(vscode.Uri.parse(link.url));
        return;
      }
      await revealById(explorer, view, link.revealId);
    }),
    registerCommand('cloudRunGlobal.switchProject', log, () => switchProject(session, log)),
    registerCommand('cloudRunGlobal.signIn', log, async () => {
      const command = 'gcloud auth application-default login';
      const choice = await vscode.window.showInformationMessage(
        `Cloud Run Global uses your Application Default Credentials. Run \`${command}\` in a terminal, then refresh the explorer.`,
        'Run in Terminal',
        'Copy Command',
      );
      if (choice === 'Copy Command') await vscode.env.clipboard.writeText(command);
      if (choice === 'Run in Terminal') {
        const terminal = vscode.window.createTerminal('gcloud sign-in');
        terminal.show();
        terminal.sendText(command);
      }
    }),
    registerCommand('cloudRunGlobal.allowPublicAccess', log, (arg?: ExplorerItem | PublicAccessArgs) =>
      allowPublicAccess(deps, arg ?? selected(undefined)),
    ),
    registerCommand('cloudRunGlobal.deleteLoadBalancer', log, async (item?: ExplorerItem) => {
      const lbId = selected(item)?.resource?.loadBalancerId;
      if (!lbId) throw new CloudError('Choose a load balancer in the Cloud Run Global explorer.', { kind: 'invalid' });
      const { connection, project } = session.require();
      await deleteLoadBalancerFlow(lbId, {
        model,
        compute: connection.compute(project),
        certificateManager: connection.certificateManager(project),
        ui: vscodeFlowUi(log),
      });
    }),
  ];
}

/** The argument object of "Allow Public Access": a service and the regions to open. */
export interface PublicAccessArgs {
  service: string;
  regions: string[];
  /** Skip the confirmation (the caller asked the user already). */
  confirmed?: boolean;
}

/** cloudRunGlobal.allowPublicAccess: a service row (its region) or `{ service, regions, confirmed? }` → the grant. */
async function allowPublicAccess(deps: ExplorerCommandDeps, arg: ExplorerItem | PublicAccessArgs | undefined) {
  const target = publicAccessTarget(arg);
  if (!target)
    throw new CloudError('Choose a Cloud Run service in the Cloud Run Global explorer, or pass { service, regions }.', { kind: 'invalid' });
  const { connection, project } = deps.session.require();
  return allowPublicAccessFlow(
    target,
    { run: connection.run(project), model: deps.model, ui: vscodeFlowUi(deps.log) },
    { confirmed: !!(arg && 'confirmed' in arg && arg.confirmed) },
  );
}

function publicAccessTarget(arg: ExplorerItem | PublicAccessArgs | undefined): PublicAccessTarget | undefined {
  if (!arg) return undefined;
  if ('service' in arg && typeof arg.service === 'string')
    return arg.regions?.length ? { service: arg.service, regions: [...arg.regions] } : undefined;
  const resource = (arg as ExplorerItem).resource;
  if (resource?.kind === 'runService' && resource.name && resource.region) return { service: resource.name, regions: [resource.region] };
  return undefined;
}

export async function revealById(explorer: ExplorerProvider, view: vscode.TreeView<ExplorerItem>, id: string): Promise<void> {
  // Rows exist once their parent has been listed: walk down from the section.
  const [section] = id.split('/');
  const roots = await explorer.getChildren();
  const root = roots.find((r) => r.id === section);
  if (root) await explorer.getChildren(root);
  const target = explorer.findItem(id);
  if (!target) throw new CloudError('That row is not in the explorer any more. Refresh it.', { kind: 'notFound' });
  await view.reveal(target, { select: true, focus: true, expand: true });
}

async function switchProject(session: CloudSession, log: vscode.LogOutputChannel): Promise<void> {
  const connection = session.current.connection;
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { id?: string }>();
  pick.title = 'Switch Google Cloud project';
  pick.placeholder = 'Choose a project, or type a project ID';
  // Opened from the walkthrough, the pick would otherwise close as the walkthrough takes focus back.
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.busy = true;
  pick.show();
  const current = session.current.project;
  let listed: (vscode.QuickPickItem & { id?: string })[] = [];
  const typedItem = (value: string): vscode.QuickPickItem & { id?: string } => ({
    label: value,
    id: value,
    description: PROJECT_ID_PATTERN.test(value)
      ? 'use this project ID'
      : 'not a valid project ID (6–30 lowercase letters, digits, hyphens)',
    alwaysShow: true,
  });
  pick.onDidChangeValue((value) => {
    const v = value.trim();
    pick.items = v && !listed.some((i) => i.id === v) ? [typedItem(v), ...listed] : listed;
  });
  if (connection) {
    connection.listProjects().then(
      (projects) => {
        listed = projects.map((p) => ({
          label: p.id,
          id: p.id,
          description: [p.name, p.id === current ? 'current' : undefined].filter(Boolean).join(' · '),
        }));
        pick.items = listed;
        pick.busy = false;
      },
      (err) => {
        const error = toCloudError(err);
        log.warn(`Could not list projects: ${error.message}`);
        pick.placeholder = `Type a project ID (listing projects failed: ${error.kind})`;
        pick.busy = false;
      },
    );
  } else {
    pick.busy = false;
  }
  const chosen = await new Promise<string | undefined>((resolve) => {
    pick.onDidAccept(() => {
      const id = pick.selectedItems[0]?.id ?? pick.value.trim();
      // An invalid typed ID stays in the box, its row saying why (see typedItem).
      if (!id || !PROJECT_ID_PATTERN.test(id)) return;
      resolve(id);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
  });
  pick.dispose();
  if (chosen) await session.setProject(chosen);
}
