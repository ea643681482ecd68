// Make global end to end in the real extension host, driven through its argument object.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApplyResult } from '../../src/core/apply/applyTypes';
import type { CloudRunGlobalApi } from '../../src/extension';
import { EmulatorControl } from '../emulator/control';
import { onDemoProject, openWorkspaceFile, waitFor } from './helpers';

describe('Make global', function () {
  this.timeout(60_000);
  let control: EmulatorControl;
  let api: CloudRunGlobalApi;

  before(async function () {
    ({ control, api } = await onDemoProject(this));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('previews the plan from the YAML, applies it, and the explorer and CodeLens show the load balancer', async () => {
    const editor = await openWorkspaceFile('service.yaml');
    const args = {
      documentUri: editor.document.uri.toString(),
      documentIndex: 0,
      domains: ['app.example.com'],
      regions: ['us-central1'],
      names: {},
      options: { cdn: false, httpsRedirect: true, ipv6: false },
    };
    const planUri = await vscode.commands.executeCommand<string>('cloudRunGlobal.makeGlobal', args);
    assert.ok(planUri, 'the command returns the plan preview');
    const preview = vscode.workspace.textDocuments.find((d) => d.uri.toString() === planUri);
    assert.ok(preview);
    assert.equal(preview.languageId, 'cloudrun-plan');
    const text = preview.getText();
    assert.match(text, /^# Make my-global-app global$/m);
    for (const name of [
      'my-global-app-neg-us-central1',
      'my-global-app-backend',
      'my-global-app-url-map',
      'my-global-app-https-proxy',
      'my-global-app-ip',
      'my-global-app-https-rule',
      'my-global-app-http-rule',
    ]) {
      assert.match(text, new RegExp(`create .*${name}`), `${name} is created`);
    }
    assert.match(text, /--load-balancing-scheme=EXTERNAL_MANAGED/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', preview.uri);
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['$(play) Apply', '$(export) Export gcloud script', '$(export) Export Terraform', '$(close) Cancel'],
    );

    const result = await vscode.commands.executeCommand<ApplyResult>('cloudRunGlobal.applyPlan', planUri);
    assert.ok(result?.ok, JSON.stringify(result?.steps.filter((s) => s.outcome !== 'created')));
    assert.match(result.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(
      result.steps.filter((s) => s.outcome !== (s.kind === 'addBackend' ? 'updated' : 'created')),
      [],
      'everything was created; the NEG was attached',
    );
    assert.equal(result.created.length, result.steps.length - 1);

    const topology = await api.model.loadedTopology();
    const lb = topology?.loadBalancers.find((l) => l.ip === result.ip);
    assert.ok(lb, 'the explorer shows the new load balancer');
    assert.deepEqual(lb.domains, ['app.example.com']);
    assert.deepEqual(
      lb.services.map((s) => s.name),
      ['my-global-app'],
    );
    assert.ok(lb.httpsRedirect);

    await vscode.window.showTextDocument(editor.document);
    const titles = await waitFor(
      'the summary lens',
      async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
        const t = found.map((l) => l.command?.title ?? '');
        return t.some((x) => x.includes(result.ip!)) ? t : undefined;
      },
      15_000,
    );
    assert.deepEqual(titles, [
      `$(watch) Global: ${result.ip} · app.example.com · certificate PROVISIONING`,
      '$(edit) Change domains',
      '$(add) Add region',
      '$(pulse) Diagnose certificate',
      'Show in explorer',
    ]);
  });

  it('exports the same plan as a gcloud script and as Terraform', async () => {
    const editor = await openWorkspaceFile('services.yaml');
    const args = {
      documentUri: editor.document.uri.toString(),
      service: 'image-resizer',
      domains: ['img.example.com'],
      regions: ['asia-northeast1'],
      names: {},
      options: { cdn: true, httpsRedirect: false, ipv6: false },
    };
    const planUri = await vscode.commands.executeCommand<string>('cloudRunGlobal.makeGlobal', args);
    const gcloud = await vscode.commands.executeCommand<string>('cloudRunGlobal.exportPlan', planUri, 'gcloud');
    const script = vscode.workspace.textDocuments.find((d) => d.uri.toString() === gcloud)!.getText();
    assert.match(script, /gcloud compute network-endpoint-groups create image-resizer-neg-asia-northeast1/);
    assert.match(script, /--enable-cdn/);
    assert.match(script, /forwarding-rules create image-resizer-https-rule[\s\S]*--load-balancing-scheme=EXTERNAL_MANAGED/);
    const terraform = await vscode.commands.executeCommand<string>('cloudRunGlobal.exportPlan', planUri, 'terraform');
    const hcl = vscode.workspace.textDocuments.find((d) => d.uri.toString() === terraform)!.getText();
    assert.match(hcl, /resource "google_compute_global_forwarding_rule"/);
    assert.match(hcl, /load_balancing_scheme\s*=\s*"EXTERNAL_MANAGED"/);
    await vscode.commands.executeCommand('cloudRunGlobal.cancelPlan', planUri);
    assert.ok(
      !vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === planUri),
      'Cancel closes the preview',
    );
  });

  it('stops with a clear message when a planned name exists with other settings', async () => {
    // A backend service by the planned name, with the classic scheme.
    await control.loadSeed({
      compute: [
        { project: 'demo-project', backendServices: [{ name: 'reports-backend', loadBalancingScheme: 'EXTERNAL', protocol: 'HTTP' }] },
      ],
    });
    await api.model.refresh();
    const original = vscode.window.showErrorMessage;
    let shown = '';
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = async (message: string) => {
      shown ||= message;
      return undefined;
    };
    try {
      const planUri = await vscode.commands.executeCommand<string>('cloudRunGlobal.makeGlobal', {
        service: 'reports',
        domains: ['reports.example.com'],
        regions: ['europe-west1'],
        names: {},
        options: {},
      });
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.parse(planUri));
      assert.equal(lenses[0].command?.title, '$(error) Conflicts: cannot apply');
    } finally {
      (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
    }
    assert.match(shown, /conflicts with what exists in demo-project: reports-backend: .*loadBalancingScheme/);
  });

  it('finishes a failed run when applied again, and Undo then removes what both runs created', async () => {
    await control.reset('demo');
    await api.model.refresh();
    await control.addFault({
      method: 'POST',
      path: '/global/targetHttpsProxies$',
      count: 1,
      status: 403,
      reason: 'quotaExceeded',
      message: "Quota 'TARGET_HTTPS_PROXIES' exceeded.  Limit: 10.0 globally.",
    });
    const planUri = await vscode.commands.executeCommand<string>('cloudRunGlobal.makeGlobal', {
      service: 'orders-worker',
      regions: ['asia-northeast1'],
      domains: ['orders.example.com'],
      names: {},
      options: { httpsRedirect: true, cdn: false, ipv6: false },
    });
    const first = await vscode.commands.executeCommand<ApplyResult>('cloudRunGlobal.applyPlan', planUri);
    assert.equal(first?.ok, false);
    assert.match(first!.steps.find((s) => s.stepId === 'https-proxy')!.message, /TARGET_HTTPS_PROXIES/);
    const second = await vscode.commands.executeCommand<ApplyResult>('cloudRunGlobal.applyPlan', planUri);
    assert.ok(second?.ok, JSON.stringify(second?.steps.filter((s) => s.outcome === 'failed')));
    assert.ok(
      second.steps.some((s) => s.outcome === 'adopted'),
      'the second run adopts what the first made',
    );

    const original = vscode.window.showWarningMessage;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (_m: string, options?: vscode.MessageOptions) =>
      options?.modal ? 'Undo' : undefined;
    try {
      await vscode.commands.executeCommand('cloudRunGlobal.undoApply', planUri);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    const state = (await control.state()) as { compute: Record<string, Record<string, { name: string }[]>> };
    const left = Object.values(state.compute['demo-project'])
      .flat()
      .map((r) => r.name)
      .filter((n) => n.startsWith('orders-worker'));
    assert.deepEqual(left, [], 'nothing the plan created is left');
  });
});
