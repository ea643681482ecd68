// Clean Up Unattached… (a list with checkboxes) and Delete… on unattached rows, one or many selected.
import * as vscode from 'vscode';
import { cleanUpUnattachedFlow, type CleanUpUi } from '../../core/flows/cleanUp';
import { CloudError } from '../../core/gcp/errors';
import type { ProjectModel } from '../../core/model/projectModel';
import type { CloudSession } from '../session/cloudSession';
import type { ExplorerItem } from '../../core/explorer/item';
import { vscodeFlowUi } from '../prompts/vscodeFlowUi';
import { registerCommand } from './runCommand';

export interface CleanUpCommandDeps {
  session: CloudSession;
  model: ProjectModel;
  view: vscode.TreeView<ExplorerItem>;
  log: vscode.LogOutputChannel;
}

function cleanUpUi(log: vscode.LogOutputChannel): CleanUpUi {
  return {
    ...vscodeFlowUi(log),
    pickMany: async (title, choices) => {
      const picked = await vscode.window.showQuickPick(
        choices.map((c) => ({ label: c.label, description: c.description, id: c.id })),
        { title, canPickMany: true, matchOnDescription: true, ignoreFocusOut: true },
      );
      return picked?.map((p) => p.id);
    },
  };
}

export function registerCleanUpCommands(deps: CleanUpCommandDeps): vscode.Disposable[] {
  const { session, model, view, log } = deps;
  const run = (ids?: string[]) => {
    const { connection, project } = session.require();
    return cleanUpUnattachedFlow({ model, compute: connection.compute(project), ui: cleanUpUi(log) }, ids);
  };
  return [
    registerCommand('cloudRunGlobal.cleanUpUnattached', log, () => run()),
    registerCommand('cloudRunGlobal.deleteUnattached', log, (item?: ExplorerItem, items?: ExplorerItem[]) => {
      // A right-click on one of several selected rows acts on all of them.
      const rows = items?.length ? items : item ? [item] : [...view.selection];
      const ids = rows
        .filter((row) => row.context.includes('unattached'))
        .map((row) => row.resource?.id)
        .filter((id): id is string => !!id);
      if (!ids.length) throw new CloudError('Choose unattached resources in the Cloud Run Global explorer.', { kind: 'invalid' });
      return run(ids);
    }),
  ];
}
