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

  it('lists the demo project\'s services and load balancers from the emulator', async () => {
    await workbench.waitForTreeRow('storefront', 30_000);
    const rows = await workbench.treeRows();
    console.log(`      rows:\n${rows.map((row) => `        ${row}`).join('\n')}`);
    await workbench.screenshot('ui-explorer-view');
    // storefront runs in two regions behind the demo's global load balancer.
    assert.equal(rows.filter((row) => /^\s*storefront — .*global via storefront-url-map/.test(row)).length, 2, rows.join('\n'));
    assert.ok(rows.some((row) => /^\s*api-url-map — .*certificate provisioning/.test(row)), rows.join('\n'));
  });
});
