import * as assert from 'node:assert/strict';
import { sharedWorkbench, Workbench } from './workbench';

describe('Cloud Run Global view', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });

  it('opens from its activity bar icon', async () => {
    await workbench.openViewContainer('Cloud Run Global');
    assert.match(await workbench.sideBarTitle(), /^Cloud Run Global/i);
  });

  it("lists the demo project's services and load balancers from the emulator", async () => {
    await workbench.waitForTreeRow('storefront', 30_000);
    const rows = await workbench.treeRows();
    console.log(`      rows:\n${rows.map((row) => `        ${row}`).join('\n')}`);
    await workbench.screenshot('ui-explorer-view');
    // storefront runs in two regions behind the demo's global load balancer.
    assert.equal(rows.filter((row) => /^\s*storefront — .*global via storefront-url-map/.test(row)).length, 2, rows.join('\n'));
    assert.ok(
      rows.some((row) => /^\s*api-url-map — .*certificate provisioning/.test(row)),
      rows.join('\n'),
    );
  });

  it('unfolds a load balancer down to its Cloud Run services, as a person clicks through it', async () => {
    const page = workbench.page;
    // Fold the services so the load balancer has room, then walk storefront's chain with the keyboard.
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Cloud Run services' }).first().click();
    await page.keyboard.press('ArrowLeft');
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'storefront-url-map' }).first().click();
    const expandChain: (string | RegExp)[] = [
      'storefront-url-map',
      'storefront-https-rule',
      'storefront-https-proxy',
      'storefront-cert',
      /storefront-url-map\s*URL map/,
      'storefront-backend',
      'storefront-neg-us-central1',
    ];
    for (const label of expandChain) {
      const row = page.locator('.part.sidebar .monaco-list-row', { hasText: label }).first();
      await row.waitFor({ timeout: 10_000 });
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    }
    await workbench.waitForTreeRow('storefront-neg-europe-west1', 10_000);
    // Widen the side bar so the picture shows the descriptions, as a person drags its edge.
    await workbench.widenSideBar(330);
    const rows = await workbench.treeRows();
    console.log(`      rows:\n${rows.map((row) => `        ${row}`).join('\n')}`);
    await workbench.screenshot('ui-explorer-expanded');
    for (const expected of [
      /storefront-https-rule — 34\.120\.10\.20:443 HTTPS · EXTERNAL_MANAGED/,
      /storefront-cert — active · shop\.example\.com/,
      /shop\.example\.com — active/,
      /storefront-backend — backend service · EXTERNAL_MANAGED · CDN on/,
      /storefront-neg-us-central1 — us-central1 · serverless · Cloud Run storefront/,
      /^ {14}storefront — us-central1 · ingress internal-and-cloud-load-balancing · global via storefront-url-map/,
    ]) {
      assert.ok(
        rows.some((row) => expected.test(row)),
        `${expected} in\n${rows.join('\n')}`,
      );
    }
  });
});
