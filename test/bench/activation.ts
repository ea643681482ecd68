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
//   CodeLens; and, for scale, to the frame that paints the file's text. The workbench's messages to
//   and from the extension host, read off its WebSocket, split that wait into VS Code's part and ours:
//   the activation asked, our lens provider registered, the lenses asked, the lenses answered.
//   Both extensions are activated here too, by the one document: their times are read again.
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

/** Milliseconds from Quick Open's Enter to each message of the first lens's way, as the workbench's WebSocket carried it. */
export interface LensPath {
  /**
   * The editor's first request for lenses from any provider. Merge Conflict's is registered before the
   * file opens; when ours appears before the editor's debounce runs out, the debounce starts again and
   * both are asked together, so this equals `lensesAskedMs`.
   */
  anyLensesAskedMs: number;
  /** The workbench asks the extension host to activate for onLanguage:yaml. */
  activationAskedMs: number;
  /** Our CodeLens provider's registration arrives (the host loaded the extension's context, then activate() ran). */
  providerRegisteredMs: number;
  /** The editor asks for lenses (after its own debounce, at least 250 ms after a provider appears). */
  lensesAskedMs: number;
  /** The answer with "Make global" arrives. */
  lensesAnsweredMs: number;
}

export interface ActivationRun {
  /** Activation of Cloud Run Global as the host reports it (code loading + activate()), ms. */
  oursMs: number;
  /** The same for Emmet, in the same window. */
  emmetMs: number;
  /** The same two in the window where the YAML was opened after start-up. */
  oursAfterStartMs: number;
  emmetAfterStartMs: number;
  /** Quick Open's Enter to the first painted "Make global" lens, ms. */
  firstLensMs: number;
  /** Quick Open's Enter to the file's text painted (VS Code's own part of the wait), ms. */
  textMs: number;
  path: LensPath;
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
  oursAfterStartMedianMs: number;
  ratioAfterStartMedian: number;
  /** Median over the windows of each step of the first lens's way. */
  pathMedian: LensPath;
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
  execFileSync(
    join(repoRoot, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return out;
}

const IN_PAGE_WATCH = `(() => {
  const bench = (window.__bench = { armed: false });
  document.addEventListener('keydown', (e) => {
    if (bench.armed && e.key === 'Enter' && bench.openedAt === undefined) {
      bench.openedAt = e.timeStamp;
      bench.openedEpoch = performance.timeOrigin + e.timeStamp;
    }
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

/**
 * Rows of the Running Extensions editor: name and "Activation: N ms". The list draws only the rows
 * that fit (70 px each), slowest first, so the window is made tall enough for all of them while
 * they are read.
 */
async function runningExtensions(page: Page): Promise<Array<{ name: string; ms: number }>> {
  if (!(await page.locator('.runtime-extensions-editor').isVisible())) await command(page, 'Developer: Show Running Extensions');
  const rows = page.locator('.runtime-extensions-editor .extension');
  await rows.first().waitFor({ timeout: STEP_TIMEOUT_MS });
  const size = page.viewportSize();
  if (size) await page.setViewportSize({ width: size.width, height: 3_000 });
  try {
    await page.waitForTimeout(300);
    const found: Array<{ name: string; ms: number }> = [];
    for (const row of await rows.all()) {
      const name = ((await row.locator('.name').first().textContent()) ?? '').trim();
      const time = ((await row.locator('.activation-time').first().textContent()) ?? '').trim();
      const ms = /(\d+)\s*ms/.exec(time);
      if (name && ms) found.push({ name, ms: Number(ms[1]) });
    }
    return found;
  } finally {
    if (size) await page.setViewportSize(size);
  }
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

async function inWindow<T>(
  environment: VsCodeEnvironment,
  launch: Partial<WorkbenchLaunch>,
  work: (page: Page) => Promise<T>,
  beforeLoad?: (page: Page) => void,
): Promise<T> {
  const browser = await launchBrowser(environment.runtime);
  try {
    const page = await browser.newPage();
    beforeLoad?.(page);
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
async function activationTimes(
  environment: VsCodeEnvironment,
  file: string,
  index: number,
): Promise<Pick<ActivationRun, 'oursMs' | 'emmetMs' | 'all'>> {
  return inWindow(environment, { openFile: file }, async (page) => {
    await page.locator('.codelens-decoration', { hasText: 'Make global' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const all = (await settle(page)).sort((a, b) => b.ms - a.ms);
    const ours = all.find((e) => /cloud-run-global|Cloud Run Global/i.test(e.name));
    const emmet = all.find((e) => /emmet/i.test(e.name));
    if (!ours || !emmet)
      throw new Error(`launch ${index}: the Running Extensions view lists ${JSON.stringify(all)}, without both Cloud Run Global and Emmet`);
    return { oursMs: ours.ms, emmetMs: emmet.ms, all };
  });
}

/** The first message after `since` on the workbench's sockets that matches, with the wall-clock time it was seen. */
class SocketWatch {
  private readonly seen: Array<{ at: number; sent: boolean; text: string }> = [];

  constructor(page: Page) {
    page.on('websocket', (socket) => {
      const record = (sent: boolean) => (frame: { payload: string | Buffer }) => {
        const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('latin1');
        if (text.includes('$')) this.seen.push({ at: Date.now(), sent, text });
      };
      socket.on('framesent', record(true));
      socket.on('framereceived', record(false));
    });
  }

  has(since: number, sent: boolean, ...needles: string[]): boolean {
    return this.seen.some((m) => m.at >= since && m.sent === sent && needles.every((n) => m.text.includes(n)));
  }

  /** Wall-clock time of the first such message at or after `since`. */
  at(since: number, sent: boolean, ...needles: string[]): number {
    const hit = this.seen.find((m) => m.at >= since && m.sent === sent && needles.every((n) => m.text.includes(n)));
    if (!hit)
      throw new Error(
        `no ${sent ? 'message to' : 'message from'} the extension host with ${needles.join(' and ')} after the file was opened`,
      );
    return hit.at;
  }
}

/**
 * The first lens: a fresh window left to finish starting, then the YAML opened with Quick Open
 * (which activates the extension), timed in the page from the Enter key's event to the animation
 * frame that paints the first "Make global" CodeLens.
 */
async function firstLens(
  environment: VsCodeEnvironment,
): Promise<Pick<ActivationRun, 'firstLensMs' | 'textMs' | 'path' | 'oursAfterStartMs' | 'emmetAfterStartMs'>> {
  let watch!: SocketWatch;
  return inWindow(
    environment,
    {},
    async (page) => {
      await settle(page);
      await page.waitForTimeout(1_000);
      await page.evaluate(IN_PAGE_WATCH);
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: STEP_TIMEOUT_MS });
      await input.fill(BENCH_FILE);
      await page
        .locator('.quick-input-widget .monaco-list-row.focused .label-name', { hasText: BENCH_FILE })
        .waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.evaluate('window.__bench.armed = true');
      await page.keyboard.press('Enter');
      await page.waitForFunction('window.__bench.lensAt !== undefined', undefined, { timeout: STEP_TIMEOUT_MS });
      const [lens, text, openedEpoch] = JSON.parse(
        String(
          await page.evaluate(
            'JSON.stringify([window.__bench.lensAt - window.__bench.openedAt, window.__bench.textAt - window.__bench.openedAt, window.__bench.openedEpoch])',
          ),
        ),
      ) as number[];
      // Each step after the one before: Merge Conflict's lens provider is asked too, before ours exists.
      // An extension active before the file opened (onStartupFinished, say) has both at 0.
      const activationAsked = watch.at(openedEpoch, true, '$activateByEvent', 'onLanguage:yaml');
      const providerRegistered = watch.has(openedEpoch, false, '$registerCodeLensSupport')
        ? watch.at(activationAsked, false, '$registerCodeLensSupport')
        : openedEpoch;
      const lensesAsked = watch.at(providerRegistered, true, '$provideCodeLenses');
      const lensesAnswered = watch.at(lensesAsked, false, 'Make global');
      const since = (at: number) => Math.round(at - openedEpoch);
      const path: LensPath = {
        anyLensesAskedMs: since(watch.at(openedEpoch, true, '$provideCodeLenses')),
        activationAskedMs: since(activationAsked),
        providerRegisteredMs: since(providerRegistered),
        lensesAskedMs: since(lensesAsked),
        lensesAnsweredMs: since(lensesAnswered),
      };
      const all = await runningExtensions(page);
      const ours = all.find((e) => /cloud-run-global|Cloud Run Global/i.test(e.name));
      const emmet = all.find((e) => /emmet/i.test(e.name));
      if (!ours || !emmet)
        throw new Error(
          `after start-up, the Running Extensions view lists ${JSON.stringify(all)}, without both Cloud Run Global and Emmet`,
        );
      return { firstLensMs: Math.round(lens), textMs: Math.round(text), path, oursAfterStartMs: ours.ms, emmetAfterStartMs: emmet.ms };
    },
    (page) => (watch = new SocketWatch(page)),
  );
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
      log(
        `launch ${i}: Cloud Run Global ${run.oursMs} ms, Emmet ${run.emmetMs} ms; opened after start-up ${run.oursAfterStartMs} ms and ${run.emmetAfterStartMs} ms; first lens ${run.firstLensMs} ms (text ${run.textMs} ms, ${JSON.stringify(run.path)}) (node processes under the bench: ${hosts})`,
      );
      runs.push(run);
    }
    return {
      runs,
      oursMedianMs: median(runs.map((r) => r.oursMs)),
      emmetMedianMs: median(runs.map((r) => r.emmetMs)),
      ratioMedian: median(runs.map((r) => r.oursMs / Math.max(1, r.emmetMs))),
      firstLensMedianMs: median(runs.map((r) => r.firstLensMs)),
      oursAfterStartMedianMs: median(runs.map((r) => r.oursAfterStartMs)),
      ratioAfterStartMedian: median(runs.map((r) => r.oursAfterStartMs / Math.max(1, r.emmetAfterStartMs))),
      pathMedian: {
        anyLensesAskedMs: median(runs.map((r) => r.path.anyLensesAskedMs)),
        activationAskedMs: median(runs.map((r) => r.path.activationAskedMs)),
        providerRegisteredMs: median(runs.map((r) => r.path.providerRegisteredMs)),
        lensesAskedMs: median(runs.map((r) => r.path.lensesAskedMs)),
        lensesAnsweredMs: median(runs.map((r) => r.path.lensesAnsweredMs)),
      },
      vsixBytes: statSync(vsix).size,
    };
  } finally {
    await cleanupAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printActivation(r: ActivationBenchResult): void {
  const ms = (n: number, width: number) => `${n} ms`.padStart(width);
  const ratio = (a: number, b: number) => (a / Math.max(1, b)).toFixed(2).padStart(5);
  console.log(`\nStart-up in code-server's extension host, ${r.runs.length} launches of two fresh windows each:`);
  console.log(
    '  activation as the host reports it (code loading + activate()), in a window opened on the YAML and in one where it is opened after start-up;',
  );
  console.log(
    '  then, in the second, Quick Open\'s Enter to the first "Make global" lens, and where that time went (message times on the workbench\'s socket).',
  );
  console.log('                 opened with the window       opened after start-up                     first lens: Enter to ...');
  console.log(
    '  launch      ours   Emmet  ratio          ours   Emmet  ratio     text  any lens asked  activate  provider  asked  answered   painted',
  );
  const row = (label: string, o: number, e: number, o2: number, e2: number, text: number, p: LensPath, lens: number) =>
    console.log(
      `  ${label.padStart(6)}  ${ms(o, 8)} ${ms(e, 7)}  ${ratio(o, e)}      ${ms(o2, 8)} ${ms(e2, 7)}  ${ratio(o2, e2)}  ${ms(text, 7)} ${ms(p.anyLensesAskedMs, 15)} ${ms(p.activationAskedMs, 9)} ${ms(p.providerRegisteredMs, 9)} ${ms(p.lensesAskedMs, 7)} ${ms(p.lensesAnsweredMs, 9)} ${ms(lens, 9)}`,
    );
  r.runs.forEach((run, i) =>
    row(String(i + 1), run.oursMs, run.emmetMs, run.oursAfterStartMs, run.emmetAfterStartMs, run.textMs, run.path, run.firstLensMs),
  );
  const med = (pick: (run: ActivationRun) => number) => median(r.runs.map(pick));
  row(
    'median',
    r.oursMedianMs,
    r.emmetMedianMs,
    r.oursAfterStartMedianMs,
    med((x) => x.emmetAfterStartMs),
    med((x) => x.textMs),
    r.pathMedian,
    r.firstLensMedianMs,
  );
  console.log(
    '  "any lens asked": the first request for lenses from any provider (Merge Conflict\'s exists before the file opens); equal to "asked" when ours appeared before that request and restarted the editor\'s debounce.',
  );
  console.log(
    `  ratio medians (per window): ${r.ratioMedian.toFixed(2)} opened with the window, ${r.ratioAfterStartMedian.toFixed(2)} opened after start-up`,
  );
  r.runs.forEach((run, i) =>
    console.log(`  launch ${i + 1}, every activated extension in the first window: ${run.all.map((e) => `${e.name} ${e.ms}`).join(', ')}`),
  );
  console.log(`  VSIX ${(r.vsixBytes / 1024).toFixed(1)} KB`);
}
