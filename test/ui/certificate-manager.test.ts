// The explorer with a certificate map unfolded, as a person clicks through it: the load balancer made with "Issue the
// certificate before DNS moves", its HTTPS proxy, the map, an entry, the certificate (ACTIVE) with its domain and the
// DNS authorization's _acme-challenge record, while the domain's A record still points elsewhere.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { GcpConnection } from '../../src/core/gcp/connection';
import { loadInventory } from '../support/inventory';
import { buildPlan } from '../../src/core/plan/build';
import { uiSession } from '../harness/ui-session';
import { sharedWorkbench, Workbench } from './workbench';

const PROJECT = 'demo-project';
const DOMAIN = 'moving.example.com';

describe('Certificate map in the explorer', function () {
  this.timeout(120_000);
  let workbench: Workbench;
  const emulator = () => uiSession().environment.emulator;
  const row = (text: string | RegExp) => workbench.page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

  before(async () => {
    workbench = await sharedWorkbench();
    await emulator().control.setCertificateTiming({ activationDelayMs: 0 });
    await emulator().control.setDnsRecord({ name: DOMAIN, type: 'A', values: ['203.0.113.44'] });
    // The load balancer as Apply makes it, through the access layer against the same emulator.
    const connection = new GcpConnection(
      { endpoint: emulator().url, endpointFromUserSettings: true, endpointCredentials: 'token', endpointToken: 'ui-test' },
      { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
    );
    const request = {
      project: PROJECT,
      service: 'storefront',
      regions: ['us-central1'],
      domains: [DOMAIN],
      names: { address: 'moving-ip', networkEndpointGroups: { 'us-central1': 'moving-neg-us-central1' } },
      options: { certificateManager: true, httpsRedirect: false, cdn: false },
    };
    const plan = buildPlan(
      {
        ...request,
        names: {
          ...request.names,
          backendService: 'moving-backend',
          urlMap: 'moving-url-map',
          httpsProxy: 'moving-https-proxy',
          httpsRule: 'moving-https-rule',
          certificateMap: 'moving-cert-map',
        },
      },
      await loadInventory(connection, PROJECT),
    );
    const result = await applyPlan(plan, {
      compute: connection.compute(PROJECT),
      run: connection.run(PROJECT),
      certificateManager: connection.certificateManager(PROJECT),
    });
    assert.ok(result.ok, JSON.stringify(result.steps.filter((s) => s.outcome === 'failed')));
    const auth = await connection.certificateManager(PROJECT).get('dnsAuthorizations', 'moving-example-com-dns-auth');
    await emulator().control.setDnsRecord({ name: auth.dnsResourceRecord!.name!, type: 'CNAME', values: [auth.dnsResourceRecord!.data!] });
    // Certificate Manager notices the record on its next look.
    await connection.certificateManager(PROJECT).get('certificates', plan.names.certificate);
  });

  after(async () => {
    await workbench.reset();
    await emulator().control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await row('moving-url-map')
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(() => undefined);
  });

  it('unfolds the load balancer to its certificate map, entries, certificate and DNS authorization', async () => {
    const page = workbench.page;
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.runCommand('Cloud Run Global: Refresh');
    await row('moving-url-map').waitFor({ timeout: 30_000 });
    // Fold the services so the load balancer has room.
    const services = row('Cloud Run services');
    if ((await services.getAttribute('aria-expanded')) === 'true') await services.locator('.monaco-tl-twistie').click();
    for (const label of [
      'moving-url-map',
      'moving-https-rule',
      'moving-https-proxy',
      'moving-cert-map',
      /moving\.example\.com.*map entry/,
      /storefront-cert-[0-9a-f]{6}/,
    ]) {
      const target = row(label);
      await target.waitFor({ timeout: 15_000 });
      if ((await target.getAttribute('aria-expanded')) === 'false') await target.locator('.monaco-tl-twistie').click();
    }
    await workbench.waitForTreeRow('_acme-challenge.moving.example.com', 15_000);
    // Widen the side bar for the photograph, then put it and the services back: later files share this window.
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    const drag = async (from: number, to: number, y: number) => {
      await page.mouse.move(from, y);
      await page.mouse.down();
      await page.mouse.move(to, y, { steps: 8 });
      await page.mouse.up();
    };
    let rows: string[];
    try {
      if (sidebar) await drag(sidebar.x + sidebar.width + 1, sidebar.x + sidebar.width + 421, sidebar.y + sidebar.height / 2);
      rows = await workbench.treeRows();
      console.log(`      rows:\n${rows.map((r) => `        ${r}`).join('\n')}`);
      await workbench.screenshot('ui-certificate-map');
    } finally {
      const wide = await page.locator('.part.sidebar').boundingBox();
      if (sidebar && wide && wide.width > sidebar.width)
        await drag(wide.x + wide.width + 1, sidebar.x + sidebar.width + 1, wide.y + wide.height / 2);
      if ((await services.getAttribute('aria-expanded')) === 'false') await services.locator('.monaco-tl-twistie').click();
    }
    for (const expected of [
      /moving-https-proxy — HTTPS proxy · 0 certificates · certificate map/,
      /moving-cert-map — certificate map · 2 entries/,
      /moving\.example\.com — map entry moving-example-com-entry/,
      /storefront-cert-[0-9a-f]{6} — active · moving\.example\.com/,
      /moving\.example\.com — authorized/,
      /_acme-challenge\.moving\.example\.com — DNS authorization moving-example-com-dns-auth · CNAME → \S+\.authorize\.certificatemanager\.goog\./,
    ])
      assert.ok(
        rows.some((r) => expected.test(r)),
        `${expected} in\n${rows.join('\n')}`,
      );
  });
});
