// Settings for the VS Code the harness starts: a quiet workbench (no welcome page, telemetry,
// trust prompt or update checks) and the extension pointed at the local emulator. Where requests go
// (endpoint, credentials mode, DNS servers) is `machine`-scoped: in code-server's window, which is a
// remote window, only the server's Machine settings can set it; a desktop VS Code reads it from User.

/**
 * A token that must never appear in anything the extension writes. Tests put it into VS Code's
 * secret storage (through the Set Endpoint Token command) and look for it in every output.
 */
export const CANARY_TOKEN = 'crg-canary-6b1f0e4c9d2a7358';

export const DEMO_PROJECT = 'demo-project';

export interface EmulatorEndpoint {
  /** Root URL, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** UDP port of the emulator's DNS server. */
  dnsPort: number;
}

/** The emulator accepts any bearer token: the extension's placeholder is enough, no secret involved. */
export function machineSettings(emulator: EmulatorEndpoint): Record<string, unknown> {
  return {
    'cloudRunGlobal.endpoint': emulator.url,
    'cloudRunGlobal.endpointCredentials': 'none',
    'cloudRunGlobal.dnsServers': [`127.0.0.1:${emulator.dnsPort}`],
  };
}

export function extensionSettings(emulator: EmulatorEndpoint, project = DEMO_PROJECT): Record<string, unknown> {
  return { ...machineSettings(emulator), 'cloudRunGlobal.project': project };
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

/** Every setting in one file, for a desktop (local) window. */
export function userSettings(emulator: EmulatorEndpoint, project = DEMO_PROJECT): Record<string, unknown> {
  return { ...QUIET_WORKBENCH, ...extensionSettings(emulator, project) };
}

/** Workspace trust on, without its start-up prompt: a folder nobody trusted opens in Restricted Mode. */
export const RESTRICTED_MODE: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

export interface CodeServerSettings {
  /** The User settings.json. */
  user: Record<string, unknown>;
  /** The server's Machine settings.json: what a remote window's `machine`-scoped settings come from. */
  machine: Record<string, unknown>;
}

export function codeServerSettings(
  emulator: EmulatorEndpoint,
  options: { project?: string; restricted?: boolean } = {},
): CodeServerSettings {
  return {
    user: { ...QUIET_WORKBENCH, ...(options.restricted ? RESTRICTED_MODE : {}), 'cloudRunGlobal.project': options.project ?? DEMO_PROJECT },
    // The walkthrough switch is `machine`-scoped too: from User alone, a remote window's extension host
    // still reads it as true.
    machine: {
      ...machineSettings(emulator),
      'workbench.welcomePage.walkthroughs.openOnInstall': QUIET_WORKBENCH['workbench.welcomePage.walkthroughs.openOnInstall'],
    },
  };
}
