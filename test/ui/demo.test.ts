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

  it('opens the Get Started walkthrough on first activation, and its status bar switches the project', async function () {
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

    // Each step's link is checked against the manifest (test/unit/walkthrough.test.ts) and clicked, one
    // by one, in the shared window (surfaces-walkthrough.test.ts).
    await status.click();
    await page.locator('.quick-input-widget').filter({ hasText: 'Switch Google Cloud project' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await workbench.runCommand('View: Close All Editors');
  });

  it("shows the extension's view next to the sample workspace", async () => {
    workbench ??= await Workbench.open({ url: (demo as VsCodeEnvironment).extensionWorkbenchUrl });
    await workbench.quickOpen('service.yaml');
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('storefront', 30_000);
    const lenses = await workbench.codeLensTexts();
    await workbench.screenshot('demo');
    assert.match(await workbench.sideBarTitle(), /^Cloud Run Global/i);
    assert.match(await workbench.editorText(), /my-global-app/);
    assert.ok(
      lenses.some((lens) => lens.includes('Make global')),
      JSON.stringify(lenses),
    );
  });
});
