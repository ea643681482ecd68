// Make global from the two places the CodeLens test does not use: the Command Palette (walking the
// wizard with its Back button at every step) and the editor's context menu on a Knative YAML (with
// IPv6). Both are applied, and what they built is read back from the emulator over HTTP.
import * as assert from 'node:assert/strict';
import { computeGet, sharedWorkbench, Workbench } from './workbench';

interface Resource {
  name: string;
  [field: string]: unknown;
}

describe("Make global from the palette and the editor's context menu", function () {
  this.timeout(180_000);
  let workbench: Workbench;
  const list = async (path: string) => ((await computeGet(path)).body.items ?? []) as Resource[];

  before(async () => {
    workbench = await sharedWorkbench();
    await workbench.openViewContainer('Cloud Run Global');
    // Earlier files may have folded it (the tree keeps that across files); after() looks for a load balancer row.
    await workbench.expandRow(workbench.treeRow('Global load balancers'));
  });
  // Later files expect the demo project as it was.
  after(() => workbench.restoreDemoProject(['image-resizer-url-map', 'my-global-app-url-map']));

  const input = () => workbench.quickInputBox();
  const focused = (label: string | RegExp) => workbench.focusedQuickRow(label);

  /** Applies the plan in the active editor from its CodeLens and waits for the message that says it is done. */
  async function applyPlan(done: string | RegExp): Promise<string> {
    await workbench.page
      .locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Apply' })
      .first()
      .click({ timeout: 30_000 });
    const toast = workbench.toast(done);
    await toast.waitFor({ timeout: 90_000 });
    return (await toast.innerText()).replace(/\s+/g, ' ');
  }

  it("goes Back from every step of the palette's wizard to the answer given before, and applies what was answered", async () => {
    const page = workbench.page;
    await workbench.runCommand('Cloud Run Global: Make Service Global…', { opensQuickInput: true });

    // 1. Service (the palette has no YAML to take it from).
    assert.match(await workbench.waitForQuickInput(/^Make global \(1\/\d\)$/), /1\/5/);
    await input().fill('image-resizer');
    await focused('image-resizer').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');

    // 2. Regions: where it runs is ticked; tick europe-west1 too, where it does not run.
    await workbench.waitForQuickInput('Make global (2/5)');
    assert.deepEqual(await workbench.checkedRows(), ['asia-northeast1']);
    await input().fill('europe-west1');
    await workbench.tick('europe-west1');
    await input().fill('');
    await page.keyboard.press('Enter');

    // 3. Deploy (from the palette there is no YAML to deploy: europe-west1 can only be left out). Back: the regions as ticked.
    await workbench.waitForQuickInput('Make global (3/6)');
    await focused('Leave europe-west1 out').waitFor({ timeout: 10_000 });
    assert.equal(await input().getAttribute('placeholder'), 'image-resizer does not run in europe-west1');
    await workbench.quickInputBack();
    await workbench.waitForQuickInput('Make global (2/');
    assert.deepEqual((await workbench.checkedRows()).sort(), ['asia-northeast1', 'europe-west1'], 'Back keeps the regions ticked');
    await workbench.screenshot('ui-surfaces-back-regions');
    // Back again: the service chosen is the highlighted one.
    await workbench.quickInputBack();
    await workbench.waitForQuickInput('Make global (1/');
    assert.equal(await workbench.focusedRow(), 'image-resizer', 'Back keeps the service');
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (2/');
    assert.deepEqual(
      (await workbench.checkedRows()).sort(),
      ['asia-northeast1', 'europe-west1'],
      'forward again, the regions are still ticked',
    );
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (3/6)');
    await focused('Leave europe-west1 out').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');

    // 4. Domains; Back from here returns to the deploy question with its answer.
    await workbench.waitForQuickInput('Make global (4/6)');
    await input().fill('img.example.com');
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (5/6)');
    await workbench.quickInputBack();
    await workbench.waitForQuickInput('Make global (4/6)');
    assert.equal(await input().inputValue(), 'img.example.com', 'Back keeps the domains typed');
    await workbench.screenshot('ui-surfaces-back-domains');
    await workbench.quickInputBack();
    await workbench.waitForQuickInput('Make global (3/6)');
    assert.equal(await workbench.focusedRow(), 'Leave europe-west1 out');
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (4/6)');
    assert.equal(await input().inputValue(), 'img.example.com', 'forward again, the domains are still there');
    await page.keyboard.press('Enter');

    // 5. Names: rename the backend service, accept; 6. Options: Back shows the renamed backend service.
    await workbench.waitForQuickInput('Make global (5/6)');
    await input().fill('backend service');
    await focused('image-resizer-backend').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Name of the backend service' }).waitFor({ timeout: 10_000 });
    await input().fill('img-backend');
    await page.keyboard.press('Enter');
    await focused('Use these names').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (6/6)');
    const options = await workbench.checkedRows();
    await workbench.quickInputBack();
    await workbench.waitForQuickInput('Make global (5/6)');
    await page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: /^\s*img-backend\s*$/ }).waitFor({ timeout: 10_000 });
    await workbench.screenshot('ui-surfaces-back-names');
    assert.ok(await workbench.quickRow('image-resizer-neg-asia-northeast1').isVisible());
    assert.equal(await workbench.quickRow('image-resizer-neg-europe-west1').count(), 0, 'no NEG is named for the region left out');
    await focused('Use these names').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (6/6)');
    assert.deepEqual(await workbench.checkedRows(), options, 'the options as offered before');
    await page.keyboard.press('Enter');

    await workbench.activeTab('make-global-image-resizer.plan').waitFor({ timeout: 30_000 });
    const plan = await workbench.editorText();
    assert.match(plan, /# regions: +asia-northeast1$/m, 'europe-west1 left out, as answered');
    assert.match(plan, /# domains: +img\.example\.com$/m);
    assert.match(plan, /create +backend service +img-backend /);
    const toast = await applyPlan('is behind a global load balancer at');
    assert.match(toast, /img\.example\.com\. 300 IN A \d+\.\d+\.\d+\.\d+/);

    // What was answered is what the emulator now holds.
    const backend = (await computeGet('global/backendServices/img-backend')).body as { backends?: { group: string }[] };
    const groups = (backend.backends ?? []).map((b) => b.group);
    assert.equal(groups.length, 1, JSON.stringify(groups));
    assert.match(groups[0], /\/regions\/asia-northeast1\/networkEndpointGroups\//);
    const certificates = await list('global/sslCertificates');
    assert.ok(
      certificates.some((c) => JSON.stringify((c.managed as { domains?: string[] } | undefined)?.domains) === '["img.example.com"]'),
      JSON.stringify(certificates.map((c) => c.name)),
    );
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it("starts from the editor's context menu on service.yaml, and with IPv6 builds two frontends: IPv4 and IPv6 forwarding rules", async () => {
    const page = workbench.page;
    await workbench.reset();
    await workbench.quickOpen('service.yaml');
    await workbench.contextMenu(page.locator('.editor-group-container.active .monaco-editor .view-lines'), 'Make Service Global…');

    // The YAML names the service and its region: the wizard starts at the regions, us-central1 ticked.
    assert.match(await workbench.waitForQuickInput(/^Make global \(1\/4\)$/), /1\/4/);
    assert.deepEqual(await workbench.checkedRows(), ['us-central1']);
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (2/4)');
    await input().fill('v6.example.com');
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (3/4)');
    await focused('Use these names').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await workbench.waitForQuickInput('Make global (4/4)');
    await workbench.tick('IPv6 address');
    await workbench.screenshot('ui-surfaces-ipv6-option');
    await page.keyboard.press('Enter');

    await workbench.activeTab('make-global-my-global-app.plan').waitFor({ timeout: 30_000 });
    const plan = await workbench.editorText();
    assert.match(plan, /IPv6 address on/);
    const toast = await applyPlan('is behind a global load balancer at');
    await workbench.screenshot('ui-surfaces-ipv6-applied');

    // Down to the forwarding rules: one IPv4 and one IPv6 address, and a 443 rule (and an 80 redirect rule) on each.
    const addresses = (await list('global/addresses')).filter((a) => a.name.startsWith('my-global-app'));
    const v4 = addresses.find((a) => a.ipVersion !== 'IPV6');
    const v6 = addresses.find((a) => a.ipVersion === 'IPV6');
    assert.ok(v4 && v6, JSON.stringify(addresses));
    assert.match(String(v4.address), /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(String(v6.address), /:/);
    const rules = (await list('global/forwardingRules')).filter((r) => r.name.startsWith('my-global-app'));
    const on = (ip: unknown, port: string) => rules.filter((r) => r.IPAddress === ip && String(r.portRange).split('-')[0] === port);
    assert.equal(on(v4.address, '443').length, 1, JSON.stringify(rules));
    assert.equal(on(v6.address, '443').length, 1, JSON.stringify(rules));
    assert.equal(on(v4.address, '80').length, 1, 'the redirect on IPv4');
    assert.equal(on(v6.address, '80').length, 1, 'the redirect on IPv6');
    const proxy = String(on(v4.address, '443')[0].target);
    assert.equal(String(on(v6.address, '443')[0].target), proxy, 'both HTTPS rules point at the one HTTPS proxy');
    assert.match(proxy, /targetHttpsProxies\/my-global-app/);
    // The person is told both records to create.
    assert.ok(toast.includes(`v6.example.com. 300 IN A ${v4.address}`), toast);
    assert.ok(toast.includes(`v6.example.com. 300 IN AAAA ${v6.address}`), toast);
    await workbench.runCommand('Notifications: Clear All Notifications');
  });
});
