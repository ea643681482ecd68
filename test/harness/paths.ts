// Where the harness keeps things, found from the repository root so the same code works from
// test/harness/*.ts (ts-node, editors) and out/test/harness/*.js (compiled).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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
