import * as assert from 'node:assert/strict';
import { sharedWorkbench, Workbench } from './workbench';

describe('Knative YAML in the editor', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });

  it('opens service.yaml through Quick Open', async () => {
    await workbench.quickOpen('service.yaml');
    assert.match(await workbench.editorText(), /name: my-global-app/);
  });

  it("offers to make the tutorial's service global", async () => {
    // Lenses follow the explorer's data, which an earlier test may just have refreshed.
    await workbench.page
      .locator('.editor-group-container.active .codelens-decoration', { hasText: 'Make global' })
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => undefined);
    const lenses = await workbench.codeLensTexts();
    console.log(`      CodeLens: ${JSON.stringify(lenses)}`);
    await workbench.screenshot('ui-codelens-service');
    assert.ok(
      lenses.some((lens) => lens.includes('Make global')),
      `no "Make global" lens in ${JSON.stringify(lenses)}`,
    );
  });

  it('summarises the load balancers in front of storefront and api', async () => {
    await workbench.quickOpen('services.yaml');
    // An earlier file may have left this editor scrolled down (a quick fix on api): both lenses are near the top.
    await workbench.page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await workbench.page.keyboard.press('Control+Home');
    // VS Code may first paint lenses it cached for the editor's previous file; wait for this file's own.
    const lensFor = (ip: string) =>
      workbench.page.locator('.editor-group-container.active .codelens-decoration', { hasText: `Global: ${ip}` }).first();
    await lensFor('34.120.10.20').waitFor({ timeout: 15_000 });
    await lensFor('34.120.10.30').waitFor({ timeout: 15_000 });
    const lenses = await workbench.codeLensTexts();
    console.log(`      CodeLens: ${JSON.stringify(lenses)}`);
    await workbench.screenshot('ui-codelens-services');
    // storefront: DNS points at its IP, certificate active; api: no DNS record, still provisioning.
    assert.ok(
      lenses.some((lens) => /Global: 34\.120\.10\.20 · shop\.example\.com · certificate ACTIVE/.test(lens)),
      JSON.stringify(lenses),
    );
    assert.ok(
      lenses.some((lens) => /Global: 34\.120\.10\.30 · api\.example\.com · certificate PROVISIONING/.test(lens)),
      JSON.stringify(lenses),
    );
  });
});
