// Change Domains as a person does it: the load balancer's row menu, the domains typed, the plan
// preview, Apply; the lens and the explorer following the new certificate; the emulator making it
// ACTIVE; the notification's Finish, its confirmation, and the proxy left with the new one only.
import * as assert from 'node:assert/strict';
import { uiSession } from '../harness/ui-session';
import { certificateName } from '../../src/core/plan/names';
import { sharedWorkbench, Workbench } from './workbench';

const PROJECT = 'demo-project';
const PROXY = 'storefront-https-proxy';
const OLD = 'storefront-cert';
const NEW = certificateName('storefront', ['shop.example.com', 'www.example.com']);

describe('Change Domains through the UI', function () {
  this.timeout(150_000);
  let workbench: Workbench;
  let activationDelayMs = 0;
  const emulator = () => uiSession().environment.emulator;
  // The load balancer's own row (a service row names its load balancer in its description too).
  const loadBalancerRow = () =>
    workbench.page
      .locator('.part.sidebar .monaco-list-row', { has: workbench.page.locator('.label-name', { hasText: /^\s*storefront-url-map\s*$/ }) })
      .first();
  const toast = (text: string | RegExp) => workbench.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  const proxyCertificates = async () => {
    const res = await fetch(`${emulator().url}compute/v1/projects/${PROJECT}/global/targetHttpsProxies/${PROXY}`, {
      headers: { authorization: 'Bearer ui-test' },
    });
    const proxy = (await res.json()) as { sslCertificates?: string[] };
    return (proxy.sslCertificates ?? []).map((c) => c.split('/').pop());
  };
  const certificateExists = async (name: string) =>
    (
      await fetch(`${emulator().url}compute/v1/projects/${PROJECT}/global/sslCertificates/${name}`, {
        headers: { authorization: 'Bearer ui-test' },
      })
    ).status === 200;

  before(async () => {
    workbench = await sharedWorkbench();
    await emulator().control.reset('demo');
    // www.example.com already resolves to the load balancer (a CNAME to shop.example.com): the new certificate
    // would turn ACTIVE on its own in a moment. It waits until the test says so through the control API.
    activationDelayMs = (await emulator().control.setCertificateTiming({})).activationDelayMs;
    await emulator().control.setCertificateTiming({ activationDelayMs: 3_600_000 });
    await workbench.runCommand('Cloud Run Global: Refresh');
  });
  after(async () => {
    // Later files expect the demo project as it was.
    await emulator().control.setCertificateTiming({ activationDelayMs });
    await workbench.reset();
    await emulator().control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it('adds www beside the ACTIVE certificate, waits for the new one, and finishes from the notification', async () => {
    const page = workbench.page;
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('storefront-url-map', 30_000);
    await loadBalancerRow().click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Change Domains…' }).first();
    await item.hover({ timeout: 10_000 });
    await item.click({ timeout: 10_000 });
    // A click that lands while the menu is still opening leaves it open with the item highlighted.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if ((await page.locator('.context-view .monaco-menu').first().isVisible()) && !(await page.locator('.quick-input-widget').isVisible()))
      await page.keyboard.press('Enter');

    // The prompt starts from the domains served today.
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: 'now: shop.example.com' }).waitFor({ timeout: 30_000 });
    assert.equal(await input.inputValue(), 'shop.example.com');
    await input.fill('shop.example.com, www.example.com');
    await workbench.screenshot('ui-change-domains-prompt');
    await page.keyboard.press('Enter');

    await workbench.activeTab(`change-domains-${PROXY}.plan`).waitFor({ timeout: 30_000 });
    const plan = await workbench.editorText();
    assert.match(plan, /# Change the domains of the load balancer of storefront/);
    assert.match(plan, /# domains: {2}shop\.example\.com, www\.example\.com \(now shop\.example\.com\)/);
    assert.match(plan, new RegExp(`create +SSL certificate +${NEW} `));
    assert.match(plan, new RegExp(`--ssl-certificates=${OLD},${NEW}`));
    assert.match(plan, /then +finish domain change/);
    await workbench.screenshot('ui-change-domains-plan');

    await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Apply' }).first().click();
    const attached = toast(`Certificate ${NEW} is attached to ${PROXY} beside ${OLD}`);
    await attached.waitFor({ timeout: 60_000 });
    assert.deepEqual(await proxyCertificates(), [OLD, NEW]);
    await workbench.screenshot('ui-change-domains-applied');
    await workbench.runCommand('Notifications: Clear All Notifications');

    // The lens and the explorer follow the new certificate while the old one serves.
    await workbench.quickOpen('services.yaml');
    await page
      .locator('.editor-group-container.active .codelens-decoration', { hasText: `Domain change: ${NEW} PROVISIONING` })
      .first()
      .waitFor({ timeout: 30_000 });
    await loadBalancerRow()
      .filter({ hasText: `domain change: ${NEW} PROVISIONING` })
      .waitFor({ timeout: 30_000 });
    await workbench.screenshot('ui-change-domains-provisioning');

    // Finishing now is refused: the new certificate is not ACTIVE.
    await workbench.runCommand('Cloud Run Global: Finish Domain Change…');
    await toast(/is PROVISIONING .*nothing was changed/).waitFor({ timeout: 30_000 });
    assert.deepEqual(await proxyCertificates(), [OLD, NEW]);
    await workbench.runCommand('Notifications: Clear All Notifications');

    await emulator().control.setCertificateTiming({ activationDelayMs: 0 });
    await workbench.runCommand('Cloud Run Global: Refresh');
    const ready = toast(`Certificate ${NEW} (shop.example.com, www.example.com) is ACTIVE. Finish the domain change`);
    await ready.waitFor({ timeout: 60_000 });
    await loadBalancerRow().filter({ hasText: 'domain change ready to finish' }).waitFor({ timeout: 30_000 });
    assert.equal(
      await loadBalancerRow().locator('.action-label[aria-label="Finish Domain Change…"]').count(),
      1,
      'the row offers Finish inline',
    );
    await page
      .locator('.editor-group-container.active .codelens-decoration', { hasText: `Finish domain change (remove ${OLD})` })
      .first()
      .waitFor({ timeout: 30_000 });
    await workbench.screenshot('ui-change-domains-ready');

    await ready.locator('.monaco-button', { hasText: 'Finish Domain Change' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match((await dialog.innerText()).replace(/\s+/g, ' '), new RegExp(`Finish the domain change of ${PROXY}\\?.*• ${OLD}`));
    await workbench.screenshot('ui-change-domains-confirm');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^\s*Finish\s*$/ }).click();
    await toast(`Target HTTPS proxy ${PROXY} now serves ${NEW}; detached ${OLD}; deleted ${OLD}.`).waitFor({ timeout: 60_000 });

    assert.deepEqual(await proxyCertificates(), [NEW]);
    assert.equal(await certificateExists(OLD), false, 'the old certificate is deleted');
    // The lens and the row no longer offer to finish: the change is done.
    await page
      .locator('.editor-group-container.active .codelens-decoration', { hasText: 'Finish domain change' })
      .first()
      .waitFor({ state: 'detached', timeout: 30_000 });
    const after = await workbench.codeLensTexts();
    assert.ok(
      after.some((l) => /Global: 34\.120\.10\.20 · shop\.example\.com, www\.example\.com · certificate ACTIVE/.test(l)),
      after.join('\n'),
    );
    await loadBalancerRow().filter({ hasText: 'domain change' }).waitFor({ state: 'detached', timeout: 30_000 });
    await workbench.screenshot('ui-change-domains-finished');
  });
});
