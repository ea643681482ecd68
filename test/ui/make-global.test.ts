// Make global as a person does it: the CodeLens on the tutorial's YAML, the wizard answered with
// the keyboard, the plan preview, Apply, then the load balancer in the explorer and the summary lens.
import * as assert from 'node:assert/strict';
import { uiSession } from '../harness/ui-session';
import { sharedWorkbench, Workbench } from './workbench';

describe('Make global through the UI', function () {
  this.timeout(120_000);
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });
  after(async () => {
    // Later files expect the demo project as it was, in the explorer and in every lens.
    await workbench.reset();
    await uiSession().environment.emulator.control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('storefront-url-map', 30_000);
    // The load balancer's own row: the service's row names it too, and two matches would end the wait at once.
    const page = workbench.page;
    await page
      .locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^\s*my-global-app-url-map\s*$/ }) })
      .waitFor({ state: 'detached', timeout: 30_000 });
  });

  const quickInput = () => workbench.page.locator('.quick-input-widget');
  const quickRow = (text: string) => workbench.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();

  it('answers the wizard, previews the plan, applies it, and sees the load balancer', async () => {
    const page = workbench.page;
    await workbench.quickOpen('service.yaml');
    await page
      .locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Make global' })
      .first()
      .click({ timeout: 30_000 });

    // Regions: us-central1 (the YAML's location label) is picked already.
    await quickRow('us-central1').waitFor({ timeout: 30_000 });
    assert.match(await quickInput().innerText(), /Make global/);
    await workbench.screenshot('ui-make-global-regions');
    await page.keyboard.press('Enter');
    // Domains, validated as they are typed.
    await page.locator('.quick-input-widget input').fill('not a domain');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: /./ }).waitFor({ timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill('app.example.com');
    await page.keyboard.press('Enter');
    // Names: change the backend service's, then accept.
    // Enter acts on the highlighted row: wait until the filter has moved the highlight.
    const focusedRow = (text: string) => page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text }).first();
    await quickRow('Use these names').waitFor({ timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill('backend service');
    await focusedRow('my-global-app-backend').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Name of the backend service' }).waitFor({ timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill('app-backend');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: /^\s*app-backend\s*$/ }).waitFor({ timeout: 10_000 });
    await focusedRow('Use these names').waitFor({ timeout: 10_000 });
    await workbench.screenshot('ui-make-global-names');
    await page.keyboard.press('Enter');
    await quickRow('HTTP → HTTPS redirect').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');

    await workbench.activeTab('make-global-my-global-app.plan').waitFor({ timeout: 30_000 });
    const plan = await workbench.editorText();
    assert.match(plan, /# Make my-global-app global/);
    assert.match(plan, /create/);
    assert.match(plan, /create +backend service +app-backend /, 'the name chosen in the wizard');
    const planLenses = await workbench.codeLensTexts();
    assert.ok(
      planLenses.some((l) => /Apply/.test(l) && /Export gcloud script/.test(l) && /Cancel/.test(l)),
      JSON.stringify(planLenses),
    );
    await workbench.screenshot('ui-make-global-plan');

    await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Apply' }).first().click();
    const done = page.locator('.notifications-toasts .notification-toast', { hasText: 'is behind a global load balancer at' });
    await done.waitFor({ timeout: 60_000 });
    const toast = (await done.innerText()).replace(/\s+/g, ' ');
    assert.match(toast, /app\.example\.com\. 300 IN A \d+\.\d+\.\d+\.\d+/);
    await workbench.screenshot('ui-make-global-applied');

    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('my-global-app-url-map', 30_000);
    await workbench.quickOpen('service.yaml');
    await page.locator('.editor-group-container.active .codelens-decoration', { hasText: 'Global:' }).first().waitFor({ timeout: 30_000 });
    const lenses = await workbench.codeLensTexts();
    await workbench.screenshot('ui-make-global-lens');
    assert.ok(
      lenses.some((l) => /Global: \d+\.\d+\.\d+\.\d+ · app\.example\.com · certificate PROVISIONING/.test(l) && /Add region/.test(l)),
      JSON.stringify(lenses),
    );
  });
});
