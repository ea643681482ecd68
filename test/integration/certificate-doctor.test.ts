// "Diagnose certificate…" in the real extension host, for the demo's certificate that waits on DNS.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { onDemoProject } from './helpers';

describe('Certificate doctor', function () {
  this.timeout(30_000);

  before(async function () {
    await onDemoProject(this);
  });

  it('walks every check for the api certificate and names the missing DNS record', async () => {
    const uri = await vscode.commands.executeCommand<string>('cloudRunGlobal.diagnoseCertificate', {
      loadBalancerId: 'projects/demo-project/global/loadBalancers/34.120.10.30',
    });
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.ok(document);
    assert.equal(document.languageId, 'markdown');
    const text = document.getText();
    assert.match(text, /^# Certificate api-cert$/m);
    const checks = [...text.matchAll(/^## \d+\. \[(OK|FAIL|UNCERTAIN)\] (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.ok(checks.length >= 8, checks.join('\n'));
    assert.ok(
      checks.some((c) => c.startsWith('FAIL') && /api\.example\.com/.test(c)),
      checks.join('\n'),
    );
    assert.match(text, /api\.example\.com\. \d+ IN A 34\.120\.10\.30/);
    assert.match(
      text,
      /\(cloudrun-global:\/projects\/demo-project\/global\/sslCertificates\/api-cert\.yaml\)/,
      'links lead to the resources',
    );
    await vscode.commands.executeCommand('cloudRunGlobal.refreshReport', vscode.Uri.parse(uri));
    assert.match(document.getText(), /^# Certificate api-cert$/m);
  });
});
