import assert from 'node:assert/strict';
import { replacementDescription } from '../../src/core/plan/changeDomains';
import { buildTopology } from '../../src/core/topology/build';
import { ExplorerItem } from '../../src/core/explorer/item';
import { loadBalancerItems, serviceItems, unattachedItems } from '../../src/core/explorer/explorerItems';
import { link, managedCertificate, runService, SEED_IP, seedInventory, seedWithRedirect, serverlessNeg } from './topology-fixtures';

/** The tree as text, expanded to `depth`, one row per line: `label — description [tokens]`. */
function render(items: ExplorerItem[], depth: number, indent = ''): string[] {
  return items.flatMap((item) => [
    `${indent}${item.label}${item.description ? ` — ${item.description}` : ''}`,
    ...(depth > 1 && item.children ? render(item.children(), depth - 1, `${indent}  `) : []),
  ]);
}

function find(items: ExplorerItem[], label: string): ExplorerItem {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.children
      ? (() => {
          try {
            return find(item.children!(), label);
          } catch {
            return undefined;
          }
        })()
      : undefined;
    if (inner) return inner;
  }
  throw new Error(`no row ${label}`);
}

describe('explorer rows', () => {
  it('shows the seed load balancer as its topology, rule to Cloud Run service', () => {
    const topology = buildTopology(seedWithRedirect());
    assert.deepEqual(render(loadBalancerItems(topology), 7), [
      `cloudrun-url-map — ${SEED_IP} · HTTPS · HTTP→HTTPS · certificate provisioning`,
      `  ${SEED_IP} — address global-ip · IPv4`,
      `  https-rule — ${SEED_IP}:443 HTTPS · EXTERNAL_MANAGED`,
      '    https-proxy — HTTPS proxy · 1 certificate',
      '      my-ssl-cert — provisioning · example.com',
      '        example.com — failed not visible',
      '      cloudrun-url-map — URL map · 1 backend',
      '        cloudrun-backend — backend service · EXTERNAL_MANAGED · CDN off · default',
      '          cloudrun-neg — us-central1 · serverless · Cloud Run hello',
      '            hello — us-central1 · ingress all · global via cloudrun-url-map',
      `  http-redirect-rule — ${SEED_IP}:80 HTTP · EXTERNAL_MANAGED`,
      '    http-redirect-proxy — HTTP proxy · redirects to HTTPS',
      '      cloudrun-url-map-redirect — URL map · redirects to HTTPS',
      '        Redirect to HTTPS — moved permanently default',
    ]);
  });

  it('gives rows the context tokens their menus match, and ids unique in the tree', () => {
    const topology = buildTopology(seedWithRedirect());
    const lbs = loadBalancerItems(topology);
    assert.deepEqual(lbs[0].context, [
      'loadBalancer',
      'delete',
      'addRegion',
      'changeDomains',
      'copyIp',
      'console',
      'cert:provisioning',
      'redirect:on',
    ]);
    assert.equal(lbs[0].resource?.ip, SEED_IP);
    const cert = find(lbs, 'my-ssl-cert');
    assert.ok(cert.context.includes('cert:provisioning') && cert.context.includes('yaml'));
    assert.match(cert.resource?.consoleUrl ?? '', /sslCertificates\/details\/my-ssl-cert\?project=demo-project$/);
    const ids: string[] = [];
    const walk = (items: ExplorerItem[]) =>
      items.forEach((i) => {
        ids.push(i.id);
        if (i.children) walk(i.children());
      });
    walk(lbs);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('shows a pending domain change on the load balancer row, and offers Finish once the new certificate is ACTIVE', () => {
    const inventory = seedWithRedirect();
    const next = managedCertificate('next-cert', ['example.com', 'www.example.com'], 'PROVISIONING', {});
    next.description = replacementDescription('https-proxy', ['my-ssl-cert']);
    inventory.sslCertificates.push(next);
    inventory.targetHttpsProxies[0].sslCertificates!.push(link.global('sslCertificates', 'next-cert'));
    const waiting = loadBalancerItems(buildTopology(inventory))[0];
    assert.match(waiting.description ?? '', /domain change: next-cert PROVISIONING/);
    assert.ok(waiting.context.includes('changeDomains') && !waiting.context.includes('finishDomains'), waiting.context.join(';'));
    next.managed = { ...next.managed, status: 'ACTIVE' };
    const ready = loadBalancerItems(buildTopology(inventory))[0];
    assert.match(ready.description ?? '', /domain change ready to finish/);
    assert.ok(ready.context.includes('finishDomains'), ready.context.join(';'));
  });

  it('colours the load balancer by the certificate that serves while a domain change provisions its new one', () => {
    const inventory = seedWithRedirect();
    const serving = inventory.sslCertificates[0];
    serving.managed = { ...serving.managed, status: 'ACTIVE', domainStatus: { 'example.com': 'ACTIVE' } };
    const next = managedCertificate('next-cert', ['example.com', 'www.example.com'], 'PROVISIONING', {});
    next.description = replacementDescription('https-proxy', ['my-ssl-cert']);
    inventory.sslCertificates.push(next);
    inventory.targetHttpsProxies[0].sslCertificates!.push(link.global('sslCertificates', 'next-cert'));
    const row = loadBalancerItems(buildTopology(inventory))[0];
    assert.doesNotMatch(row.description ?? '', /certificate provisioning/);
    assert.match(row.description ?? '', /domain change: next-cert PROVISIONING/);
    assert.ok(row.context.includes('cert:active'), row.context.join(';'));
    assert.deepEqual(row.icon, { codicon: 'globe', color: 'charts.green' });
    // The old certificate failing is the load balancer's own trouble, change or not.
    serving.managed = { ...serving.managed, status: 'FAILED_NOT_VISIBLE' };
    assert.ok(loadBalancerItems(buildTopology(inventory))[0].context.includes('cert:failed'));
  });

  it('marks a NEG whose service is not deployed in its region', () => {
    const inventory = seedInventory();
    inventory.networkEndpointGroups.push(serverlessNeg('neg-eu', 'europe-west1', 'hello'));
    inventory.backendServices[0].backends!.push({ group: link.regional('europe-west1', 'networkEndpointGroups', 'neg-eu') });
    const items = loadBalancerItems(buildTopology(inventory));
    const neg = find(items, 'neg-eu');
    assert.match(neg.description ?? '', /europe-west1 · serverless · Cloud Run hello \(not deployed there\)/);
    assert.equal(neg.icon?.codicon, 'warning');
    assert.equal(neg.children?.()[0].description, 'Cloud Run service — not deployed in europe-west1');
  });

  it("says a NEG's service is unknown, not missing, when the Cloud Run list failed", () => {
    const inventory = seedInventory();
    inventory.services.length = 0;
    const topology = Object.assign(buildTopology(inventory), { servicesUnavailable: true });
    const neg = find(loadBalancerItems(topology), 'cloudrun-neg');
    assert.equal(neg.description, 'us-central1 · serverless · Cloud Run hello (unknown: Cloud Run services could not be listed)');
    assert.equal(neg.children, undefined);
    assert.equal(neg.icon?.codicon, 'location');
  });

  it('lists services with region, ingress and the load balancer that fronts them, linked to it', () => {
    const inventory = seedInventory();
    inventory.services.push(runService('alone', 'europe-west1'));
    const topology = buildTopology(inventory);
    const rows = serviceItems(topology, topology.services);
    assert.deepEqual(
      rows.map((r) => `${r.label} — ${r.description}`),
      ['alone — europe-west1 · ingress all', 'hello — us-central1 · ingress all · global via cloudrun-url-map'],
    );
    const details = rows[1].children!();
    const lbRow = details.find((d) => d.label.startsWith('Load balancer'));
    assert.deepEqual(lbRow?.link, { revealId: `section:loadBalancers/projects/demo-project/global/loadBalancers/${SEED_IP}` });
    assert.equal(details.find((d) => d.label.startsWith('Ingress'))?.description, 'clients can bypass the load balancer via run.app');
    assert.ok(rows[0].context.includes('notGlobal') && rows[1].context.includes('global'));
  });

  it('groups unattached resources by kind', () => {
    const inventory = seedInventory();
    inventory.sslCertificates.push(managedCertificate('old-cert', ['old.example.com'], 'ACTIVE'));
    inventory.networkEndpointGroups.push(serverlessNeg('stray-neg', 'asia-northeast1', 'gone'));
    const groups = unattachedItems(buildTopology(inventory));
    assert.deepEqual(render(groups, 2), [
      'Certificates — 1',
      '  old-cert — active · old.example.com',
      'Network endpoint groups — 1',
      '  stray-neg — asia-northeast1 · serverless · Cloud Run gone (not deployed there)',
    ]);
  });

  it("shows a backend service's Cloud Armor policy as a row under it, with its console page", () => {
    const inventory = seedInventory();
    inventory.backendServices[0].securityPolicy = link.global('securityPolicies', 'office-allowlist');
    const lbs = loadBalancerItems(buildTopology(inventory));
    const backend = find(lbs, 'cloudrun-backend');
    assert.match(backend.description ?? '', /Cloud Armor office-allowlist/);
    const [policy] = backend.children!();
    assert.equal(policy.label, 'office-allowlist');
    assert.equal(policy.description, 'Cloud Armor policy');
    assert.equal(policy.icon?.codicon, 'shield');
    assert.deepEqual(policy.context, ['resource', 'console', 'copyName', 'copySelfLink', 'securityPolicy']);
    assert.equal(
      policy.resource?.consoleUrl,
      'https://console.cloud.google.com/net-security/securitypolicies/details/office-allowlist?project=demo-project',
    );
    assert.equal(backend.children!()[1].label, 'cloudrun-neg', 'the NEGs follow');
  });
});
