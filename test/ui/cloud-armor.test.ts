// Cloud Armor from the Make-global wizard in the real VS Code: the options step lists the project's backend security
// policy beside the options, the plan shows its step, Apply attaches it, and the explorer's backend service row names it.
import * as assert from 'node:assert/strict';
import { uiSession } from '../harness/ui-session';
import { sharedWorkbench, Workbench } from './workbench';

const PROJECT = 'demo-project';

describe('Cloud Armor policy from the Make-global options', function () {
  this.timeout(180_000);
  let workbench: Workbench;
  const emulator = () => uiSession().environment.emulator;
  const computeGet = async (path: string) => {
    const res = await fetch(`${emulator().url}compute/v1/projects/${PROJECT}/${path}`, { headers: { authorization: 'Bearer ui-test' } });
    return (await res.json()) as Record<string, unknown>;
  };
  const input = () => workbench.page.locator('.quick-input-widget input');
  const focused = (label: string | RegExp) =>
    workbench.page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }).first();

  before(async () => {
    workbench = await sharedWorkbench();
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.expandRow(workbench.treeRow('Global load balancers'));
  });
  after(async () => {
    // Later files expect the demo project as it was.
    await workbench.reset();
    await emulator().control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('storefront-url-map', 30_000);
    await workbench.treeRow('my-global-app-url-map').waitFor({ state: 'detached', timeout: 30_000 });
  });

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
    const backend = await computeGet('global/backendServices/my-global-app-backend');
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
    // Widen the side bar so the picture shows the descriptions, as a person drags its edge.
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    if (sidebar) {
      const edge = { x: sidebar.x + sidebar.width + 1, y: sidebar.y + sidebar.height / 2 };
      await page.mouse.move(edge.x, edge.y);
      await page.mouse.down();
      await page.mouse.move(edge.x + 330, edge.y, { steps: 8 });
      await page.mouse.up();
    }
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
    // Put the side bar back for later files.
    const wide = await page.locator('.part.sidebar').boundingBox();
    if (wide && sidebar) {
      const edge = { x: wide.x + wide.width + 1, y: wide.y + wide.height / 2 };
      await page.mouse.move(edge.x, edge.y);
      await page.mouse.down();
      await page.mouse.move(edge.x - (wide.width - sidebar.width), edge.y, { steps: 8 });
      await page.mouse.up();
    }
  });
});
