// Where the harness keeps things, found from the repository root so the same code works from
// test/harness/*.ts (ts-node, editors) and out/test/harness/*.js (compiled).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'cloud-run-global';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === PACKAGE_NAME) return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${start}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);

/** Git-ignored home of code-server (and anything else installed for the tests). */
export const runtimeDir = join(repoRoot, '.vscode-runtime');

/** Git-ignored folder for screenshots and result files a person looks at after a run. */
export const resultsDir = join(repoRoot, 'test-results');

export const demoWorkspaceFixture = join(repoRoot, 'test', 'fixtures', 'demo-workspace');

/** Compiled test code, loaded by the extension host and by mocha. */
export const compiledTestsDir = join(repoRoot, 'out', 'test');

export function ensureResultsDir(): string {
  mkdirSync(resultsDir, { recursive: true });
  return resultsDir;
}

/** What the VS Code runner writes into test-results/; other suites' files there are left alone. */
const HARNESS_RESULTS = /^(?:(?:ui|integration|vscode-stage)-.*\.png|demo\.png|code-server\.log)$/;

/** Removes the previous run's screenshots, so every picture in test-results/ is from this run. */
export function clearHarnessResults(): void {
  if (!existsSync(resultsDir)) return;
  for (const name of readdirSync(resultsDir)) if (HARNESS_RESULTS.test(name)) rmSync(join(resultsDir, name), { force: true });
}
