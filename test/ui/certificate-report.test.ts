// "Diagnose certificate" from the summary CodeLens: the report opens beside the YAML.
import * as assert from 'node:assert/strict';
import { sharedWorkbench, Workbench } from './workbench';

describe('Certificate report through the UI', function () {
  this.timeout(60_000);
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });

  it("opens the report for api's certificate from its CodeLens", async () => {
    const page = workbench.page;
    await workbench.quickOpen('services.yaml');
    // The second "Diagnose certificate" lens belongs to api (storefront's document comes first).
    const lens = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Diagnose certificate' });
    await lens.nth(1).click({ timeout: 30_000 });
    await workbench.activeTab('certificate-api-cert.md').waitFor({ timeout: 30_000 });
    const text = await workbench.editorText();
    await workbench.screenshot('ui-certificate-report');
    assert.match(text, /# Certificate api-cert/);
    assert.match(text, /· 1 failed, \d+ uncertain, \d+ OK/, 'the missing DNS record fails');
    assert.match(text, /\[OK\] Certificate exists/);
    assert.match(text, /api\.example\.com/);
  });
});
