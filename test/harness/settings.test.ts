import * as assert from 'node:assert/strict';
import { codeServerSettings, DEMO_PROJECT, extensionSettings, userSettings } from './settings';

describe('harness settings', () => {
  const emulator = { url: 'http://127.0.0.1:4321/', dnsPort: 5353 };

  it('point every extension setting at the emulator, with no credential in any of them', () => {
    assert.deepEqual(extensionSettings(emulator), {
      'cloudRunGlobal.endpoint': 'http://127.0.0.1:4321/',
      'cloudRunGlobal.endpointCredentials': 'none',
      'cloudRunGlobal.project': DEMO_PROJECT,
      'cloudRunGlobal.dnsServers': ['127.0.0.1:5353'],
    });
  });

  it('keep the workbench quiet and untrusting of nothing', () => {
    const settings = userSettings(emulator);
    assert.equal(settings['workbench.startupEditor'], 'none');
    assert.equal(settings['telemetry.telemetryLevel'], 'off');
    assert.equal(settings['security.workspace.trust.enabled'], false);
    assert.equal(settings['cloudRunGlobal.project'], 'demo-project');
  });

  it('give code-server the machine-scoped settings in its Machine settings, the rest in User', () => {
    const { user, machine } = codeServerSettings(emulator);
    assert.deepEqual(Object.keys(machine).sort(), [
      'cloudRunGlobal.dnsServers',
      'cloudRunGlobal.endpoint',
      'cloudRunGlobal.endpointCredentials',
      'workbench.welcomePage.walkthroughs.openOnInstall',
    ]);
    // Machine-scoped: from User alone, the remote extension host reads the default (true).
    assert.equal(machine['workbench.welcomePage.walkthroughs.openOnInstall'], false);
    assert.equal(user['cloudRunGlobal.project'], DEMO_PROJECT);
    assert.equal(user['cloudRunGlobal.endpoint'], undefined);
  });

  it('turn workspace trust on, without its prompt, for Restricted Mode', () => {
    const { user } = codeServerSettings(emulator, { restricted: true });
    assert.equal(user['security.workspace.trust.enabled'], true);
    assert.equal(user['security.workspace.trust.startupPrompt'], 'never');
  });
});
