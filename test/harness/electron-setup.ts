// For `npm run test:electron` (.vscode-test.mjs): the same emulator, settings and workspace the
// code-server runner gives the integration suites, prepared for a desktop VS Code that
// @vscode/test-electron downloads. The emulator lives in the vscode-test process, which exits
// when the run ends; the temporary folders are removed then.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoEmulator } from './emulator';
import { EMULATOR_URL_ENV } from './environment';
import { userSettings } from './settings';
import { copyDemoWorkspace } from './workspace';

export interface ElectronRun {
  workspaceFolder: string;
  launchArgs: string[];
  env: Record<string, string>;
}

export async function prepareElectronRun(): Promise<ElectronRun> {
  const emulator = await startDemoEmulator();
  const workspace = copyDemoWorkspace();
  const userDataDir = mkdtempSync(join(tmpdir(), 'crg-electron-user-data-'));
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings(emulator), null, 2) + '\n');
  process.on('exit', () => {
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(join(workspace.path, '..'), { recursive: true, force: true });
  });
  return {
    workspaceFolder: workspace.path,
    // Our user data (settings pointing at the emulator); no other installed extension interferes.
    launchArgs: [
      `--user-data-dir=${userDataDir}`,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
    env: { [EMULATOR_URL_ENV]: emulator.url },
  };
}
