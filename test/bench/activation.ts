// Start-up in the real extension host: code-server with the extension installed from its VSIX (the
// minified bundles users get, not the sources a development window loads, whose lens requests VS Code
// also delays on purpose), the emulator behind the settings as in the tests, and for every launch two
// fresh windows, each with a fresh browser profile:
//
// - one opened on a 100-line Knative YAML, as `code bench-service.yaml` would. Its language activates
//   both extensions compared during start-up, 8 ms apart in the host's log: ours (onLanguage:yaml)
//   and the built-in Emmet (`onLanguage`: the first document of any language). Their times are read
//   from "Developer: Show Running Extensions", which shows what the host reports for each: the time
//   to load its code plus the time of its activate() call.
// - one left to finish starting, then the YAML opened with Quick Open (which activates ours), timed
//   in the page from the Enter key's event to the animation frame that paints the first "Make global"
//   CodeLens; and, for scale, to the frame that paints the file's text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../harness/browser';
import { startEnvironment, type VsCodeEnvironment } from '../harness/environment';
import type { WorkbenchLaunch } from '../harness/workbench-url';
import { log } from '../harness/log';
import { repoRoot } from '../harness/paths';
import { cleanupAll, descendantsOf, installExitHandlers } from '../harness/processes';

/** BENCH_LAUNCHES overrides, for a quicker look. */
export const LAUNCHES = Number(process.env.BENCH_LAUNCHES) || 5;
const BENCH_FILE = 'bench-service.yaml';
/** The window is left alone until its start-up activations have not changed for this long. */
const SETTLED_FOR_MS = 3_000;
const STEP_TIMEOUT_MS = 30_000;

export interface ActivationRun {
  /** Activation of Cloud Run Global as the host reports it (code loading + activate()), ms. */
  oursMs: number;
  /** The same for Emmet, in the same window. */
  emmetMs: number;
  /** Quick Open's Enter to the first painted "Make global" lens, ms. */
  firstLensMs: number;
  /** Quick Open's Enter to the file's text painted (VS Code's own part of the wait), ms. */
  textMs: number;
  /** Every activated extension in that window, as the Running Extensions view lists it. */
  all: Array<{ name: string; ms: number }>;
}

export interface ActivationBenchResult {
  runs: ActivationRun[];
  oursMedianMs: number;
  emmetMedianMs: number;
  /** Median over the windows of ours / Emmet's in the same window. */
  ratioMedian: number;
  firstLensMedianMs: number;
  vsixBytes: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A Knative Service of exactly `lines` lines, for a service no load balancer fronts (so its lens is "Make global"). */
export function knativeServiceYaml(lines = 100): string {
  const head = [
    '# A Knative Service of 100 lines for the start-up benchmark.',
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    '  name: bench-app',
    '  labels:',
    '    cloud.googleapis.com/location: us-central1',
    '  annotations:',
    '    run.googleapis.com/ingress: all',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - image: us-docker.pkg.dev/cloudrun/container/hello',
    '          env:',
  ];
  const env: string[] = [];
  for (let i = 0; head.length + env.length < lines; i++) env.push(`            - name: SETTING_${i}`, `              value: "value ${i}"`);
  return [...head, ...env].slice(0, lines).join('\n') + '\n';
}

/** `npm run package`'s VSIX (its prepublish step builds the minified bundles), in a temporary folder. */
function packageVsix(dir: string): string {
  const out = join(dir, 'cloud-run-global.vsix');
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

const IN_PAGE_WATCH = `(() => {
  const bench = (window.__bench = { armed: false });
  document.addEventListener('keydown', (e) => {
    if (bench.armed && e.key === 'Enter' && bench.openedAt === undefined) bench.openedAt = e.timeStamp;
  }, true);
  const observer = new MutationObserver(() => {
    if (bench.openedAt !== undefined && bench.textAt === undefined && document.querySelector('.monaco-editor .view-lines .view-line')) {
      bench.textAt = -1;
      requestAnimationFrame(() => { bench.textAt = performance.now(); });
    }
    if (bench.openedAt === undefined || bench.lensSeen) return;
    for (const lens of document.querySelectorAll('.codelens-decoration')) {
      if (/Make global/.test(lens.textContent || '')) {
        bench.lensSeen = true;
        observer.disconnect();
        requestAnimationFrame(() => { bench.lensAt = performance.now(); });
        return;
      }
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
})()`;

async function command(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: STEP_TIMEOUT_MS });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row.focused .label-name', { hasText: title }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
}

/** Rows of the Running Extensions editor: name and "Activation: N ms". */
async function runningExtensions(page: Page): Promise<Array<{ name: string; ms: number }>> {
  if (!(await page.locator('.runtime-extensions-editor').isVisible())) await command(page, 'Developer: Show Running Extensions');
  const rows = page.locator('.runtime-extensions-editor .extension');
  await rows.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  const found: Array<{ name: string; ms: number }> = [];
  for (const row of await rows.all()) {
    const name = ((await row.locator('.name').first().textContent()) ?? '').trim();
    const time = ((await row.locator('.activation-time').first().textContent()) ?? '').trim();
    const ms = /(\d+)\s*ms/.exec(time);
    if (name && ms) found.push({ name, ms: Number(ms[1]) });
  }
  return found;
}

/**
 * Waits until the window's extension host has finished starting: the start-up extensions (Merge
 * Conflict activates on onStartupFinished) are active and the Running Extensions list has stopped
 * changing. Returns that list and closes its editor, leaving a window that is doing nothing else.
 */
async function settle(page: Page): Promise<Array<{ name: string; ms: number }>> {
  const deadline = Date.now() + 120_000;
  let last: Array<{ name: string; ms: number }> = [];
  let sameSince = Date.now();
  for (;;) {
    const now = await runningExtensions(page);
    if (JSON.stringify(now) !== JSON.stringify(last)) {
      last = now;
      sameSince = Date.now();
    } else if (now.some((e) => /Merge Conflict|merge-conflict/i.test(e.name)) && Date.now() - sameSince >= SETTLED_FOR_MS) {
      break;
    }
    if (Date.now() > deadline) throw new Error(`the extension host did not settle within 120 s: ${JSON.stringify(now)}`);
    await page.waitForTimeout(500);
  }
  await command(page, 'View: Close All Editors');
  await page.locator('.runtime-extensions-editor').waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  return last;
}

async function inWindow<T>(environment: VsCodeEnvironment, launch: Partial<WorkbenchLaunch>, work: (page: Page) => Promise<T>): Promise<T> {
  const browser = await launchBrowser(environment.runtime);
  try {
    const page = await browser.newPage();
    await page.goto(environment.server.workbenchUrl(launch));
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    await page.locator('.part.activitybar a.action-label[aria-label^="Cloud Run Global"]').waitFor({ timeout: 60_000 });
    const result = await work(page);
    // Leaving the page lets the workbench say goodbye, so the server ends this window's extension host.
    await page.goto('about:blank').catch(() => undefined);
    return result;
  } finally {
    await browser.close();
  }
}

/**
 * Activation: a fresh window opened on the YAML file, as the issue measured it. The YAML is the
 * window's first document, so its language activates both extensions compared during start-up:
 * ours (onLanguage:yaml) and the built-in Emmet (`onLanguage`, the first document of any language).
 */
async function activationTimes(environment: VsCodeEnvironment, file: string, index: number): Promise<Pick<ActivationRun, 'oursMs' | 'emmetMs' | 'all'>> {
  return inWindow(environment, { openFile: file }, async (page) => {
    await page.locator('.codelens-decoration', { hasText: 'Make global' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const all = (await settle(page)).sort((a, b) => b.ms - a.ms);
    const ours = all.find((e) => /cloud-run-global|Cloud Run Global/i.test(e.name));
    const emmet = all.find((e) => /emmet/i.test(e.name));
    if (!ours || !emmet) throw new Error(`launch ${index}: the Running Extensions view lists ${JSON.stringify(all)}, without both Cloud Run Global and Emmet`);
    return { oursMs: ours.ms, emmetMs: emmet.ms, all };
  });
}

/**
 * The first lens: a fresh window left to finish starting, then the YAML opened with Quick Open
 * (which activates the extension), timed in the page from the Enter key's event to the animation
 * frame that paints the first "Make global" CodeLens.
 */
async function firstLens(environment: VsCodeEnvironment): Promise<Pick<ActivationRun, 'firstLensMs' | 'textMs'>> {
  return inWindow(environment, {}, async (page) => {
    await settle(page);
    await page.waitForTimeout(1_000);
    await page.evaluate(IN_PAGE_WATCH);
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: STEP_TIMEOUT_MS });
    await input.fill(BENCH_FILE);
    await page.locator('.quick-input-widget .monaco-list-row.focused .label-name', { hasText: BENCH_FILE }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.evaluate('window.__bench.armed = true');
    await page.keyboard.press('Enter');
    await page.waitForFunction('window.__bench.lensAt !== undefined', undefined, { timeout: STEP_TIMEOUT_MS });
    const [lens, text] = JSON.parse(String(await page.evaluate('JSON.stringify([window.__bench.lensAt - window.__bench.openedAt, window.__bench.textAt - window.__bench.openedAt])'))) as number[];
    return { firstLensMs: Math.round(lens), textMs: Math.round(text) };
  });
}

export async function benchActivation(launches = LAUNCHES): Promise<ActivationBenchResult> {
  installExitHandlers();
  const dir = mkdtempSync(join(tmpdir(), 'crg-bench-activation-'));
  try {
    log('packaging the VSIX (minified bundles)');
    const vsix = packageVsix(dir);
    const environment = await startEnvironment({ installExtensions: [vsix] });
    writeFileSync(join(environment.workspace.path, BENCH_FILE), knativeServiceYaml(100));
    const file = join(environment.workspace.path, BENCH_FILE);
    const runs: ActivationRun[] = [];
    for (let i = 1; i <= launches; i++) {
      const run = { ...(await activationTimes(environment, file, i)), ...(await firstLens(environment)) };
      const hosts = descendantsOf(process.pid).filter((p) => /node/.test(p.command)).length;
      log(`launch ${i}: Cloud Run Global ${run.oursMs} ms, Emmet ${run.emmetMs} ms, first lens ${run.firstLensMs} ms (text ${run.textMs} ms) (node processes under the bench: ${hosts})`);
      runs.push(run);
    }
    return {
      runs,
      oursMedianMs: median(runs.map((r) => r.oursMs)),
      emmetMedianMs: median(runs.map((r) => r.emmetMs)),
      ratioMedian: median(runs.map((r) => r.oursMs / Math.max(1, r.emmetMs))),
      firstLensMedianMs: median(runs.map((r) => r.firstLensMs)),
      vsixBytes: statSync(vsix).size,
    };
  } finally {
    await cleanupAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printActivation(r: ActivationBenchResult): void {
  console.log(`\nStart-up in code-server's extension host, ${r.runs.length} fresh windows (a 100-line Knative YAML opened with Quick Open):`);
  console.log('  launch  Cloud Run Global  Emmet   ratio  first lens   (every activated extension, ms)');
  r.runs.forEach((run, i) => {
    const others = run.all.map((e) => `${e.name} ${e.ms}`).join(', ');
    console.log(`  ${String(i + 1).padStart(6)}  ${`${run.oursMs} ms`.padStart(16)}  ${`${run.emmetMs} ms`.padStart(6)}  ${(run.oursMs / Math.max(1, run.emmetMs)).toFixed(2).padStart(5)}  ${`${run.firstLensMs} ms`.padStart(10)}   (${others})`);
  });
  console.log(`  median  ${`${r.oursMedianMs} ms`.padStart(16)}  ${`${r.emmetMedianMs} ms`.padStart(6)}  ${r.ratioMedian.toFixed(2).padStart(5)}  ${`${r.firstLensMedianMs} ms`.padStart(10)}`);
  console.log(`  VSIX ${(r.vsixBytes / 1024).toFixed(1)} KB`);
}
