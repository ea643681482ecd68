// Diagnostics in the real editor: the demo's api load balancer has no DNS record, so its certificate
// provisions forever; setting the record makes it ACTIVE and the finding clears, file left open.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EmulatorControl } from '../emulator/control';
import { onDemoProject, openWorkspaceFile, ourDiagnostics, waitFor } from './helpers';

const codes = (uri: vscode.Uri) =>
  ourDiagnostics(uri)
    .map((d) => String(d.code))
    .sort();

describe('Diagnostics', function () {
  this.timeout(90_000);
  let control: EmulatorControl;

  before(async function () {
    ({ control } = await onDemoProject(this));
    await control.setCertificateTiming({ activationDelayMs: 200 });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('puts the missing DNS record on the service name, with the exact record and quick fixes', async () => {
    const editor = await openWorkspaceFile('services.yaml');
    const uri = editor.document.uri;
    await waitFor('the missing-record finding', () => codes(uri).includes('dns-missing-a'), 30_000);
    const missing = ourDiagnostics(uri).find((d) => d.code === 'dns-missing-a')!;
    assert.equal(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(missing.range), 'api', 'it sits on the name of the api service');
    assert.match(missing.message, /api\.example\.com/);
    assert.match(missing.message, /34\.120\.10\.30/);
    assert.ok(codes(uri).includes('cert-provisioning'), codes(uri).join());
    assert.ok(
      !ourDiagnostics(uri).some((d) => editor.document.getText(d.range) === 'storefront' && d.severity === vscode.DiagnosticSeverity.Error),
      'storefront is healthy',
    );

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, missing.range);
    const titles = actions.map((a) => a.title);
    assert.ok(
      titles.some((t) => /^Copy DNS record: api\.example\.com\.? .*IN A 34\.120\.10\.30$/.test(t)),
      titles.join(' | '),
    );
    assert.ok(titles.includes('Re-check now'), titles.join(' | '));
  });

  it('explains what keeps a Knative document from being understood, without the network', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content:
        'apiVersion: serving.knative.dev/v1alpha1\nkind: Service\nmetadata:\n  name: old-style\n---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: fine\n  annotations:\n    run.googleapis.com/ingress: everywhere\n',
    });
    await vscode.window.showTextDocument(document);
    const found = await waitFor('the document problems', () => {
      const list = ourDiagnostics(document.uri);
      return list.length >= 2 ? list : undefined;
    });
    const byCode = new Map(found.map((d) => [String(d.code), d]));
    assert.equal(document.getText(byCode.get('unsupported-api-version')!.range), 'serving.knative.dev/v1alpha1');
    assert.match(byCode.get('unsupported-api-version')!.message, /serving\.knative\.dev\/v1/);
    assert.equal(document.getText(byCode.get('unknown-ingress')!.range), 'everywhere');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers to set ingress to internal-and-cloud-load-balancing once the certificate is active', async () => {
    const editor = await openWorkspaceFile('services.yaml');
    const uri = editor.document.uri;
    // api has ingress "all"; that warning waits for an ACTIVE certificate.
    await control.setDnsRecord({ name: 'api.example.com', type: 'A', values: ['34.120.10.30'], ttl: 5 });
    await waitFor(
      'the DNS and certificate findings to clear by themselves',
      () => !codes(uri).some((c) => c.startsWith('dns-') || c === 'cert-provisioning'),
      75_000,
    );
    const bypass = await waitFor('the ingress warning', () => ourDiagnostics(uri).find((d) => d.code === 'ingress-all-bypass'), 10_000);
    assert.equal(editor.document.getText(bypass.range), 'all', 'it sits on the ingress annotation');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, bypass.range);
    const fix = actions.find((a) => a.title === 'Set ingress to internal-and-cloud-load-balancing');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    await vscode.workspace.applyEdit(fix.edit);
    assert.match(editor.document.getText(), /name: api\n[\s\S]*?run\.googleapis\.com\/ingress: internal-and-cloud-load-balancing\n/);
    await vscode.commands.executeCommand('undo');
  });
});
