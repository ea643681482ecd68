// Runs test/ui: mocha in this process, playwright driving the workbench of the environment the
// runner started. A failed test leaves a screenshot of every open workbench in test-results/.
import { join } from 'node:path';
import { saveScreenshot, TestBrowser } from './browser';
import { VsCodeEnvironment } from './environment';
import { runMochaSuite, testFilesIn } from './mocha-suite';
import { compiledTestsDir } from './paths';
import { SuiteOutcome } from './suite-outcome';
import { setUiSession, trackedPages } from './ui-session';

export interface UiRunOptions {
  environment: VsCodeEnvironment;
  browser: TestBrowser;
  testTimeoutMs: number;
  suiteTimeoutMs: number;
}

async function photographOpenPages(label: string): Promise<void> {
  const pages = trackedPages();
  await Promise.all(pages.map((page, index) => saveScreenshot(page, pages.length > 1 ? `${label}-${index + 1}` : label)));
}

export async function runUiSuites(options: UiRunOptions): Promise<SuiteOutcome> {
  setUiSession({ environment: options.environment, browser: options.browser });
  try {
    return await runMochaSuite({
      name: 'ui',
      files: testFilesIn(join(compiledTestsDir, 'ui')),
      testTimeoutMs: options.testTimeoutMs,
      suiteTimeoutMs: options.suiteTimeoutMs,
      rootHooks: {
        async afterEach(this: Mocha.Context) {
          const test = this.currentTest;
          if (test?.state === 'failed') await photographOpenPages(`ui-failed-${test.fullTitle()}`);
        },
      },
      onTimeout: () => photographOpenPages('ui-timeout'),
    });
  } finally {
    setUiSession(undefined);
  }
}
