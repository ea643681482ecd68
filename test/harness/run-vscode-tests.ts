// `npm test`'s VS Code stage: the harness's own tests, then the integration suites inside a real
// extension host, then the UI tests in the browser workbench, against the emulator with demo data.
// Prints one `N passed, N failed` line last (test/run.mjs reads it) and exits non-zero on any
// failure. Every process it starts is stopped before it exits, also on Ctrl+C and on timeouts.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, saveScreenshot } from './browser';
import { startEnvironment, VsCodeEnvironment } from './environment';
import { integrationEntry, runIntegrationSuites } from './integration';
import { RESULTS_FILE_ENV } from '../integration';
import { log, warn } from './log';
import { runMochaSuite, testFilesIn } from './mocha-suite';
import { clearHarnessResults, compiledTestsDir, ensureResultsDir } from './paths';
import { scanForSecret } from './secret-scan';
import { CANARY_TOKEN } from './settings';
import { cleanupAll, descendantsOf, installExitHandlers, onCleanup } from './processes';
import { anyFailed, describeOutcome, failedOutcome, SuiteOutcome, totalLine } from './suite-outcome';
import { runUiSuites } from './ui';
import { trackedPages } from './ui-session';

function envMs(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Generous against a shared 2-core machine, yet far below CI's limit; override to force a timeout. */
const LIMITS = {
  integrationMs: envMs('CLOUD_RUN_GLOBAL_INTEGRATION_TIMEOUT_MS', 180_000),
  uiTestMs: envMs('CLOUD_RUN_GLOBAL_UI_TEST_TIMEOUT_MS', 90_000),
  uiSuiteMs: envMs('CLOUD_RUN_GLOBAL_UI_TIMEOUT_MS', 600_000),
  /** Everything, a cold runtime install included. */
  totalMs: envMs('CLOUD_RUN_GLOBAL_VSCODE_TIMEOUT_MS', 20 * 60_000),
};

const outcomes: SuiteOutcome[] = [];
let finishing = false;

/** Once the run is finishing (watchdog, setup failure), suites still unwinding no longer count. */
function record(outcome: SuiteOutcome): void {
  if (!finishing) outcomes.push(outcome);
}

async function finish(extra?: SuiteOutcome): Promise<never> {
  if (finishing) return new Promise<never>(() => undefined); // the first caller exits the process
  if (extra) outcomes.push(extra);
  finishing = true;
  await cleanupAll();
  const leftovers = descendantsOf(process.pid);
  if (leftovers.length) {
    outcomes.push(failedOutcome('processes', `still running after cleanup: ${leftovers.map((p) => `${p.pid} ${p.command}`).join(', ')}`));
  } else {
    log('every process the harness started has stopped');
  }
  console.log('\nVS Code suites:');
  for (const outcome of outcomes) console.log(`  ${describeOutcome(outcome)}`);
  console.log(totalLine(outcomes));
  process.exit(anyFailed(outcomes) ? 1 : 0);
}

function startWatchdog(): void {
  const timer = setTimeout(() => {
    if (finishing) return;
    warn(`the VS Code stage ran over ${LIMITS.totalMs / 1000} s; stopping it`);
    void Promise.all(trackedPages().map((page) => saveScreenshot(page, 'vscode-stage-timeout'))).finally(() =>
      finish(failedOutcome('watchdog', `stage exceeded ${LIMITS.totalMs / 1000} s`)),
    );
  }, LIMITS.totalMs);
  timer.unref();
}

async function runHarnessTests(): Promise<SuiteOutcome> {
  return runMochaSuite({
    name: 'harness',
    files: testFilesIn(join(compiledTestsDir, 'harness')),
    testTimeoutMs: 10_000,
    suiteTimeoutMs: 60_000,
  });
}

async function main(): Promise<void> {
  installExitHandlers();
  startWatchdog();
  clearHarnessResults();
  record(await runHarnessTests());

  if (!existsSync(integrationEntry)) await finish(failedOutcome('setup', `${integrationEntry} is missing: run tsc -p . first`));

  const stateDir = mkdtempSync(join(tmpdir(), 'crg-vscode-tests-'));
  onCleanup('test state', async () => rmSync(stateDir, { recursive: true, force: true }));
  const resultsFile = join(stateDir, 'integration-results.json');

  let environment: VsCodeEnvironment;
  try {
    environment = await startEnvironment({ env: { [RESULTS_FILE_ENV]: resultsFile } });
  } catch (err) {
    return finish(failedOutcome('setup', (err as Error).message));
  }
  // The server log outlives the run: it is the first thing to read when a suite fails.
  onCleanup('keep code-server log', async () => {
    if (existsSync(environment.server.logFile)) copyFileSync(environment.server.logFile, join(ensureResultsDir(), 'code-server.log'));
  });

  log('running the integration suites in the extension host');
  const integrationBrowser = await launchBrowser(environment.runtime);
  record(await runIntegrationSuites({ environment, browser: integrationBrowser, resultsFile, timeoutMs: LIMITS.integrationMs }));
  // The workbench keeps its layout in the browser profile; UI tests start from a fresh one.
  await integrationBrowser.close();
  // Integration suites change the demo project (they make services global, delete load balancers);
  // the UI tests expect it as a person first sees it.
  await environment.emulator.control.reset();
  log('running the UI tests');
  const browser = await launchBrowser(environment.runtime);
  record(await runUiSuites({ environment, browser, testTimeoutMs: LIMITS.uiTestMs, suiteTimeoutMs: LIMITS.uiSuiteMs }));
  await browser.close();
  // A narrowed run (CLOUD_RUN_GLOBAL_TEST_FILES) that names no Restricted Mode file starts no second
  // server: its extension would never activate, and the secret scan would find no log to read.
  if (testFilesIn(join(compiledTestsDir, 'restricted')).length) await runRestrictedSuite(stateDir);
  else log('no Restricted Mode test file is selected: that suite is left out');
  // The integration suites put the canary token into secret storage and used it: no log, output
  // channel or state file of the server may hold it.
  record(scanForSecret('no secret in output', [environment.server.userDataDir], CANARY_TOKEN, EXTENSION_LOG));
  await finish();
}

const restrictedEntry = join(compiledTestsDir, 'restricted', 'index.js');
/** The file behind the extension's log output channel. */
const EXTENSION_LOG = /Cloud Run Global\.log$/;

/** A second code-server with workspace trust on, on a fresh copy of the demo workspace nobody trusted. */
async function runRestrictedSuite(stateDir: string): Promise<void> {
  const resultsFile = join(stateDir, 'restricted-results.json');
  let environment: VsCodeEnvironment;
  try {
    // Its own emulator: the other window's extension host outlives its browser page and keeps polling.
    environment = await startEnvironment({ restricted: true, env: { [RESULTS_FILE_ENV]: resultsFile } });
  } catch (err) {
    record(failedOutcome('restricted', (err as Error).message));
    return;
  }
  log('running the Restricted Mode suite in an untrusted workspace');
  const browser = await launchBrowser(environment.runtime);
  let ranTests = true;
  try {
    const outcome = await runIntegrationSuites({
      environment,
      browser,
      resultsFile,
      timeoutMs: LIMITS.integrationMs,
      entry: restrictedEntry,
      name: 'restricted',
    });
    ranTests = outcome.passed + outcome.failed > 0;
    record(outcome);
  } finally {
    await browser.close();
    // Its files go with it: look for the token first. A run narrowed to other files
    // (CLOUD_RUN_GLOBAL_TEST_FILES) ran no test there, so no extension wrote a log to look into.
    if (ranTests) record(scanForSecret('no secret in restricted output', [environment.server.userDataDir], CANARY_TOKEN, EXTENSION_LOG));
    await environment.close();
  }
}

main().catch((err: unknown) => finish(failedOutcome('harness', err instanceof Error ? (err.stack ?? err.message) : String(err))));
