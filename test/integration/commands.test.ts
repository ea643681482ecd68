import * as vscode from 'vscode';
import { extension, openWorkspaceFile, waitFor } from './helpers';

describe('Commands', () => {
  before(async () => {
    // Activate the way a user does, so suites may run in any order.
    await openWorkspaceFile('service.yaml');
    await waitFor('the extension to activate', () => extension().isActive);
  });

  it('Show Log runs', async () => {
    await vscode.commands.executeCommand('cloudRunGlobal.showLog');
  });
});
