// A page object for the VS Code workbench in the browser: what a person does (click the activity
// bar, Quick Open, the Command Palette, Ctrl+Shift+M) and what they read (tree rows, CodeLens,
// Problems, Output). Selectors are VS Code 1.100's DOM; keep them here, not in the tests.
import { Locator, Page } from 'playwright-core';
import { saveScreenshot, VIEWPORT } from '../harness/browser';
import { trackPage, uiSession } from '../harness/ui-session';

const READY_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;

/** A Compute resource of the demo project as the emulator holds it, read over HTTP as Google's API is. */
export async function computeGet(path: string, project = 'demo-project'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${uiSession().environment.emulator.url}compute/v1/projects/${project}/${path}`, {
    headers: { authorization: 'Bearer ui-test' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface OpenOptions {
  /** Another workbench URL (default: the demo workspace with the extension loaded from the repo). */
  url?: string;
  /** A title of the extension's view container to wait for in the activity bar. */
  waitForViewContainer?: string;
}

export class Workbench {
  private constructor(readonly page: Page) {}

  /** Opens a new workbench window and waits until the extension's contributions are in place. */
  static async open(options: OpenOptions = {}): Promise<Workbench> {
    const session = uiSession();
    const page = await session.browser.newPage();
    trackPage(page);
    const workbench = new Workbench(page);
    await page.goto(options.url ?? session.environment.extensionWorkbenchUrl);
    await workbench.waitUntilReady(options.waitForViewContainer ?? 'Cloud Run Global');
    return workbench;
  }

  async waitUntilReady(viewContainer: string): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: READY_TIMEOUT_MS });
    // The activity bar lists the container once the extension host has read the manifest.
    await this.activityBarItem(viewContainer).waitFor({ timeout: READY_TIMEOUT_MS });
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }

  /** Drags the side bar's edge `by` pixels wider, as a person does to read the descriptions; returns how to put it back. */
  async widenSideBar(by: number): Promise<() => Promise<void>> {
    const drag = async (dx: number) => {
      const box = await this.page.locator('.part.sidebar').boundingBox();
      if (!box) return;
      const edge = { x: box.x + box.width + 1, y: box.y + box.height / 2 };
      await this.page.mouse.move(edge.x, edge.y);
      await this.page.mouse.down();
      await this.page.mouse.move(edge.x + dx, edge.y, { steps: 8 });
      await this.page.mouse.up();
    };
    await drag(by);
    return () => drag(-by);
  }

  /** Puts the demo project back as later files expect it: the emulator reset, the explorer refreshed, `gone` rows gone. */
  async restoreDemoProject(gone: readonly string[]): Promise<void> {
    await this.reset();
    await uiSession().environment.emulator.control.reset('demo');
    await this.runCommand('Cloud Run Global: Refresh');
    await this.openViewContainer('Cloud Run Global');
    await this.waitForTreeRow('storefront-url-map', 30_000);
    for (const label of gone) await this.treeRow(label).waitFor({ state: 'detached', timeout: 30_000 });
  }

  /** The quick input's text box. */
  quickInputBox(): Locator {
    return this.page.locator('.quick-input-widget input');
  }

  /** The quick input's highlighted row, when its text matches. */
  focusedQuickRow(label: string | RegExp): Locator {
    return this.page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }).first();
  }

  /** Saves test-results/NAME.png, with the mouse parked where no hover shows. */
  async screenshot(name: string): Promise<string | undefined> {
    await this.page.mouse.move(VIEWPORT.width - 40, VIEWPORT.height / 2);
    await this.page
      .locator('.workbench-hover-container')
      .waitFor({ state: 'hidden', timeout: 2_000 })
      .catch(() => undefined);
    return saveScreenshot(this.page, name);
  }

  // --- side bar and views -------------------------------------------------------------------

  activityBarItem(title: string): Locator {
    return this.page.locator(`.part.activitybar a.action-label[aria-label^="${title}"]`);
  }

  /**
   * Clicks the container's activity bar icon, as a person does, until its view shows: a click on
   * the icon of the container already selected hides the side bar, so one click may not be enough.
   */
  async openViewContainer(title: string): Promise<void> {
    const heading = this.page
      .locator('.part.sidebar .composite.title h2')
      .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(title)}`, 'i') });
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await heading.isVisible()) return;
      await this.activityBarItem(title).click();
      await heading.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await heading.waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  /** The side bar's heading, e.g. "Cloud Run Global: Explorer" (VS Code upper-cases it with CSS only). */
  async sideBarTitle(): Promise<string> {
    return ((await this.page.locator('.part.sidebar .composite.title h2').textContent()) ?? '').trim();
  }

  /**
   * Visible rows of the trees in the side bar as "label — description" (lists are virtual: only
   * what is on screen), indented two spaces per level below the first.
   */
  async treeRows(): Promise<string[]> {
    const texts: string[] = [];
    for (const row of await this.page.locator('.part.sidebar .pane-body .monaco-list-row').all()) {
      const label = normalize(
        await row
          .locator('.label-name')
          .first()
          .innerText()
          .catch(() => row.innerText()),
      );
      const descriptionLocator = row.locator('.label-description');
      const description = (await descriptionLocator.count()) ? normalize(await descriptionLocator.first().innerText()) : '';
      const level = Number(await row.getAttribute('aria-level')) || 1;
      if (label) texts.push(`${'  '.repeat(level - 1)}${label}${description ? ` — ${description}` : ''}`);
    }
    return texts;
  }

  /** Waits for a tree row containing `text`, e.g. a service name after the view loaded. */
  async waitForTreeRow(text: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
    await this.page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: text }).first().waitFor({ timeout: timeoutMs });
  }

  /** The side bar's tree row whose label is exactly `label` (not a row that merely mentions it). */
  treeRow(label: string): Locator {
    const exact = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    return this.page
      .locator('.part.sidebar .pane-body .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .first();
  }

  /** Unfolds a tree row (a click on its twistie) unless it is unfolded already. */
  async expandRow(row: Locator): Promise<void> {
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await row.and(this.page.locator('[aria-expanded="true"]')).waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  /**
   * Right-clicks `target` and runs the context menu's `item`. The item is highlighted first and run
   * with Enter: a click that lands while the menu is still opening only highlights it.
   */
  async contextMenu(target: Locator, item: string): Promise<void> {
    await target.click({ button: 'right' });
    const menu = this.page.locator('.monaco-menu').first();
    await menu.waitFor({ timeout: STEP_TIMEOUT_MS });
    const exact = new RegExp(`^\\s*${escapeRegExp(item)}`);
    await this.page
      .locator('.monaco-menu .action-item')
      .filter({ has: this.page.locator('.action-label', { hasText: exact }) })
      .first()
      .hover();
    await this.page
      .locator('.monaco-menu .action-item.focused')
      .filter({ has: this.page.locator('.action-label', { hasText: exact }) })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  }

  /** What a view shows instead of rows: its welcome content, or VS Code's own message. */
  async viewMessages(): Promise<string[]> {
    const messages = this.page.locator(
      '.part.sidebar .pane-body .welcome-view-content, .part.sidebar .pane-body .tree-explorer-viewlet-tree-view > .message',
    );
    const texts: string[] = [];
    for (const message of await messages.all()) if (await message.isVisible()) texts.push(normalize(await message.innerText()));
    return texts.filter(Boolean);
  }

  // --- editors ------------------------------------------------------------------------------

  /** Ctrl+P, the file name, Enter; resolves when its tab is the active one. */
  async quickOpen(fileName: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: STEP_TIMEOUT_MS });
    await input.fill(fileName);
    // Enter only once the filtered list has this very file on top, not a recently opened one.
    const exactName = new RegExp(`^\\s*${escapeRegExp(fileName)}\\s*$`);
    await this.page
      .locator('.quick-input-widget .monaco-list-row.focused .label-name', { hasText: exactName })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await this.page.keyboard.press('Enter');
    await this.activeTab(fileName).waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  activeTab(label: string): Locator {
    return this.page.locator(`.tabs-container .tab.active[aria-label^="${label}"]`);
  }

  /** The visible lines of the active editor. */
  async editorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    // A freshly activated tab paints its lines a moment later.
    await lines.locator('.view-line').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const text = await lines.innerText();
    return text.replace(/\u00a0/g, ' '); // the editor renders spaces as no-break spaces
  }

  /**
   * CodeLens texts of the active editor, one entry per lens line ("Make global | Open in console").
   * Waits up to `timeoutMs` for the first lens; returns [] when none appears.
   */
  async codeLensTexts(timeoutMs = STEP_TIMEOUT_MS): Promise<string[]> {
    const lenses = this.page.locator('.editor-group-container.active .monaco-editor .codelens-decoration');
    await lenses
      .first()
      .waitFor({ timeout: timeoutMs })
      .catch(() => undefined);
    return (await lenses.allInnerTexts()).map(normalize).filter(Boolean);
  }

  // --- quick input (pickers and input boxes) ---------------------------------------------------

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Waits for the quick input whose title is `title`; returns the title, e.g. "Make global (2/5)". */
  async waitForQuickInput(title: string | RegExp, timeoutMs = 2 * STEP_TIMEOUT_MS): Promise<string> {
    const heading = this.page.locator('.quick-input-widget .quick-input-title', { hasText: title });
    await heading.waitFor({ timeout: timeoutMs });
    return normalize(await heading.innerText());
  }

  /**
   * Waits until the quick input takes typing and Enter: a picker that loads its items may refuse
   * input until they are there (VS Code makes its box read-only while the input is not enabled).
   */
  async waitForQuickInputEnabled(timeoutMs = 2 * STEP_TIMEOUT_MS): Promise<void> {
    await this.page.locator('.quick-input-widget input:not([readonly])').waitFor({ timeout: timeoutMs });
  }

  /** Waits until the picker lists its rows (the extension's pickers load them while showing). */
  async waitForQuickRows(timeoutMs = 2 * STEP_TIMEOUT_MS): Promise<void> {
    await this.page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: timeoutMs });
  }

  /** The picker's row whose label is exactly `label`. */
  quickRow(label: string): Locator {
    const exact = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    return this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .first();
  }

  /** Ticks or unticks a row of a multi-select picker with its checkbox, and waits until it shows so. */
  async tick(label: string, checked = true): Promise<void> {
    const row = this.quickRow(label);
    if ((await row.getAttribute('aria-checked', { timeout: STEP_TIMEOUT_MS })) !== String(checked))
      await row.locator('.monaco-checkbox').click();
    await row.and(this.page.locator(`[aria-checked="${checked}"]`)).waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  /** Labels of the picker's rows that are ticked (a multi-select picker). */
  async checkedRows(): Promise<string[]> {
    // The rows and their ticks arrive together.
    await this.waitForQuickRows();
    const rows = this.page.locator('.quick-input-widget .monaco-list-row[aria-checked="true"] .label-name');
    return (await rows.allInnerTexts()).map(normalize);
  }

  /** Label of the highlighted row. */
  async focusedRow(): Promise<string> {
    // The rows and the highlight arrive together.
    return normalize(
      await this.page
        .locator('.quick-input-widget .monaco-list-row.focused .label-name')
        .first()
        .innerText({ timeout: 2 * STEP_TIMEOUT_MS }),
    );
  }

  /** The quick input's Back button (VS Code's own, in its title bar). */
  async quickInputBack(): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-titlebar a[aria-label^="Back"]').click();
  }

  // --- dialogs and notifications ---------------------------------------------------------------

  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  async clickDialogButton(label: string): Promise<void> {
    await this.dialog()
      .locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) })
      .click();
  }

  /** A notification toast containing `text`. */
  toast(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  }

  // --- panel --------------------------------------------------------------------------------

  private panelTab(name: string): Locator {
    return this.page.locator(`.part.panel .composite-bar .action-item.checked a[aria-label^="${name}"]`);
  }

  /** Ctrl+Shift+M shows Problems (and would hide it again, so only when it is not showing). */
  async openProblems(): Promise<void> {
    if (await this.panelTab('Problems').isVisible()) return;
    await this.page.keyboard.press('Control+Shift+M');
    await this.panelTab('Problems').waitFor({ timeout: STEP_TIMEOUT_MS });
    await this.page.locator('.part.panel .markers-panel').waitFor({ timeout: STEP_TIMEOUT_MS });
  }

  /** Problems rows as the panel shows them: file rows, then "message  source(code) [Ln, Col]" rows. */
  async problemRows(): Promise<string[]> {
    return (await this.page.locator('.part.panel .markers-panel .monaco-list-row').allInnerTexts()).map(normalize).filter(Boolean);
  }

  /** The panel's own message when there is nothing to list ("No problems have been detected…"). */
  async problemsMessage(): Promise<string> {
    const message = this.page.locator('.part.panel .markers-panel .message-box-container');
    return (await message.isVisible()) ? normalize(await message.innerText()) : '';
  }

  /** Waits until Problems lists a row containing `text`. */
  async waitForProblem(text: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
    await this.page.locator('.part.panel .markers-panel .monaco-list-row', { hasText: text }).first().waitFor({ timeout: timeoutMs });
  }

  /** The channel the Output view shows and its visible text. */
  async outputView(): Promise<{ channel: string; text: string }> {
    // A command that activates the extension first may take a while on a busy machine.
    await this.panelTab('Output').waitFor({ timeout: 2 * STEP_TIMEOUT_MS });
    // The channel picker's option values are the channel names.
    const channel = await this.page.locator('.part.panel .title-actions select').first().inputValue();
    const text = await this.page.locator('.part.panel .monaco-editor .view-lines').first().innerText();
    return { channel: channel.trim(), text };
  }

  // --- commands -----------------------------------------------------------------------------

  /** F1, the command's full title ("Category: Title"), Enter once that very command is the highlighted entry. */
  /**
   * Runs a command from the palette. `opensQuickInput`: the command asks something at once (a wizard),
   * so the widget may never hide between the palette and its first question; wait for the palette's
   * text to go instead.
   */
  async runCommand(title: string, options: { opensQuickInput?: boolean } = {}): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: STEP_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const exactTitle = new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`);
    await this.page
      .locator('.quick-input-widget .monaco-list-row.focused .label-name', { hasText: exactTitle })
      .waitFor({ timeout: STEP_TIMEOUT_MS });
    await this.page.keyboard.press('Enter');
    if (options.opensQuickInput) {
      await this.page.waitForFunction(`!(document.querySelector('.quick-input-widget input')?.value ?? '').startsWith('>')`, undefined, {
        timeout: STEP_TIMEOUT_MS,
      });
    } else {
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    }
  }

  /** Closes editors and the panel so the next test starts from a plain window. */
  async reset(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    if (await this.page.locator('.part.panel').isVisible()) await this.runCommand('View: Hide Panel');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

let shared: { session: object; workbench: Promise<Workbench> } | undefined;

/**
 * Tests start once the extension is active and has loaded the demo project, as a person would
 * wait for the view to fill: a command run while the window is still starting may be lost.
 */
async function openSharedWorkbench(): Promise<Workbench> {
  const workbench = await Workbench.open();
  try {
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('Cloud Run services', READY_TIMEOUT_MS);
    return workbench;
  } catch (err) {
    // Mocha runs no afterEach for a failed before(): keep the picture here.
    await workbench.screenshot('ui-workbench-not-ready');
    throw err;
  }
}

/**
 * One workbench window shared by the UI test files (each window costs an extension host and a
 * few seconds); every file starts with reset(). A file that needs a window of its own uses open().
 */
export async function sharedWorkbench(): Promise<Workbench> {
  const session = uiSession();
  // A window that failed to open is not retried: every later file fails at once with the same error.
  if (
    !shared ||
    shared.session !== session ||
    (await shared.workbench.then(
      (w) => w.page.isClosed(),
      () => false,
    ))
  ) {
    shared = { session, workbench: openSharedWorkbench() };
  }
  const workbench = await shared.workbench;
  await workbench.reset();
  return workbench;
}
