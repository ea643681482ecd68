// Everything a real-VS-Code session needs, started in order and stopped in reverse: the runtime,
// the emulator with demo data, a fresh copy of the demo workspace, and code-server whose user
// settings point the extension at the emulator. Used by the test runner and by `npm start`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CodeServer, startCodeServer } from './code-server';
import { RunningEmulator, startDemoEmulator } from './emulator';
import { repoRoot } from './paths';
import { ensureRuntime, Runtime } from './runtime';
import { codeServerSettings } from './settings';
import { copyDemoWorkspace, TempWorkspace } from './workspace';

export const EMULATOR_URL_ENV = 'CLOUD_RUN_GLOBAL_EMULATOR_URL';

export interface EnvironmentOptions {
  preferredPort?: number;
  emulatorPort?: number;
  /** Seconds-long operations make progress visible in the demo; tests want them instant. */
  operationLatencyMs?: number;
  /** More environment for code-server and its extension hosts. */
  env?: Record<string, string>;
  /** Workspace trust on: the workspace, trusted by nobody, opens in Restricted Mode. */
  restricted?: boolean;
  /** More user settings, over the quiet workbench's. */
  settings?: Record<string, unknown>;
  /** More Machine settings (`machine`-scoped ones, which a remote window reads only from there). */
  machineSettings?: Record<string, unknown>;
  /** VSIX files code-server installs before it starts (the extension as users get it, not from source). */
  installExtensions?: string[];
}

export interface VsCodeEnvironment {
  readonly runtime: Runtime;
  readonly emulator: RunningEmulator;
  readonly workspace: TempWorkspace;
  readonly server: CodeServer;
  /** The workbench on the demo workspace with the extension loaded from this repository. */
  readonly extensionWorkbenchUrl: string;
  close(): Promise<void>;
}

export function assertExtensionBuilt(): void {
  const bundle = join(repoRoot, 'dist', 'extension.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
}

export async function startEnvironment(options: EnvironmentOptions = {}): Promise<VsCodeEnvironment> {
  assertExtensionBuilt();
  const runtime = await ensureRuntime();
  const emulator = await startDemoEmulator({ port: options.emulatorPort, operationLatencyMs: options.operationLatencyMs });
  const workspace = copyDemoWorkspace();
  const settings = codeServerSettings(emulator, { restricted: options.restricted });
  const server = await startCodeServer({
    runtime,
    folder: workspace.path,
    settings: { ...settings.user, ...options.settings },
    machineSettings: { ...settings.machine, ...options.machineSettings },
    workspaceTrust: options.restricted,
    env: { [EMULATOR_URL_ENV]: emulator.url, ...options.env },
    preferredPort: options.preferredPort,
    installExtensions: options.installExtensions,
  });
  return {
    runtime,
    emulator,
    workspace,
    server,
    extensionWorkbenchUrl: server.workbenchUrl({ extensionDevelopmentPath: repoRoot }),
    async close() {
      await server.close();
      await workspace.remove();
      await emulator.close();
    },
  };
}
