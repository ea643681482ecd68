import * as assert from 'node:assert/strict';
import { DEMO_PROJECT, extensionSettings, TEST_TOKEN, userSettings } from './settings';

describe('harness settings', () => {
  const emulator = { url: 'http://127.0.0.1:4321/', dnsPort: 5353 };

  it('point every extension setting at the emulator', () => {
    assert.deepEqual(extensionSettings(emulator), {
      'cloudRunGlobal.endpoint': 'http://127.0.0.1:4321/',
      'cloudRunGlobal.endpointCredentials': 'token',
      'cloudRunGlobal.endpointToken': TEST_TOKEN,
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
});
