// Headless Debian Chromium driven by playwright-core, with a fresh profile per launch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { log, warn } from './log';
import { ensureResultsDir } from './paths';
import { onCleanup } from './processes';
import { Runtime } from './runtime';

/** Quiet, offline, container-friendly: no sandbox (root), no GPU, no background traffic. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const VIEWPORT = { width: 1400, height: 850 };

export interface TestBrowser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(runtime: Runtime): Promise<TestBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'crg-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: runtime.chromiumPath,
    headless: true,
    viewport: VIEWPORT,
    args: [...CHROMIUM_FLAGS],
    // The harness owns signal handling: it stops code-server and the emulator too, in order.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await context.close().catch((err: unknown) => warn(`closing Chromium: ${String(err)}`));
    rmSync(profileDir, { recursive: true, force: true });
  };
  const unregister = onCleanup('chromium', close);
  // The persistent context opens with one blank tab; pages we need are opened on demand.
  const blank = context.pages()[0];
  return {
    context,
    newPage: async () => {
      const page = await context.newPage();
      await blank?.close().catch(() => undefined);
      return page;
    },
    close,
  };
}

/** Saves a PNG into test-results/ and returns its path; never throws (a failing page is why we are here). */
export async function saveScreenshot(page: Page, name: string): Promise<string | undefined> {
  const file = join(ensureResultsDir(), `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    log(`screenshot: ${file}`);
    return file;
  } catch (err) {
    warn(`screenshot ${name} failed: ${String(err)}`);
    return undefined;
  }
}
