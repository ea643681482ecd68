// Runs test/integration inside code-server's real extension host: the workbench URL carries
// extensionDevelopmentPath + extensionTestsPath, the tests' run() writes a JSON summary, and the
// window calls window.codeAutomationExit(code) when run() settles.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { IntegrationResults, RESULTS_FILE_ENV } from '../integration/index';
import { saveScreenshot, TestBrowser } from './browser';
import { VsCodeEnvironment } from './environment';
import { log } from './log';
import { compiledTestsDir, repoRoot } from './paths';
import { failedOutcome, SuiteOutcome } from './suite-outcome';
import { trackPage } from './ui-session';

export { RESULTS_FILE_ENV };

export const integrationEntry = join(compiledTestsDir, 'integration', 'index.js');

export interface IntegrationRunOptions {
  environment: VsCodeEnvironment;
  browser: TestBrowser;
  /** Where run() writes its summary: the same path given to code-server as RESULTS_FILE_ENV. */
  resultsFile: string;
  timeoutMs: number;
  /** The extensionTestsPath module (default: test/integration) and the suite's name in the summary. */
  entry?: string;
  name?: string;
}

export async function runIntegrationSuites(options: IntegrationRunOptions): Promise<SuiteOutcome> {
  const name = options.name ?? 'integration';
  const entry = options.entry ?? integrationEntry;
  const started = Date.now();
  if (!existsSync(entry)) return failedOutcome(name, `${entry} is missing: compile first (tsc -p .)`);
  rmSync(options.resultsFile, { force: true });

  const page = await options.browser.newPage();
  try {
    trackPage(page);
    let reportExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (reportExit = resolve));
    // The workbench looks for these two functions when the extension host runs tests.
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      for (const line of text.split('\n')) if (!isWorkbenchChatter(line)) console.log(`  │ ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const url = options.environment.server.workbenchUrl({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: entry.replace(/\.js$/, ''),
    });
    await page.goto(url);
    const outcome = await Promise.race([exitCode, timedOut]);
    clearTimeout(timer);

    const results = readResults(options.resultsFile);
    const problems: string[] = [];
    if (outcome === 'timeout') {
      problems.push(`no result after ${options.timeoutMs / 1000} s`);
      const shot = await saveScreenshot(page, `${name}-timeout`);
      if (shot) problems.push(`screenshot ${shot}`);
    } else {
      log(`extension host tests finished with exit code ${outcome}`);
    }
    if (!results) problems.push('the tests wrote no results (did run() start?)');
    const passed = results?.passed ?? 0;
    let failed = results?.failed ?? 0;
    // A timeout, a crash before mocha ran or an exit code without failed tests each count once.
    if (outcome === 'timeout' || !results || (outcome !== 0 && failed === 0)) failed++;
    return { name, passed, failed, pending: results?.pending ?? 0, durationMs: Date.now() - started, problems };
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * The window forwards the whole workbench console while tests run; these lines are its start-up
 * routine and the offline gallery lookup, never about the tests. VERBOSE=1 shows them anyway.
 */
const WORKBENCH_CHATTER = [
  /^\s+at .*\/static\/out\/vs\//,
  /Resolv(ing|ed) connection token/,
  /Creating a socket \(renderer-/,
  /\[Service Worker\]/,
  /Updating additional builtin extensions cache/,
  /ChatSessionStore:/,
  /getaddrinfo ENOTFOUND open-vsx\.org/,
];

function isWorkbenchChatter(line: string): boolean {
  return !process.env.VERBOSE && WORKBENCH_CHATTER.some((pattern) => pattern.test(line));
}

function readResults(file: string): IntegrationResults | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as IntegrationResults;
  } catch {
    return undefined;
  }
}
