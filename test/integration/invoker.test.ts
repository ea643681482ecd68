// The 403 finding in the real editor: the demo's api service is private behind its load balancer;
// the quick fix's command adds the binding and the finding clears, in the file and the explorer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { onDemoProject, openWorkspaceFile, ourDiagnostics, waitFor } from './helpers';

describe('Invoker access', function () {
  this.timeout(90_000);

  before(async function () {
    await onDemoProject(this);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('says requests to the private api get 403, offers to allow public access, and clears once granted', async () => {
    const editor = await openWorkspaceFile('services.yaml');
    const uri = editor.document.uri;
    const finding = await waitFor('the 403 finding', () => ourDiagnostics(uri).find((d) => d.code === 'run-invoker-not-public'), 30_000);
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(finding.range), 'api', 'it sits on the name of the api service');
    assert.match(finding.message, /us-central1/);
    assert.match(finding.message, /403/);
    assert.ok(
      !ourDiagnostics(uri).some((d) => d.code === 'run-invoker-not-public' && editor.document.getText(d.range) === 'storefront'),
      'storefront is public',
    );

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding.range);
    const fix = actions.find((a) => a.command?.command === 'cloudRunGlobal.allowPublicAccess');
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.match(fix.title, /Allow public access .* in us-central1/);
    // The quick fix asks first (a modal); the argument object says the user agreed.
    const [args] = fix.command!.arguments as [{ service: string; regions: string[] }];
    assert.deepEqual(args, { service: 'api', regions: ['us-central1'] });
    await vscode.commands.executeCommand('cloudRunGlobal.allowPublicAccess', { ...args, confirmed: true });
    await waitFor('the 403 finding to clear', () => !ourDiagnostics(uri).some((d) => d.code === 'run-invoker-not-public'), 15_000);
  });
});
