import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EmulatorControl } from '../emulator/control';
import { emulatorUrl, extension, openWorkspaceFile, waitFor } from './helpers';

// The extension, configured only through settings, talks to the emulator the harness started.
describe('Extension against the emulator', () => {
  let control: EmulatorControl;

  before(async function () {
    const url = emulatorUrl();
    if (!url) this.skip(); // started without the harness: no emulator to talk to
    control = new EmulatorControl(url as string);
    await openWorkspaceFile('service.yaml');
    await waitFor('the extension to activate', () => extension().isActive);
  });

  it("reaches the emulator's control API from the extension host", async () => {
    const state = (await control.state()) as Record<string, unknown>;
    assert.ok(state && typeof state === 'object');
  });

  it('lists Cloud Run services through the emulator when the explorer refreshes', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.cloudRunGlobal');
    await control.resetRequests();
    await vscode.commands.executeCommand('cloudRunGlobal.refresh');
    const counts = await waitFor(
      'a Cloud Run list request',
      async () => {
        const requests = await control.requests();
        return Object.keys(requests.byRoute).some((route) => /services/.test(route)) ? requests : undefined;
      },
      15_000,
    );
    assert.ok(counts.total > 0);
  });
});
