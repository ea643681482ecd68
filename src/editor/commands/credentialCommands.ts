// The endpoint token lives in VS Code's secret storage, set and cleared here; no setting holds it.
import * as vscode from 'vscode';
import { CloudError } from '../../core/gcp/errors';
import { type CloudSession, OLD_TOKEN_SETTING } from '../session/cloudSession';
import { SECTION } from '../../contributes';
import { CommandLog, registerCommand } from './runCommand';

export function registerCredentialCommands(session: CloudSession, log: CommandLog & vscode.LogOutputChannel): vscode.Disposable[] {
  const usesToken = () => vscode.workspace.getConfiguration(SECTION).get<string>('endpointCredentials') === 'token';
  return [
    // The token may come as the argument (scripts, tests); otherwise it is asked for, masked.
    registerCommand('cloudRunGlobal.setEndpointToken', log, async (argument?: unknown) => {
      const token =
        typeof argument === 'string'
          ? argument
          : await vscode.window.showInputBox({
              title: 'Cloud Run Global: endpoint token',
              prompt:
                'Bearer token sent to cloudRunGlobal.endpoint when cloudRunGlobal.endpointCredentials is "token". Kept in VS Code\'s secret storage.',
              password: true,
              ignoreFocusOut: true,
              validateInput: (value) => (value.trim() ? undefined : 'Enter a token, or use "Clear Endpoint Token".'),
            });
      if (token === undefined) return;
      if (!token.trim())
        throw new CloudError('The endpoint token is empty; nothing was saved.', {
          kind: 'invalid',
          remedy: 'Use "Cloud Run Global: Clear Endpoint Token" to remove it.',
        });
      await session.setEndpointToken(token);
      log.info('The endpoint token was saved in secret storage.');
      const note = usesToken() ? '' : ' It is sent only when cloudRunGlobal.endpointCredentials is "token".';
      if (typeof argument !== 'string')
        void vscode.window.showInformationMessage(`Endpoint token saved in VS Code's secret storage.${note}`);
    }),
    registerCommand('cloudRunGlobal.clearEndpointToken', log, async () => {
      await session.setEndpointToken(undefined);
      log.info('The endpoint token was removed from secret storage.');
      void vscode.window.setStatusBarMessage('Cloud Run Global: endpoint token cleared', 3000);
    }),
    registerCommand('cloudRunGlobal.moveEndpointTokenFromSettings', log, async () => {
      if (!(await session.moveTokenFromSettings())) {
        throw new CloudError(`Your user settings hold no cloudRunGlobal.${OLD_TOKEN_SETTING}.`, {
          kind: 'invalid',
          remedy: 'Run "Cloud Run Global: Set Endpoint Token…" to set one.',
        });
      }
      log.info(`The token in cloudRunGlobal.${OLD_TOKEN_SETTING} was moved to secret storage and the setting deleted.`);
      void vscode.window.showInformationMessage(
        `The endpoint token is now in VS Code's secret storage; cloudRunGlobal.${OLD_TOKEN_SETTING} was deleted from your settings.`,
      );
    }),
  ];
}
