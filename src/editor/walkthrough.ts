// The Get Started walkthrough: a command that opens it, and opening it once, on the first
// activation, unless the person turned off walkthroughs opening by themselves
// (`workbench.welcomePage.walkthroughs.openOnInstall`).
import * as vscode from 'vscode';
import { registerCommand, type CommandLog } from './commands/runCommand';

export const WALKTHROUGH_ID = 'getStarted';
const SHOWN_KEY = 'cloudRunGlobal.walkthroughShown';

export function registerWalkthrough(context: vscode.ExtensionContext, log: CommandLog): vscode.Disposable {
  const open = () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
  const command = registerCommand('cloudRunGlobal.openWalkthrough', log, open);
  const wanted = vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true);
  if (wanted && !context.globalState.get<boolean>(SHOWN_KEY)) {
    void context.globalState.update(SHOWN_KEY, true);
    void Promise.resolve(open()).catch(() => undefined);
  }
  return command;
}
