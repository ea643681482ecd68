// Runs compiled mocha files in this process with a hard time limit, for the suites that drive
// VS Code from outside (UI) and for the harness's own tests.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { SuiteOutcome } from './suite-outcome';
import { isSelectedTestFile } from './test-filter';

export function testFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => isSelectedTestFile(name))
    .sort()
    .map((name) => join(dir, name));
}

export interface MochaSuiteOptions {
  name: string;
  files: string[];
  testTimeoutMs: number;
  /** The whole suite is aborted and counted as one more failure past this. */
  suiteTimeoutMs: number;
  rootHooks?: Mocha.RootHookObject;
  /** Called once when the suite times out, before it is aborted (e.g. to take a screenshot). */
  onTimeout?: () => Promise<void>;
}

export async function runMochaSuite(options: MochaSuiteOptions): Promise<SuiteOutcome> {
  const started = Date.now();
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: options.testTimeoutMs, rootHooks: options.rootHooks });
  for (const file of options.files) mocha.addFile(file);
  const problems: string[] = [];
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const stats = await new Promise<Mocha.Stats | undefined>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
    timer = setTimeout(() => {
      timedOut = true;
      problems.push(`timed out after ${options.suiteTimeoutMs / 1000} s`);
      void (options.onTimeout?.() ?? Promise.resolve()).finally(() => {
        runner.abort();
        // abort() only stops between tests; a test stuck on a promise never reaches that point.
        resolve(runner.stats);
      });
    }, options.suiteTimeoutMs);
  });
  clearTimeout(timer);
  return {
    name: options.name,
    passed: stats?.passes ?? 0,
    failed: (stats?.failures ?? 0) + (timedOut ? 1 : 0),
    pending: stats?.pending ?? 0,
    durationMs: Date.now() - started,
    problems,
  };
}
