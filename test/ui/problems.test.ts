import * as assert from 'node:assert/strict';
import { sharedWorkbench, Workbench } from './workbench';

describe('Problems panel', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });

  it('lists what the extension found in the open YAML, or says there is nothing', async () => {
    await workbench.quickOpen('services.yaml');
    await workbench.openProblems();
    const rows = await workbench.problemRows();
    const message = await workbench.problemsMessage();
    console.log(`      rows: ${JSON.stringify(rows)}\n      message: ${JSON.stringify(message)}`);
    await workbench.screenshot('ui-problems');
    assert.ok(rows.length > 0 || /no problems/i.test(message), 'Problems shows neither rows nor its empty message');
  });
});
