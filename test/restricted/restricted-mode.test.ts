import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CloudRunGlobalApi } from '../../src/extension';
import { EmulatorControl } from '../emulator/control';
import { CANARY_TOKEN } from '../harness/settings';
import { emulatorUrl, extension, openWorkspaceFile, waitFor, workspaceUri } from '../integration/helpers';
import { Recorder, startRecorder, WORKSPACE_SETTINGS } from '../integration/recorder';

// Restricted Mode: the user's endpoint (the emulator, in their settings) with their token in secret
// storage, and a workspace whose settings name another endpoint. Opening its Knative YAML, and the
// commands a person might try, send no request anywhere.
describe('Restricted Mode', () => {
  const config = () => vscode.workspace.getConfiguration('cloudRunGlobal');
  let recorder: Recorder;
  let control: EmulatorControl;

  before(async function () {
    this.timeout(30_000);
    const url = emulatorUrl();
    if (!url) this.skip();
    control = new EmulatorControl(url!);
    recorder = await startRecorder();
    mkdirSync(workspaceUri(WORKSPACE_SETTINGS[0]).fsPath, { recursive: true });
    writeFileSync(
      workspaceUri(...WORKSPACE_SETTINGS).fsPath,
      JSON.stringify(
        {
          'cloudRunGlobal.endpoint': recorder.url,
          'cloudRunGlobal.endpointCredentials': 'token',
          'cloudRunGlobal.project': 'workspace-project',
        },
        null,
        2,
      ),
    );
    await control.resetRequests();
  });

  after(async () => {
    if (!emulatorUrl()) return;
    rmSync(workspaceUri(WORKSPACE_SETTINGS[0]).fsPath, { recursive: true, force: true });
    await recorder?.close();
  });

  it('runs in an untrusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is trusted: this suite would prove nothing');
  });

  it('opening a Knative YAML activates the extension and sends no request, with or without credentials', async function () {
    this.timeout(40_000);
    await openWorkspaceFile('service.yaml');
    await waitFor('the extension to activate', () => extension().isActive, 20_000);
    const api = extension().exports as CloudRunGlobalApi;
    // The user's token is there, and the user's settings say to send it.
    await vscode.commands.executeCommand('cloudRunGlobal.setEndpointToken', CANARY_TOKEN);
    await config().update('endpointCredentials', 'token', vscode.ConfigurationTarget.Global);
    await openWorkspaceFile('services.yaml');
    const document = (await openWorkspaceFile('service.yaml')).document;
    // What the editor asks for on its own: lenses and diagnostics for the open YAML.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    assert.ok(Array.isArray(lenses));
    assert.equal(api.session.current.connection, undefined);
    assert.match(api.session.current.problem?.message ?? '', /Restricted Mode/);
    // Commands fail with the Restricted Mode message instead of reaching out.
    for (const command of ['cloudRunGlobal.refresh', 'cloudRunGlobal.recheck']) await vscode.commands.executeCommand(command);
    await api.model.refresh();
    assert.match(api.model.problem?.message ?? '', /Restricted Mode/);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(recorder.saw(CANARY_TOKEN), false);
    assert.deepEqual(
      recorder.requests.map((r) => `${r.method} ${r.url}`),
      [],
      "the workspace's endpoint got requests",
    );
    assert.equal((await control.requests()).total, 0, "the user's endpoint got requests");
  });

  it("ignores the workspace's project, endpoint and credentials mode there", () => {
    assert.equal(config().get('project'), 'demo-project');
    assert.equal(config().get('endpoint'), emulatorUrl());
    assert.equal(config().inspect('endpoint')?.workspaceValue, undefined);
  });
});
