// Cloud Armor from the Make-global wizard in the real VS Code: the options step lists the project's backend security
// policy beside the options, the plan shows its step, Apply attaches it, and the explorer's backend service row names it.
import * as assert from 'node:assert/strict';
import { computeGet, sharedWorkbench, Workbench } from './workbench';

describe('Cloud Armor policy from the Make-global options', function () {
  this.timeout(180_000);
  let workbench: Workbench;
  const input = () => workbench.quickInputBox();
  const focused = (label: string | RegExp) => workbench.focusedQuickRow(label);

  before(async () => {
    workbench = await sharedWorkbench();
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.expandRow(workbench.treeRow('Global load balancers'));
  });
  // Later files expect the demo project as it was.
  after(() => workbench.restoreDemoProject(['my-global-app-url-map']));

  it('attaches the policy ticked in the options step, and the backend service row shows it', async () => {
    const page = workbench.page;
    await workbench.reset();
    await workbench.quickOpen('service.yaml');
    await workbench.contextMenu(page.locator('.editor-group-container.active .monaco-editor .view-lines'), 'Make Service Global…');
    await workbench.waitForQuickInput('Make global (1/4)');
    assert.deepEqual(await workbench.checkedRows(), ['us-central1']);
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (2/4)');
    await input().fill('armor.example.com');
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (3/4)');
    await focused('Use these names').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');

    // Options: the backend policy is offered, unticked; the edge policy is not.
    await workbench.waitForQuickInput('Make global (4/4)');
    const row = workbench.quickRow('Cloud Armor policy: office-allowlist');
    assert.equal(await row.getAttribute('aria-checked', { timeout: 15_000 }), 'false');
    assert.equal(await workbench.quickRow('Cloud Armor policy: edge-cache-policy').count(), 0);
    await workbench.tick('Cloud Armor policy: office-allowlist');
    await workbench.screenshot('ui-cloud-armor-option');
    await page.keyboard.press('Enter');

    await workbench.activeTab('make-global-my-global-app.plan').waitFor({ timeout: 30_000 });
    const plan = await workbench.editorText();
    assert.match(plan, /Cloud Armor policy office-allowlist/, 'the options line');
    assert.match(plan, /# steps: +\d+ create, 0 exists, 1 update, 0 conflict/, 'the attachment is the one update');
    await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Apply' }).first().click({ timeout: 30_000 });
    await workbench.toast('is behind a global load balancer at').waitFor({ timeout: 90_000 });
    await workbench.runCommand('Notifications: Clear All Notifications');

    // The emulator holds the policy on the backend service, and the explorer names it on that row.
    const backend = (await computeGet('global/backendServices/my-global-app-backend')).body;
    assert.match(String(backend.securityPolicy), /\/global\/securityPolicies\/office-allowlist$/);
    await workbench.openViewContainer('Cloud Run Global');
    for (const label of ['my-global-app-url-map', 'my-global-app-https-rule', 'my-global-app-https-proxy']) {
      await workbench.waitForTreeRow(label, 30_000);
      await workbench.expandRow(workbench.treeRow(label));
    }
    const urlMapRows = page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: /my-global-app-url-map\s*URL map/ });
    await urlMapRows.first().waitFor({ timeout: 15_000 });
    if ((await urlMapRows.first().getAttribute('aria-expanded')) === 'false')
      await urlMapRows.first().locator('.monaco-tl-twistie').click();
    await workbench.waitForTreeRow('my-global-app-backend', 15_000);
    await workbench.expandRow(workbench.treeRow('my-global-app-backend'));
    await workbench.waitForTreeRow('office-allowlist', 15_000);
    const putBack = await workbench.widenSideBar(330);
    const rows = await workbench.treeRows();
    await workbench.screenshot('ui-cloud-armor-explorer');
    assert.ok(
      rows.some((r) => /my-global-app-backend — backend service · EXTERNAL_MANAGED · CDN on · Cloud Armor office-allowlist/.test(r)),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => /^ +office-allowlist — Cloud Armor policy$/.test(r)),
      rows.join('\n'),
    );
    await putBack();
  });
});
