// The explorer's row actions as a person uses them, each checked against what is real: Copy IP
// against the clipboard and the emulator's address, Open in Cloud Console against the URL the browser
// is asked to open, Add region and Delete… against the emulator, Switch Project against the status
// bar, the tree and the user's settings file.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uiSession } from '../harness/ui-session';
import { computeGet, sharedWorkbench, Workbench } from './workbench';

const PROJECT = 'demo-project';
const OTHER_PROJECT = 'other-project-42';
const CONSOLE = 'https://console.cloud.google.com';

describe('Explorer row actions through the UI', function () {
  this.timeout(150_000);
  let workbench: Workbench;
  const environment = () => uiSession().environment;
  const emulator = () => environment().emulator;
  const userProjectSetting = () => {
    const text = readFileSync(join(environment().server.userDataDir, 'User', 'settings.json'), 'utf8');
    return (JSON.parse(text) as Record<string, unknown>)['cloudRunGlobal.project'];
  };
  const statusBarProject = (project: string) => workbench.page.locator('.part.statusbar .statusbar-item', { hasText: project }).first();

  before(async () => {
    workbench = await sharedWorkbench();
    // What the demo lacks for these actions: api also running in europe-west1 (a region to add), a
    // serverless NEG nothing uses (to delete), and a second project (to switch to).
    await emulator().control.loadSeed({
      projects: [{ id: OTHER_PROJECT, number: '987654321098' }],
      runServices: [
        { name: 'api', region: 'europe-west1', ingress: 'all', image: 'us-docker.pkg.dev/demo-project/apps/api:1.4.2' },
        { name: 'elsewhere', region: 'us-east1', project: OTHER_PROJECT },
      ],
      compute: [
        {
          project: PROJECT,
          networkEndpointGroups: [
            { name: 'old-neg', region: 'europe-west1', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'reports' } },
          ],
        },
      ],
    });
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await workbench.waitForTreeRow('Unattached resources', 30_000);
    // Earlier files may have folded a section (the tree keeps that across files).
    for (const section of ['Cloud Run services', 'Global load balancers']) await workbench.expandRow(workbench.treeRow(section));
  });
  after(async () => {
    // Later files expect the demo project as it was, and the demo project chosen.
    await workbench.reset();
    if (userProjectSetting() !== PROJECT) {
      await statusBarProject(OTHER_PROJECT).click();
      await workbench.waitForQuickInput('Switch Google Cloud project');
      await workbench.page.locator('.quick-input-widget input').fill(PROJECT);
      await workbench.page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: PROJECT }).waitFor({ timeout: 15_000 });
      await workbench.page.keyboard.press('Enter');
      await statusBarProject(PROJECT).waitFor({ timeout: 30_000 });
    }
    await emulator().control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await workbench.treeRow('Unattached resources').waitFor({ state: 'detached', timeout: 30_000 });
    await workbench.waitForTreeRow('storefront-url-map', 30_000);
  });

  it('Copy IP Address on a load balancer puts the address the emulator holds on the clipboard', async () => {
    const page = workbench.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    // Something else on the clipboard first, so only the copy can put the address there.
    await page.evaluate('navigator.clipboard.writeText("not-an-ip")');
    await workbench.contextMenu(workbench.treeRow('api-url-map'), 'Copy IP Address');
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'Copied IP address' }).waitFor({ timeout: 15_000 });
    // The page's own clipboard, which VS Code wrote to (tsconfig has no DOM types: the expression is a string).
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    await workbench.screenshot('ui-surfaces-copy-ip');
    const address = (await computeGet('global/addresses/api-ip')).body.address;
    const rule = (await computeGet('global/forwardingRules/api-https-rule')).body.IPAddress;
    assert.equal(copied, address);
    assert.equal(copied, rule, "the address the load balancer's rule serves on");
  });

  it("Open in Cloud Console opens the Console page of the row's kind of resource", async () => {
    const page = workbench.page;
    const context = page.context();
    // The browser never reaches Google: the Console's pages are answered here, and their URLs kept.
    const asked: string[] = [];
    await context.route(`${CONSOLE}/**`, (route) => {
      asked.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Cloud Console (test)</title>' });
    });
    try {
      const negRegion = String((await computeGet('regions/europe-west1/networkEndpointGroups/old-neg')).body.region)
        .split('/')
        .pop();
      await workbench.expandRow(workbench.treeRow('Unattached resources'));
      await workbench.expandRow(workbench.treeRow('Network endpoint groups'));
      const cases: [row: string, url: string][] = [
        // A load balancer is shown on its URL map's page.
        ['api-url-map', `${CONSOLE}/net-services/loadbalancing/details/httpAdvanced/api-url-map?project=${PROJECT}`],
        ['image-resizer', `${CONSOLE}/run/detail/asia-northeast1/image-resizer/metrics?project=${PROJECT}`],
        ['old-neg', `${CONSOLE}/compute/networkendpointgroups/details/${negRegion}/old-neg?project=${PROJECT}`],
      ];
      for (const [row, url] of cases) {
        await workbench.contextMenu(workbench.treeRow(row), 'Open in Cloud Console');
        // VS Code asks before it opens an external site. (Its dialog goes on naming the first site
        // opened in the window for later ones; the page it then opens is the one asked for.)
        const dialog = workbench.dialog();
        await dialog.waitFor({ timeout: 15_000 });
        assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /open the external website\?/);
        if (row === cases[0][0]) await workbench.screenshot('ui-surfaces-console-confirm');
        const opened = context.waitForEvent('page', { timeout: 15_000 });
        await workbench.clickDialogButton('Open');
        const tab = await opened;
        await tab.waitForURL(/console\.cloud\.google\.com/, { timeout: 15_000 });
        assert.equal(tab.url(), url, `${row}: the page opened`);
        await tab.close();
        await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
      }
      assert.deepEqual(
        asked,
        cases.map(([, url]) => url),
        'the browser asked for these pages, in this order',
      );
    } finally {
      await context.unroute(`${CONSOLE}/**`);
    }
  });

  it('Add Region… on a load balancer attaches a serverless NEG in the new region to its backend service', async () => {
    const page = workbench.page;
    await workbench.reset();
    const before = (await computeGet('global/backendServices/api-backend')).body as { backends?: { group: string }[] };
    assert.deepEqual(
      (before.backends ?? []).map((b) => b.group.split('/regions/')[1]),
      ['us-central1/networkEndpointGroups/api-neg-us-central1'],
    );
    await workbench.contextMenu(workbench.treeRow('api-url-map'), 'Add Region…');
    await workbench.waitForQuickInput(/^Add region/);
    await workbench.quickRow('europe-west1').waitFor({ timeout: 30_000 });
    assert.equal(await workbench.focusedRow(), 'europe-west1', 'where api runs already comes first');
    await page.keyboard.press('Enter');
    await workbench.activeTab('add-region-api.plan').waitFor({ timeout: 30_000 });
    const plan = await workbench.editorText();
    assert.match(plan, /# Add region europe-west1 to the load balancer of api/);
    await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Apply' }).first().click({ timeout: 30_000 });
    await workbench.toast('api is now also served from europe-west1.').waitFor({ timeout: 90_000 });
    await workbench.screenshot('ui-surfaces-add-region');

    const after = (await computeGet('global/backendServices/api-backend')).body as { backends?: { group: string }[] };
    const groups = (after.backends ?? []).map((b) => b.group);
    assert.equal(groups.length, 2, JSON.stringify(groups));
    const added = groups.find((g) => g.includes('/regions/europe-west1/'));
    assert.ok(added, JSON.stringify(groups));
    const neg = (await computeGet(added.slice(added.indexOf('regions/')))).body as {
      networkEndpointType?: string;
      cloudRun?: { service?: string };
    };
    assert.equal(neg.networkEndpointType, 'SERVERLESS');
    assert.equal(neg.cloudRun?.service, 'api');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it('Delete… on an unattached serverless NEG deletes it from the project after the person confirms', async () => {
    const page = workbench.page;
    await workbench.reset();
    await workbench.expandRow(workbench.treeRow('Unattached resources'));
    await workbench.expandRow(workbench.treeRow('Network endpoint groups'));
    assert.equal((await computeGet('regions/europe-west1/networkEndpointGroups/old-neg')).status, 200);
    await workbench.contextMenu(workbench.treeRow('old-neg'), 'Delete…');
    const dialog = workbench.dialog();
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /old-neg/);
    await workbench.clickDialogButton('Delete');
    await workbench.toast('Deleted 1 of 1 unattached resource.').waitFor({ timeout: 30_000 });
    await workbench.treeRow('old-neg').waitFor({ state: 'detached', timeout: 30_000 });
    await workbench.screenshot('ui-surfaces-deleted-neg');
    assert.equal((await computeGet('regions/europe-west1/networkEndpointGroups/old-neg')).status, 404);
    // Only that one: the load balancers' NEGs are all still there.
    for (const name of ['api-neg-us-central1', 'storefront-neg-us-central1'])
      assert.equal((await computeGet(`regions/us-central1/networkEndpointGroups/${name}`)).status, 200, name);
    await page.keyboard.press('Escape');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it("Switch Project from the status bar and from the explorer's title bar", async () => {
    const page = workbench.page;
    await workbench.reset();
    assert.equal(userProjectSetting(), PROJECT);

    // The status bar item: the projects the account can see, the current one marked.
    await statusBarProject(PROJECT).click();
    await workbench.waitForQuickInput('Switch Google Cloud project');
    await workbench.quickRow(OTHER_PROJECT).waitFor({ timeout: 30_000 });
    assert.match(await workbench.quickRow(PROJECT).innerText(), /current/);
    await workbench.screenshot('ui-surfaces-switch-project');
    await page.locator('.quick-input-widget input').fill(OTHER_PROJECT);
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: OTHER_PROJECT }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await statusBarProject(OTHER_PROJECT).waitFor({ timeout: 30_000 });
    await workbench.expandRow(workbench.treeRow('Cloud Run services'));
    await workbench.waitForTreeRow('elsewhere', 30_000);
    const rows = await workbench.treeRows();
    await workbench.screenshot('ui-surfaces-switched-project');
    assert.equal(userProjectSetting(), OTHER_PROJECT, "the choice is kept in the user's settings");
    assert.ok(!rows.some((r) => /api-url-map|storefront/.test(r)), rows.join('\n'));

    // The explorer's title bar action switches back.
    await page
      .locator(
        '.part.sidebar .title-actions a[aria-label^="Switch Project"], .part.sidebar .pane-header .actions a[aria-label^="Switch Project"]',
      )
      .first()
      .click();
    await workbench.waitForQuickInput('Switch Google Cloud project');
    await workbench.quickRow(PROJECT).waitFor({ timeout: 30_000 });
    await page.locator('.quick-input-widget input').fill(PROJECT);
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: PROJECT }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await statusBarProject(PROJECT).waitFor({ timeout: 30_000 });
    await workbench.waitForTreeRow('api-url-map', 30_000);
    assert.equal(userProjectSetting(), PROJECT);
  });
});
