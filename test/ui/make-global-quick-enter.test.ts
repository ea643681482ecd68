// Make global from the CodeLens with Enter pressed the moment the regions step takes input, before a
// person could see the tick: the wizard goes on with the YAML's region, not "Pick at least one region".
import * as assert from 'node:assert/strict';
import { sharedWorkbench, Workbench } from './workbench';

describe('Make global: Enter at once on the regions step', function () {
  this.timeout(120_000);
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });
  after(async () => {
    // Nothing was applied: the wizard is left with Esc.
    await workbench.reset();
  });

  it("takes the YAML's region when Enter comes before the tick is seen", async () => {
    const page = workbench.page;
    const input = () => page.locator('.quick-input-widget input');
    await workbench.quickOpen('service.yaml');
    await page
      .locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Make global' })
      .first()
      .click({ timeout: 30_000 });

    // The regions step (the YAML names the service): Enter as soon as it takes input, no wait for its rows.
    await workbench.waitForQuickInput(/^Make global \(1\/4\)$/);
    await workbench.waitForQuickInputEnabled();
    await page.keyboard.press('Enter');

    // Either the next step or the regions step's warning, whichever shows first.
    const domains = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Make global (2/4)' });
    const warning = page.locator('.quick-input-widget input[placeholder^="⚠"]');
    await domains.or(warning).first().waitFor({ timeout: 30_000 });
    assert.equal(await warning.count(), 0, `the regions step refused Enter: ${await input().getAttribute('placeholder')}`);

    // The names step lists one serverless NEG per region picked: us-central1's, from the YAML, alone.
    await input().fill('quick.example.com');
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (3/4)');
    await workbench.quickRow('Use these names').waitFor({ timeout: 10_000 });
    // Filtered to the NEGs (the list draws only the rows on screen).
    await input().fill('-neg-');
    await workbench.quickRow('my-global-app-neg-us-central1').waitFor({ timeout: 10_000 });
    const negs = await page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts();
    await workbench.screenshot('ui-make-global-quick-enter-names');
    assert.deepEqual(
      negs.map((t) => t.trim()),
      ['my-global-app-neg-us-central1'],
    );
  });
});
