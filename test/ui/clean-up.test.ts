// Clean-up as a person does it: an unattached address in the explorer, Delete… from its row, the
// modal that says exactly what goes, and the row gone while the other unattached resource stays.
import * as assert from 'node:assert/strict';
import { uiSession } from '../harness/ui-session';
import { sharedWorkbench, Workbench } from './workbench';

const PROJECT = 'demo-project';

describe('Clean up unattached resources through the UI', function () {
  this.timeout(90_000);
  let workbench: Workbench;
  const emulator = () => uiSession().environment.emulator;
  const row = (text: string) => workbench.page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

  before(async () => {
    workbench = await sharedWorkbench();
    await emulator().control.loadSeed({
      compute: [
        {
          project: PROJECT,
          addresses: [{ name: 'old-ip', address: '34.120.10.99', ipVersion: 'IPV4' }],
          sslCertificates: [{ name: 'old-cert', type: 'MANAGED', managed: { domains: ['old.example.com'] } }],
        },
      ],
    });
  });
  after(async () => {
    // Later files expect the demo project as it was.
    await workbench.reset();
    await emulator().control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await row('Unattached resources').waitFor({ state: 'detached', timeout: 30_000 });
    const services = row('Cloud Run services');
    if ((await services.getAttribute('aria-expanded')) === 'false') await services.locator('.monaco-tl-twistie').click();
  });

  it('deletes an unattached address from its row after the person confirms', async () => {
    const page = workbench.page;
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await row('Unattached resources').waitFor({ timeout: 30_000 });
    // Fold the services so the unattached rows have room.
    const services = row('Cloud Run services');
    if ((await services.getAttribute('aria-expanded')) === 'true') await services.locator('.monaco-tl-twistie').click();
    await row('Unattached resources').locator('.monaco-tl-twistie').click();
    await row('Addresses').locator('.monaco-tl-twistie').click();
    await row('Certificates').locator('.monaco-tl-twistie').click();
    await row('old-cert').waitFor({ timeout: 10_000 });
    await row('address old-ip').click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Delete…' }).first();
    await item.hover({ timeout: 10_000 });
    await item.click({ timeout: 10_000 });
    // A click that lands while the menu is still opening leaves it open with the item highlighted.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (await page.locator('.monaco-menu').first().isVisible()) await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    await workbench.screenshot('ui-clean-up-confirm');
    assert.match(text, /Delete address old-ip\?/);
    assert.match(text, /This resource will be deleted: • address old-ip/);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^\s*Delete\s*$/ }).click();
    await page
      .locator('.notifications-toasts .notification-toast', { hasText: 'Deleted 1 of 1 unattached resource.' })
      .waitFor({ timeout: 30_000 });
    await row('address old-ip').waitFor({ state: 'detached', timeout: 30_000 });
    await workbench.screenshot('ui-clean-up-done');
    const rows = await workbench.treeRows();
    assert.ok(
      rows.some((r) => /old-cert/.test(r)),
      rows.join('\n'),
    );
    const state = (await emulator().control.state()) as { compute: Record<string, Record<string, { name: string }[]>> };
    const names = Object.values(state.compute[PROJECT])
      .flat()
      .map((r) => r.name);
    assert.ok(!names.includes('old-ip') && names.includes('old-cert') && names.includes('api-ip'), names.join(', '));
    await workbench.runCommand('Notifications: Clear All Notifications');
  });
});
