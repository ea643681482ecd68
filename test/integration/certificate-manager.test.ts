// "Issue the certificate before DNS moves" in the real extension host: Make global with the option for a domain whose
// A record points elsewhere; the certificate turns ACTIVE through its _acme-challenge CNAME while the A record still
// points elsewhere; the service's diagnostics say the A record can move; once it has moved, no finding remains.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApplyResult } from '../../src/core/apply/applyTypes';
import type { CloudRunGlobalApi } from '../../src/extension';
import type { CertificateManagerCertificateNode, DnsAuthorizationNode } from '../../src/core/topology/model';
import { EmulatorControl } from '../emulator/control';
import { onDemoProject, openWorkspaceFile, ourDiagnostics, waitFor } from './helpers';

const DOMAIN = 'moving.example.com';
const ELSEWHERE = '203.0.113.44';
const codes = (uri: vscode.Uri) =>
  ourDiagnostics(uri)
    .map((d) => String(d.code))
    .sort();

describe('Certificate Manager: issue the certificate before DNS moves', function () {
  this.timeout(120_000);
  let control: EmulatorControl;
  let api: CloudRunGlobalApi;

  before(async function () {
    ({ control, api } = await onDemoProject(this));
    await control.setCertificateTiming({ activationDelayMs: 200 });
    await control.setDnsRecord({ name: DOMAIN, type: 'A', values: [ELSEWHERE] });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await control.reset('demo');
    await api.model.refresh();
  });

  const nodes = () => [...(api.model.topology?.nodes.values() ?? [])];

  it('makes the service global on a certificate map; ACTIVE before the A record moves; "can move"; then nothing', async () => {
    const editor = await openWorkspaceFile('service.yaml');
    const args = {
      documentUri: editor.document.uri.toString(),
      documentIndex: 0,
      domains: [DOMAIN],
      regions: ['us-central1'],
      names: {},
      options: { cdn: false, httpsRedirect: false, ipv6: false, certificateManager: true },
    };
    const planUri = await vscode.commands.executeCommand<string>('cloudRunGlobal.makeGlobal', args);
    const preview = vscode.workspace.textDocuments.find((d) => d.uri.toString() === planUri)!;
    const text = preview.getText();
    assert.match(text, /Issue the certificate before DNS moves on/);
    assert.match(text, /create {3}DNS authorization +moving-example-com-dns-auth/);
    assert.match(text, /--certificate-map=my-global-app-cert-map/);
    assert.match(text, /# warning: {2}Create the DNS record _acme-challenge\.moving\.example\.com\. CNAME/);

    const result = await vscode.commands.executeCommand<ApplyResult>('cloudRunGlobal.applyPlan', planUri);
    assert.ok(result?.ok, JSON.stringify(result?.steps.filter((s) => s.outcome === 'failed')));
    const authorizationStep = result.steps.find((s) => s.kind === 'dnsAuthorization')!;
    assert.match(
      authorizationStep.message,
      /Create the DNS record _acme-challenge\.moving\.example\.com\. CNAME \S+\.authorize\.certificatemanager\.goog\./,
    );

    await api.model.refresh();
    const auth = nodes().find((n): n is DnsAuthorizationNode => n.kind === 'dnsAuthorization' && n.domain === DOMAIN);
    assert.ok(auth?.record, 'the explorer knows the authorization and its record');

    // The editor names the missing CNAME on the service.
    await vscode.window.showTextDocument(editor.document);
    const uri = editor.document.uri;
    await waitFor('the missing CNAME finding', () => codes(uri).includes('cm-cname-missing'), 30_000);

    // The CNAME as Google asks: ACTIVE, with the A record still elsewhere.
    await control.setDnsRecord({ name: auth.record.name, type: 'CNAME', values: [auth.record.data] });
    await waitFor(
      'the certificate to become ACTIVE',
      async () => {
        await api.model.refresh();
        return nodes().some(
          (n) => n.kind === 'certificateManagerCertificate' && (n as CertificateManagerCertificateNode).state === 'ACTIVE',
        );
      },
      30_000,
    );
    await waitFor(
      '"the A record can move now"',
      async () => {
        await vscode.commands.executeCommand('cloudRunGlobal.refresh');
        return codes(uri).includes('cm-a-can-move') && !codes(uri).includes('cm-cname-missing');
      },
      30_000,
    );
    const canMove = ourDiagnostics(uri).find((d) => d.code === 'cm-a-can-move')!;
    assert.equal(canMove.severity, vscode.DiagnosticSeverity.Information);
    assert.match(
      canMove.message,
      new RegExp(`the A record of ${DOMAIN.replace(/\./g, '\\.')} can move now\\. It points to ${ELSEWHERE.replace(/\./g, '\\.')}`),
    );
    assert.match(canMove.message, new RegExp(`${DOMAIN.replace(/\./g, '\\.')}\\. 300 IN A ${result.ip!.replace(/\./g, '\\.')}`));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, canMove.range);
    assert.ok(
      actions.some((a) => a.title.includes(`IN A ${result.ip}`)),
      actions.map((a) => a.title).join(' | '),
    );

    // The A record moves: nothing is left about this domain.
    await control.setDnsRecord({ name: DOMAIN, type: 'A', values: [result.ip!] });
    await waitFor(
      'no Certificate Manager finding',
      async () => {
        await vscode.commands.executeCommand('cloudRunGlobal.refresh');
        return !codes(uri).some((c) => c.startsWith('cm-')) ? true : undefined;
      },
      30_000,
    );
  });
});
