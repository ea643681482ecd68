// Make global for a domain whose zone is in Cloud DNS, in the real extension host: the plan writes the A record
// there once the address exists, so the run ends in an ACTIVE certificate and no DNS finding, with no manual step.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApplyResult } from '../../src/core/apply/applyTypes';
import type { CloudRunGlobalApi } from '../../src/extension';
import { EmulatorControl } from '../emulator/control';
import { onDemoProject, openWorkspaceFile, ourDiagnostics, waitFor } from './helpers';

const DOMAIN = 'global.apps.example.org';

describe('Make global with Cloud DNS', function () {
  this.timeout(120_000);
  let control: EmulatorControl;
  let api: CloudRunGlobalApi;

  before(async function () {
    ({ control, api } = await onDemoProject(this));
    await control.setCertificateTiming({ activationDelayMs: 200 });
    await control.loadSeed({ dnsZones: [{ name: 'apps-zone', dnsName: 'apps.example.org.' }] });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('writes the A record in the zone after the address exists; the certificate becomes ACTIVE and no DNS finding remains', async () => {
    const editor = await openWorkspaceFile('service.yaml');
    const args = {
      documentUri: editor.document.uri.toString(),
      documentIndex: 0,
      domains: [DOMAIN],
      regions: ['us-central1'],
      names: {},
      options: { cdn: false, httpsRedirect: false, ipv6: false },
    };
    const planUri = await vscode.commands.executeCommand<string>('cloudRunGlobal.makeGlobal', args);
    const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === planUri)!.getText();
    assert.match(text, /# options: .*Cloud DNS records on/);
    assert.match(
      text,
      new RegExp(
        `^create {3}Cloud DNS record {8}${DOMAIN.replace(/\./g, '\\.')} A in zone apps-zone {2}\\[dns:A:${DOMAIN.replace(/\./g, '\\.')}\\]$`,
        'm',
      ),
    );
    assert.match(text, /# after: address\n {4}\$ gcloud dns record-sets create global\.apps\.example\.org\. \\/);

    const result = await vscode.commands.executeCommand<ApplyResult>('cloudRunGlobal.applyPlan', planUri);
    assert.ok(result?.ok, JSON.stringify(result?.steps.filter((s) => s.outcome === 'failed')));
    assert.deepEqual(
      result.dnsRecords?.map((r) => [r.zone, r.name, r.type, r.written.rrdatas]),
      [['apps-zone', DOMAIN, 'A', [result.ip]]],
    );
    const state = await control.state();
    assert.deepEqual(
      state.dns.filter((d: { name: string }) => d.name === DOMAIN).map((d: { values: string[] }) => d.values),
      [[result.ip]],
      "the emulator's DNS answers the record",
    );

    await vscode.window.showTextDocument(editor.document);
    const uri = editor.document.uri;
    await waitFor(
      'an ACTIVE certificate and no DNS or certificate finding',
      async () => {
        const lb = (await api.model.loadedTopology())?.loadBalancers.find((l) => l.ip === result.ip);
        const cert = lb?.certificates[0];
        const active = cert?.kind === 'sslCertificate' && cert.status === 'ACTIVE';
        const left = ourDiagnostics(uri)
          .map((d) => String(d.code))
          .filter((c) => c.startsWith('dns-') || c.startsWith('cert-'));
        return active && api.model.dns.has(DOMAIN) && left.length === 0;
      },
      90_000,
    );
    assert.ok(
      api.model.cloudDns?.records.some((r) => r.name === DOMAIN && r.rrdatas[0] === result.ip),
      'the model read the record back from Cloud DNS',
    );
  });

  it("the missing record's quick fix writes it in the zone, and the finding and the wait end", async () => {
    await control.reset('demo');
    // The demo's api load balancer (34.120.10.30) waits for its A record; its domain gets a zone of its own.
    await control.loadSeed({ dnsZones: [{ name: 'api-zone', dnsName: 'api.example.com.' }] });
    const editor = await openWorkspaceFile('services.yaml');
    const uri = editor.document.uri;
    await vscode.commands.executeCommand('cloudRunGlobal.recheck');
    const missing = await waitFor('the missing-record finding', () => ourDiagnostics(uri).find((d) => d.code === 'dns-missing-a'), 30_000);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, missing.range);
    const fix = actions.find((a) => a.title === 'Create the A record → 34.120.10.30 in Cloud DNS zone api-zone…');
    assert.ok(fix?.command, actions.map((a) => a.title).join(' | '));
    assert.ok(fix.isPreferred);
    // The command asks in a modal dialog; a script confirms through its argument instead.
    const outcome = await vscode.commands.executeCommand<string>(fix.command.command, { ...fix.command.arguments![0], confirmed: true });
    assert.equal(outcome, 'created');
    await waitFor(
      'no DNS finding and an ACTIVE certificate',
      async () => {
        const lb = (await api.model.loadedTopology())?.loadBalancers.find((l) => l.name === 'api-url-map');
        const cert = lb?.certificates[0];
        return (
          cert?.kind === 'sslCertificate' &&
          cert.status === 'ACTIVE' &&
          !ourDiagnostics(uri).some((d) => String(d.code).startsWith('dns-') || d.code === 'cert-provisioning')
        );
      },
      90_000,
    );
  });
});
