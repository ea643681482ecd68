// The Get Started walkthrough's links, clicked as a person clicks them: each opens what its step
// says (a message, the README, a picker, Quick Open, the wizard, the explorer), and VS Code ticks the
// step off. The pickers they open ignore focus moving back to the walkthrough, so each can be read.
// A window of its own: VS Code ticks a step off by a command only the first time that command runs in
// a window, and the shared window has run most of them already.
import * as assert from 'node:assert/strict';
import { Locator } from 'playwright-core';
import { Workbench } from './workbench';

const STEPS = [
  'Sign in, or try the demo',
  'Choose a project',
  'Open a Knative Service YAML',
  'Make it global',
  'Create the DNS record',
  'Watch the certificate',
];

describe('Get Started walkthrough links', function () {
  this.timeout(150_000);
  let workbench: Workbench;
  const walkthrough = () => workbench.page.locator('.gettingStartedContainer', { hasText: 'Get Started with Cloud Run Global' });
  const step = (title: string) => walkthrough().locator('.getting-started-step', { hasText: title }).first();

  before(async () => {
    workbench = await Workbench.open();
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('Cloud Run services', 60_000);
    await workbench.runCommand('Cloud Run Global: Get Started');
    await walkthrough().waitFor({ timeout: 30_000 });
  });
  after(async () => {
    await workbench?.close();
  });

  /** Shows the walkthrough again: a link may have opened an editor over it. */
  async function showWalkthrough(): Promise<void> {
    if (!(await walkthrough().isVisible()))
      await workbench.page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
    await walkthrough().waitFor({ timeout: 15_000 });
  }

  const ticked = (title: string, done: boolean) => step(title).and(workbench.page.locator(`[aria-checked="${done}"]`));

  /** Unticks the step (its checkbox) when an earlier run left it ticked, so only the link can tick it. */
  async function untick(title: string): Promise<void> {
    await showWalkthrough();
    if (await ticked(title, true).count()) await step(title).locator('.codicon-getting-started-step-checked').click();
    await ticked(title, false).waitFor({ timeout: 15_000 });
  }

  /** Unfolds the step and clicks its link. */
  async function clickLink(title: string, label: string): Promise<void> {
    await showWalkthrough();
    const item = step(title);
    if (!/\bexpanded\b/.test((await item.getAttribute('class', { timeout: 15_000 })) ?? '')) await item.locator('.step-title').click();
    await item.and(workbench.page.locator('.expanded')).waitFor({ timeout: 15_000 });
    const link: Locator = item.locator('.monaco-button, a', { hasText: label }).first();
    await link.click();
  }

  /** Waits until VS Code shows the step ticked off (its completion event is the link's command). */
  async function waitTicked(title: string): Promise<void> {
    await showWalkthrough();
    await ticked(title, true).waitFor({ timeout: 15_000 });
  }

  it("each step's link opens what the step says, and the step is ticked off", async () => {
    const page = workbench.page;

    for (const title of STEPS) await untick(title);

    await clickLink('Sign in, or try the demo', 'Sign In with gcloud');
    await workbench.toast('uses your Application Default Credentials').waitFor({ timeout: 15_000 });
    await workbench.runCommand('Notifications: Clear All Notifications');
    await waitTicked('Sign in, or try the demo');
    await clickLink('Sign in, or try the demo', 'Open Demo Instructions');
    await workbench.activeTab('Preview README.md').waitFor({ timeout: 30_000 });

    await clickLink('Choose a project', 'Switch Project');
    await workbench.waitForQuickInput('Switch Google Cloud project');
    await workbench.quickRow('demo-project').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await waitTicked('Choose a project');

    // VS Code's own Quick Open closes when the walkthrough takes focus back (it does not ignore focus
    // moving out, as the extension's pickers do), so only the tick says that it ran.
    await clickLink('Open a Knative Service YAML', 'Open a YAML File');
    await waitTicked('Open a Knative Service YAML');
    const quickOpen = page.locator('.quick-input-widget input');
    // Closed by the walkthrough taking focus, or still open: closed before the next step either way.
    if (await quickOpen.isVisible()) await quickOpen.press('Escape').catch(() => undefined);
    await workbench.quickInput().waitFor({ state: 'hidden', timeout: 15_000 });

    await clickLink('Make it global', 'Make Service Global');
    await workbench.waitForQuickInput(/^Make global/);
    await workbench.quickRow('image-resizer').waitFor({ timeout: 30_000 });
    assert.equal(await quickOpen.getAttribute('placeholder'), 'Which Cloud Run service should be served globally?');
    await page.keyboard.press('Escape');
    await waitTicked('Make it global');

    // Another view in the side bar first, so the link has something to change.
    await workbench.openViewContainer('Explorer');
    await clickLink('Create the DNS record', 'Show the Load Balancers');
    await page.locator('.part.sidebar .composite.title h2', { hasText: /^\s*Cloud Run Global/i }).waitFor({ timeout: 15_000 });
    await workbench.waitForTreeRow('Global load balancers', 30_000);
    await waitTicked('Create the DNS record');

    await clickLink('Watch the certificate', 'Diagnose Certificate');
    await workbench.quickRow('api-cert').waitFor({ timeout: 30_000 });
    assert.ok(await workbench.quickRow('storefront-cert').isVisible());
    await page.keyboard.press('Escape');
    await waitTicked('Watch the certificate');
    await workbench.screenshot('ui-surfaces-walkthrough-done');
  });
});
