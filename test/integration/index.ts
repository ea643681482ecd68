// The extensionTestsPath module: VS Code's extension host loads it and calls run(); the window
// reports the outcome when the returned promise settles. Runs every *.test.js beside this file
// and, when CLOUD_RUN_GLOBAL_TEST_RESULTS names a file, writes a JSON summary there for the harness.
import { readdirSync, writeFileSync } from 'node:fs';
import { isSelectedTestFile } from '../harness/test-filter';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface IntegrationTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface IntegrationResults {
  passed: number;
  failed: number;
  pending: number;
  tests: IntegrationTestResult[];
}

export const RESULTS_FILE_ENV = 'CLOUD_RUN_GLOBAL_TEST_RESULTS';

export function run(): Promise<void> {
  return runSuitesIn(__dirname);
}

/** Runs every *.test.js in `dir` (another extensionTestsPath module may point at its own folder). */
export function runSuitesIn(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 20_000 });
  for (const file of readdirSync(dir)
    .filter((name) => isSelectedTestFile(name))
    .sort()) {
    mocha.addFile(join(dir, file));
  }
  const results: IntegrationResults = { passed: 0, failed: 0, pending: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env[RESULTS_FILE_ENV];
      if (file) writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
      if (failures) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
    });
    runner.on('fail', (test, err: unknown) => {
      results.failed++;
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error });
    });
    runner.on('pending', (test) => {
      results.pending++;
      results.tests.push({ title: test.fullTitle(), state: 'pending' });
    });
  });
}
