import * as assert from 'node:assert/strict';
import { describeDemo, startDemo } from '../harness/demo';
import { VsCodeEnvironment } from '../harness/environment';
import { Workbench } from './workbench';

// `npm start` in a test: the same startDemo(), its own emulator and code-server, and the picture
// a person gets when they open the printed URL.
describe('npm start demo', () => {
  let demo: VsCodeEnvironment | undefined;
  let workbench: Workbench | undefined;

  before(async () => {
    demo = await startDemo({ preferredPort: 0 });
  });

  after(async () => {
    await workbench?.close();
    await demo?.close();
  });

  it('prints the workbench URL and the emulator endpoint', () => {
    const text = describeDemo(demo as VsCodeEnvironment);
    assert.ok(text.includes((demo as VsCodeEnvironment).extensionWorkbenchUrl));
    assert.ok(text.includes((demo as VsCodeEnvironment).emulator.url));
  });

  it('opens the Get Started walkthrough on first activation, and every step\'s link works', async function () {
    this.timeout(150_000);
    workbench = await Workbench.open({ url: (demo as VsCodeEnvironment).extensionWorkbenchUrl });
    const page = workbench.page;
    await workbench.openViewContainer('Cloud Run Global');
    const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get Started with Cloud Run Global' });
    await walkthrough.waitFor({ timeout: 60_000 });
    await walkthrough.locator('.getting-started-step', { hasText: 'Sign in, or try the demo' }).first().waitFor({ timeout: 15_000 });
    await workbench.screenshot('walkthrough');
    // The status bar shows the project; a click offers to switch it.
    const status = page.locator('.part.statusbar .statusbar-item', { hasText: 'demo-project' }).first();
    await status.waitFor({ timeout: 15_000 });

    const quickInput = page.locator('.quick-input-widget');
    const backToWalkthrough = async () => {
      await page.keyboard.press('Escape');
      await quickInput.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
      await workbench!.runCommand('Cloud Run Global: Get Started');
      await walkthrough.waitFor({ timeout: 15_000 });
    };
    const follow = async (step: string, link: string, expect: () => Promise<unknown>) => {
      await walkthrough.locator('.getting-started-step', { hasText: step }).first().click();
      const button = walkthrough.getByRole('button', { name: link, exact: true }).first();
      await button.waitFor({ timeout: 10_000 });
      await button.click();
      await expect();
      console.log(`      ${step}: "${link}" works`);
    };
    await follow('Sign in, or try the demo', 'Sign In with gcloud', () =>
      page.locator('.notifications-toasts .notification-toast', { hasText: 'Application Default Credentials' }).first().waitFor({ timeout: 15_000 }));
    await workbench.runCommand('Notifications: Clear All Notifications');
    await follow('Sign in, or try the demo', 'Open Demo Instructions', () => page.locator('.tabs-container .tab', { hasText: 'README.md' }).first().waitFor({ timeout: 15_000 }));
    await backToWalkthrough();
    await follow('Choose a project', 'Switch Project', async () => {
      await quickInput.filter({ hasText: 'Switch Google Cloud project' }).waitFor({ timeout: 15_000 });
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'demo-project' }).first().waitFor({ timeout: 15_000 });
      await workbench!.screenshot('walkthrough-switch-project');
    });
    await backToWalkthrough();
    // Quick Open with ".yaml" typed: which files it lists depends on the file search, not on the link.
    await follow('Open a Knative Service YAML', 'Open a YAML File', async () => {
      const input = quickInput.locator('input').first();
      const deadline = Date.now() + 15_000;
      while ((await input.inputValue().catch(() => '')) !== '.yaml') {
        if (Date.now() > deadline) throw new Error('Quick Open did not open with ".yaml"');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
    await backToWalkthrough();
    await follow('Make it global', 'Make Service Global', () => quickInput.filter({ hasText: /Make global/i }).waitFor({ timeout: 30_000 }));
    await backToWalkthrough();
    await follow('Create the DNS record', 'Show the Load Balancers', async () => {
      await page.locator('.part.sidebar .composite.title h2', { hasText: /Cloud Run Global/i }).waitFor({ timeout: 15_000 });
      await workbench!.waitForTreeRow('storefront-url-map', 30_000);
    });
    await backToWalkthrough();
    await follow('Watch the certificate', 'Diagnose Certificate', () => page.locator('.quick-input-widget .monaco-list-row', { hasText: 'api-cert' }).first().waitFor({ state: 'attached', timeout: 30_000 }));
    await backToWalkthrough();
    await page.keyboard.press('Escape');
    await status.click();
    await quickInput.filter({ hasText: 'Switch Google Cloud project' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await workbench.runCommand('View: Close All Editors');
  });

  it('shows the extension\'s view next to the sample workspace', async () => {
    workbench ??= await Workbench.open({ url: (demo as VsCodeEnvironment).extensionWorkbenchUrl });
    await workbench.quickOpen('service.yaml');
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('storefront', 30_000);
    const lenses = await workbench.codeLensTexts();
    await workbench.screenshot('demo');
    assert.match(await workbench.sideBarTitle(), /^Cloud Run Global/i);
    assert.match(await workbench.editorText(), /my-global-app/);
    assert.ok(lenses.some((lens) => lens.includes('Make global')), JSON.stringify(lenses));
  });
});
