import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Cloud Run Global', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('cloudRunGlobal.showLog', () => log.show()),
  );
}

export function deactivate(): void {}
