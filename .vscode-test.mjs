// `npm run test:electron`: the integration suites in a desktop VS Code downloaded by
// @vscode/test-electron, on machines that can download it (npm test uses code-server instead).
// Needs `npm run compile` first, which the script does.
import { defineConfig } from '@vscode/test-cli';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { prepareElectronRun } = require('./out/test/harness/electron-setup.js');
const run = await prepareElectronRun();

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  // The engine this extension targets, and the VS Code that code-server 4.100.3 ships.
  version: '1.100.3',
  workspaceFolder: run.workspaceFolder,
  launchArgs: run.launchArgs,
  env: run.env,
  mocha: { ui: 'bdd', timeout: 20000, color: false },
});
