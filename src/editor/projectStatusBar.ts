// The status bar item with the current Google Cloud project, as other cloud extensions show it;
// a click switches the project.
import * as vscode from 'vscode';
import type { CloudSession } from './session/cloudSession';

export function projectStatusBar(session: CloudSession): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('cloudRunGlobal.project', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Cloud Run Global: Project';
  item.command = 'cloudRunGlobal.switchProject';
  const render = () => {
    const { project, projectSource } = session.current;
    item.text = `$(cloud) ${project ?? 'No project'}`;
    item.tooltip = project
      ? `Google Cloud project ${project} (${projectSource}) — click to switch`
      : 'No Google Cloud project is selected — click to choose one';
  };
  render();
  item.show();
  const subscription = session.onDidChange(render);
  return vscode.Disposable.from(subscription, item);
}
