import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { emulatorUrl } from './helpers';

describe('Settings written by the harness', () => {
  const config = () => vscode.workspace.getConfiguration('cloudRunGlobal');

  it('point the extension at the emulator, from user settings', function () {
    const url = emulatorUrl();
    if (!url) this.skip(); // started without the harness (no emulator)
    assert.equal(config().get('endpoint'), url);
    // Real credentials go only to an endpoint from the user's (here: the server's Machine) settings.
    assert.equal(config().inspect('endpoint')?.globalValue, url);
  });

  it('send no credential to the demo project, and keep none in settings', () => {
    assert.equal(config().get('endpointCredentials'), 'none');
    const old = config().inspect('endpointToken');
    assert.equal(old?.globalValue ?? old?.workspaceValue ?? old?.workspaceFolderValue, undefined);
    assert.equal(config().get('project'), 'demo-project');
  });

  it("resolve DNS through the emulator's loopback server", () => {
    const servers = config().get<string[]>('dnsServers') ?? [];
    assert.ok(servers.length > 0, 'no DNS server configured: checks would use the system resolver');
    for (const server of servers) assert.match(server, /^127\.0\.0\.1:\d+$/);
  });
});
