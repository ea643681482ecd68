import * as assert from 'node:assert/strict';
import { sharedWorkbench, Workbench } from './workbench';

describe('Problems panel', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });

  it("explains why api's certificate is still provisioning: its DNS record is missing", async () => {
    await workbench.quickOpen('services.yaml');
    await workbench.openProblems();
    await workbench.waitForProblem('dns-missing-a', 30_000);
    const rows = await workbench.problemRows();
    console.log(`      rows:\n${rows.map((row) => `        ${row}`).join('\n')}`);
    await workbench.screenshot('ui-problems');
    assert.ok(
      rows.some((row) => /api\.example\.com does not exist in DNS.*34\.120\.10\.30/.test(row)),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((row) => /certificate api-cert .*PROVISIONING/.test(row)),
      rows.join('\n'),
    );
    // storefront's DNS points at its load balancer and its certificate is active: nothing to report.
    assert.ok(!rows.some((row) => /shop\.example\.com/.test(row)), rows.join('\n'));
  });
});
