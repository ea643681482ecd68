// User settings for the VS Code the harness starts: a quiet workbench (no welcome page, telemetry,
// trust prompt or update checks) and the extension pointed at the local emulator.

/** Sent as the bearer token; the emulator accepts any, and no real credential is ever involved. */
export const TEST_TOKEN = 'cloud-run-global-test-token';

export const DEMO_PROJECT = 'demo-project';

export interface EmulatorEndpoint {
  /** Root URL, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** UDP port of the emulator's DNS server. */
  dnsPort: number;
}

export function extensionSettings(emulator: EmulatorEndpoint, project = DEMO_PROJECT): Record<string, unknown> {
  return {
    'cloudRunGlobal.endpoint': emulator.url,
    'cloudRunGlobal.endpointCredentials': 'token',
    'cloudRunGlobal.endpointToken': TEST_TOKEN,
    'cloudRunGlobal.project': project,
    'cloudRunGlobal.dnsServers': [`127.0.0.1:${emulator.dnsPort}`],
  };
}

export const QUIET_WORKBENCH: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'window.restoreWindows': 'none',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  // code-server would otherwise offer to forward the emulator's port, with a badge on Ports.
  'remote.autoForwardPorts': false,
};

export function userSettings(emulator: EmulatorEndpoint, project = DEMO_PROJECT): Record<string, unknown> {
  return { ...QUIET_WORKBENCH, ...extensionSettings(emulator, project) };
}
