// The 403 finding as a person meets it: the demo's api is private behind its load balancer, the
// Problems panel says requests there get 403, and its quick fix (Ctrl+.) grants allUsers after a
// confirmation; then the same from the explorer's Allow Public Access action.
import * as assert from 'node:assert/strict';
import { uiSession } from '../harness/ui-session';
import { sharedWorkbench, Workbench } from './workbench';

const PROJECT = 'demo-project';

describe('Allow Public Access through the UI', function () {
  this.timeout(120_000);
  let workbench: Workbench;
  const emulator = () => uiSession().environment.emulator;
  const problem = () =>
    workbench.page.locator('.part.panel .markers-panel .monaco-list-row', { hasText: 'run-invoker-not-public' }).first();
  const row = (text: string | RegExp) => workbench.page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();
  const apiInvokers = async () => {
    const state = (await emulator().control.state()) as {
      runServices: { name: string; iamPolicy: { bindings?: { role: string; members: string[] }[] } }[];
    };
    const api = state.runServices.find((s) => s.name.endsWith('/services/api'));
    return (api?.iamPolicy.bindings ?? []).filter((b) => b.role === 'roles/run.invoker').flatMap((b) => b.members);
  };
  const confirm = async (button: string) => {
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${button}\\s*$`) }).click();
    return text;
  };

  before(async () => {
    workbench = await sharedWorkbench();
    await emulator().control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
  });
  after(async () => {
    // Later files expect the demo project as it was: api private again.
    await workbench.reset();
    await emulator().control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it('shows the 403 finding in the Problems panel, and its quick fix clears it', async () => {
    const page = workbench.page;
    assert.deepEqual(await apiInvokers(), [], "the demo's api is private");
    await workbench.quickOpen('services.yaml');
    await workbench.openProblems();
    await workbench.waitForProblem('run-invoker-not-public', 30_000);
    const text = (await problem().innerText()).replace(/\s+/g, ' ');
    assert.match(text, /us-central1/);
    assert.match(text, /403/);
    await workbench.screenshot('ui-public-access-problem');

    // The problem's row takes the cursor to the finding; Ctrl+. lists its quick fixes there.
    await problem().click();
    await page
      .locator('.editor-group-container.active .monaco-editor.focused')
      .waitFor({ timeout: 10_000 })
      .catch(() => page.locator('.editor-group-container.active .monaco-editor textarea').first().focus());
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Allow public access' }).first();
    await fix.waitFor({ timeout: 30_000 });
    await workbench.screenshot('ui-public-access-quick-fix');
    await fix.click();
    const asked = await confirm('Allow Public Access');
    assert.match(asked, /Allow public access to Cloud Run service api\?/);
    assert.match(asked, /roles\/run\.invoker to allUsers on api in us-central1/);
    await problem().waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual(await apiInvokers(), ['allUsers']);
    await workbench.screenshot('ui-public-access-fixed');
  });

  it("the explorer's Allow Public Access action on a private service behind a load balancer", async () => {
    const page = workbench.page;
    await workbench.reset();
    await emulator().control.setRunIamPolicy({ project: PROJECT, region: 'us-central1', service: 'api', bindings: [] });
    await workbench.runCommand('Cloud Run Global: Refresh');
    await workbench.openViewContainer('Cloud Run Global');
    // An earlier file may have folded the section in this shared window, and the refresh still under
    // way may fold it again as it redraws: unfold until the service's row shows.
    const api = page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^\s*api\s*$/ }) }).first();
    for (const deadline = Date.now() + 30_000; ;) {
      await workbench.expandRow(workbench.treeRow('Cloud Run services'));
      if (
        await api.waitFor({ timeout: 2_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error('the service "api" never showed under Cloud Run services');
    }
    if ((await api.getAttribute('aria-expanded')) === 'false') await api.locator('.monaco-tl-twistie').click();
    const invoker = row('requests through the load balancer get 403');
    await invoker.waitFor({ timeout: 30_000 });
    assert.match(await invoker.innerText(), /Invoker: nobody/);
    await api.click({ button: 'right' });
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Allow Public Access' }).first();
    await item.hover({ timeout: 10_000 });
    await workbench.screenshot('ui-public-access-explorer-menu');
    await item.click({ timeout: 10_000 });
    // A click that lands while the menu is still opening leaves it open with the item highlighted.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if ((await page.locator('.context-view .monaco-menu').first().isVisible()) && !(await page.locator('.monaco-dialog-box').isVisible()))
      await page.keyboard.press('Enter');
    assert.match(await confirm('Allow Public Access'), /Allow public access to Cloud Run service api\?/);
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: 'Cloud Run service api is now public in us-central1' })
      .first()
      .waitFor({ timeout: 30_000 });
    await row('Invoker: allUsers (public)').waitFor({ timeout: 30_000 });
    assert.deepEqual(await apiInvokers(), ['allUsers']);
    await workbench.screenshot('ui-public-access-explorer-done');
  });
});
