// The use cases' FlowUi in VS Code: modal confirmations, notification progress with Cancel, messages.
import * as vscode from 'vscode';
import type { FlowUi } from '../../core/flows/flowUi';

export function vscodeFlowUi(log: vscode.LogOutputChannel): FlowUi {
  return {
    confirm: async (message, detail, action) =>
      (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
    withProgress: async (title, task) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return task((message, increment) => progress.report({ message, increment }), controller.signal);
      }),
    info: (message) => void vscode.window.showInformationMessage(message),
    warn: (message) => void vscode.window.showWarningMessage(message, 'Show Log').then((choice) => choice && log.show(true)),
    log: (line) => log.info(line),
  };
}
