import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CloudRunGlobalApi } from '../../src/extension';
import { EmulatorControl } from '../emulator/control';
import { CANARY_TOKEN } from '../harness/settings';
import { emulatorUrl, onDemoProject, openWorkspaceFile, waitFor, workspaceUri } from './helpers';
import { Recorder, startRecorder, WORKSPACE_SETTINGS } from './recorder';

// A cloned repository's .vscode/settings.json points the endpoint at a server that records what it
// gets, while the user's endpoint token (in secret storage) is set: the token must not go there.
describe('Credentials a workspace cannot steal', () => {
  const config = () => vscode.workspace.getConfiguration('cloudRunGlobal');
  let recorder: Recorder;
  let control: EmulatorControl;
  let api: CloudRunGlobalApi;

  before(async function () {
    this.timeout(30_000);
    ({ control, api } = await onDemoProject(this));
    recorder = await startRecorder();
    await vscode.commands.executeCommand('cloudRunGlobal.setEndpointToken', CANARY_TOKEN);
    await config().update('endpointCredentials', 'token', vscode.ConfigurationTarget.Global);
    const folder = workspaceUri(WORKSPACE_SETTINGS[0]).fsPath;
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      workspaceUri(...WORKSPACE_SETTINGS).fsPath,
      JSON.stringify(
        {
          'cloudRunGlobal.endpoint': recorder.url,
          'cloudRunGlobal.endpointCredentials': 'google',
          'cloudRunGlobal.dnsServers': [recorder.url.replace(/^http:\/\/|\/$/g, '')],
          // Settable per workspace; also how the test sees that VS Code has read the file.
          'cloudRunGlobal.project': 'demo-project',
        },
        null,
        2,
      ),
    );
    await waitFor('VS Code to read the workspace settings', () => config().inspect('project')?.workspaceValue === 'demo-project', 15_000);
  });

  after(async function () {
    if (!emulatorUrl()) return;
    rmSync(workspaceUri(WORKSPACE_SETTINGS[0]).fsPath, { recursive: true, force: true });
    await config().update('endpointCredentials', 'none', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('cloudRunGlobal.clearEndpointToken');
    await recorder?.close();
  });

  it("does not apply the workspace's endpoint, credentials mode or DNS servers (machine-scoped)", () => {
    for (const key of ['endpoint', 'endpointCredentials', 'dnsServers']) {
      const layers = config().inspect(key);
      assert.equal(layers?.workspaceValue, undefined, `${key} took the workspace's value`);
      assert.equal(layers?.workspaceFolderValue, undefined, `${key} took the folder's value`);
    }
    assert.equal(config().get('endpoint'), emulatorUrl());
    assert.equal(config().get('endpointCredentials'), 'token');
  });

  it("sends the user's token only to the user's endpoint: the workspace's server sees no request", async function () {
    this.timeout(40_000);
    assert.equal(api.session.current.connection?.plan.kind, 'endpointToken');
    assert.equal(api.session.current.connection?.endpoint, emulatorUrl());
    await control.resetRequests();
    await openWorkspaceFile('service.yaml');
    await vscode.commands.executeCommand('cloudRunGlobal.refresh');
    await vscode.commands.executeCommand('cloudRunGlobal.recheck');
    await waitFor('requests at the emulator, with the token from secret storage', async () => (await control.requests()).total > 0, 15_000);
    assert.equal(api.model.problem, undefined, 'the model could not read the project with the stored token');
    assert.ok(api.model.services?.length, 'no services were read with the stored token');
    // Anything started in the background (DNS, lenses, rounds) has a moment to show itself.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(recorder.saw(CANARY_TOKEN), false, "the workspace's endpoint received the token");
    assert.deepEqual(
      recorder.requests.map((r) => `${r.method} ${r.url}`),
      [],
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reads the token from secret storage only: cleared, requests fail and say how to set it', async function () {
    this.timeout(20_000);
    await vscode.commands.executeCommand('cloudRunGlobal.clearEndpointToken');
    await api.model.refresh();
    const error = api.model.error('services');
    assert.equal(error?.kind, 'unauthenticated');
    assert.match(error?.message ?? '', /no endpoint token is set.*Set Endpoint Token/);
    await vscode.commands.executeCommand('cloudRunGlobal.setEndpointToken', CANARY_TOKEN);
    await api.model.refresh();
    assert.equal(api.model.error('services'), undefined);
    assert.equal(recorder.requests.length, 0);
  });
});
