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

  it('lists the demo project\'s services from the emulator', async () => {
    // storefront runs in two regions behind the demo's global load balancer.
    await workbench.waitForTreeRow('storefront', 30_000);
    const rows = await workbench.treeRows();
    console.log(`      rows: ${JSON.stringify(rows)}`);
    await workbench.screenshot('ui-explorer-view');
    assert.ok(rows.some((row) => row.includes('storefront')));
  });
});
