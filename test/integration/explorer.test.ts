// The explorer against the emulator's demo project, read through the same provider the tree view uses.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudRunGlobalApi } from '../../src/extension';
import type { ExplorerItem } from '../../src/core/explorer/item';
import { EmulatorControl } from '../emulator/control';
import { extension, onDemoProject } from './helpers';

async function api(): Promise<CloudRunGlobalApi> {
  return (await extension().activate()) as CloudRunGlobalApi;
}

/** Rows as `label — description`, depth-first to `depth`. */
async function rows(
  explorer: CloudRunGlobalApi['explorer'],
  parent: ExplorerItem | undefined,
  depth: number,
  indent = '',
): Promise<string[]> {
  const out: string[] = [];
  for (const item of await explorer.getChildren(parent)) {
    out.push(`${indent}${item.label}${item.description ? ` — ${item.description}` : ''}`);
    if (depth > 1 && item.children) out.push(...(await rows(explorer, item, depth - 1, `${indent}  `)));
  }
  return out;
}

async function child(explorer: CloudRunGlobalApi['explorer'], parent: ExplorerItem | undefined, label: string): Promise<ExplorerItem> {
  const found = (await explorer.getChildren(parent)).find((i) => i.label === label);
  assert.ok(found, `no row "${label}" under ${parent?.label ?? 'the root'}`);
  return found;
}

describe('Explorer', function () {
  this.timeout(30_000);
  let control: EmulatorControl;

  before(async function () {
    ({ control } = await onDemoProject(this));
  });

  it('lists the demo services in every region, with ingress and the load balancer that fronts them', async () => {
    const { explorer, model } = await api();
    await model.loadedTopology();
    const roots = await explorer.getChildren();
    assert.deepEqual(
      roots.map((r) => `${r.label} — ${r.description}`),
      ['Cloud Run services — 7', 'Global load balancers — 2'],
    );
    const services = await rows(explorer, roots[0], 1);
    assert.deepEqual(services, [
      'api — us-central1 · ingress all · global via api-url-map',
      'image-resizer — asia-northeast1 · ingress all',
      'my-global-app — us-central1 · ingress all',
      'orders-worker — asia-northeast1 · ingress internal',
      'reports — europe-west1 · ingress all',
      'storefront — europe-west1 · ingress internal-and-cloud-load-balancing · global via storefront-url-map',
      'storefront — us-central1 · ingress internal-and-cloud-load-balancing · global via storefront-url-map',
    ]);
  });

  it('shows each load balancer as its topology, down to the Cloud Run service in each region', async () => {
    const { explorer } = await api();
    const section = await child(explorer, undefined, 'Global load balancers');
    const lbs = await explorer.getChildren(section);
    assert.deepEqual(
      lbs.map((l) => `${l.label} — ${l.description}`),
      ['api-url-map — 34.120.10.30 · HTTPS · certificate provisioning', 'storefront-url-map — 34.120.10.20 · HTTPS · HTTP→HTTPS'],
    );
    const storefront = lbs[1];
    const tree = await rows(explorer, storefront, 6);
    assert.deepEqual(tree, [
      '34.120.10.20 — address storefront-ip · IPv4',
      'storefront-https-rule — 34.120.10.20:443 HTTPS · EXTERNAL_MANAGED',
      '  storefront-https-proxy — HTTPS proxy · 1 certificate',
      '    storefront-cert — active · shop.example.com',
      '      shop.example.com — active',
      '    storefront-url-map — URL map · 1 backend',
      '      storefront-backend — backend service · EXTERNAL_MANAGED · CDN on · default',
      '        storefront-neg-us-central1 — us-central1 · serverless · Cloud Run storefront',
      '          storefront — us-central1 · ingress internal-and-cloud-load-balancing · global via storefront-url-map',
      '        storefront-neg-europe-west1 — europe-west1 · serverless · Cloud Run storefront',
      '          storefront — europe-west1 · ingress internal-and-cloud-load-balancing · global via storefront-url-map',
      'storefront-http-rule — 34.120.10.20:80 HTTP · EXTERNAL_MANAGED',
      '  storefront-http-proxy — HTTP proxy · redirects to HTTPS',
      '    storefront-redirect — URL map · redirects to HTTPS',
      '      Redirect to HTTPS — moved permanently default',
    ]);
  });

  it('opens a resource as read-only YAML', async () => {
    const { explorer } = await api();
    const lb = await child(explorer, await child(explorer, undefined, 'Global load balancers'), 'api-url-map');
    const rule = await child(explorer, lb, 'api-https-rule');
    await vscode.commands.executeCommand('cloudRunGlobal.viewAsYaml', rule);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'cloudrun-global');
    assert.equal(editor?.document.languageId, 'yaml');
    assert.match(editor?.document.getText() ?? '', /^name: api-https-rule$/m);
    assert.match(editor?.document.getText() ?? '', /^loadBalancingScheme: EXTERNAL_MANAGED$/m);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('deletes a load balancer in dependency order, keeping what another load balancer uses', async () => {
    // A second load balancer on its own IP that shares storefront's backend service.
    const g = (c: string, n: string) => `projects/demo-project/global/${c}/${n}`;
    await control.loadSeed({
      compute: [
        {
          project: 'demo-project',
          urlMaps: [{ name: 'promo-url-map', defaultService: g('backendServices', 'storefront-backend') }],
          sslCertificates: [{ name: 'promo-cert', type: 'MANAGED', managed: { domains: ['promo.example.com'] } }],
          targetHttpsProxies: [
            { name: 'promo-https-proxy', urlMap: g('urlMaps', 'promo-url-map'), sslCertificates: [g('sslCertificates', 'promo-cert')] },
          ],
          addresses: [{ name: 'promo-ip', address: '34.120.10.40', ipVersion: 'IPV4' }],
          forwardingRules: [
            {
              name: 'promo-https-rule',
              IPAddress: '34.120.10.40',
              portRange: '443',
              loadBalancingScheme: 'EXTERNAL_MANAGED',
              target: g('targetHttpsProxies', 'promo-https-proxy'),
            },
          ],
        },
      ],
    });
    const { explorer, model } = await api();
    await model.refresh();
    const promo = await child(explorer, await child(explorer, undefined, 'Global load balancers'), 'promo-url-map');

    // Answer the confirmation as a user would, and keep what it showed.
    const original = vscode.window.showWarningMessage;
    let shown = '';
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (message: string, options?: vscode.MessageOptions) => {
      shown ||= `${message}\n${options?.detail ?? ''}`;
      return options?.modal ? 'Delete' : undefined;
    };
    try {
      await vscode.commands.executeCommand('cloudRunGlobal.deleteLoadBalancer', promo);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    assert.match(shown, /^Delete load balancer promo-url-map\?/);
    const listed = shown
      .slice(shown.indexOf('in this order:'), shown.indexOf('Kept:'))
      .split('\n')
      .filter((l) => l.includes('•'))
      .map((l) => l.trim());
    assert.deepEqual(
      listed,
      [
        '• forwarding rule promo-https-rule',
        '• target HTTPS proxy promo-https-proxy',
        '• SSL certificate promo-cert',
        '• URL map promo-url-map',
        '• address promo-ip',
      ],
      'rules, then proxies, then URL maps and certificates, then the address',
    );
    assert.match(shown, /Kept:\n\s+• backend service storefront-backend is also used by load balancer storefront-url-map/);

    const state = (await control.state()) as { compute: Record<string, Record<string, { name: string }[]>> };
    const remaining = new Set(
      Object.values(state.compute['demo-project'])
        .flat()
        .map((r) => r.name),
    );
    for (const gone of ['promo-https-rule', 'promo-https-proxy', 'promo-url-map', 'promo-cert', 'promo-ip'])
      assert.ok(!remaining.has(gone), `${gone} was deleted`);
    for (const kept of ['storefront-backend', 'storefront-neg-us-central1', 'storefront-https-rule'])
      assert.ok(remaining.has(kept), `${kept} was kept`);

    await model.loadedTopology();
    const after = await explorer.getChildren(await child(explorer, undefined, 'Global load balancers'));
    assert.deepEqual(
      after.map((l) => l.label),
      ['api-url-map', 'storefront-url-map'],
    );
  });
});
