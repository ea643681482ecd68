// The real gcloud against the emulator's Compute: a global internet NEG (create, add an endpoint, list its endpoints, a
// backend of an EXTERNAL_MANAGED backend service, listed beside the regional ones), and IAP refused beside Cloud CDN.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import type { Json } from '../emulator/store';
import { apiClient, findOnPath, gcloudSession, skipWithoutGcloud, type GcloudSession } from './helpers';

const PROJECT = 'demo-project';

describe('gcloud: global internet NEGs, and IAP beside Cloud CDN', function () {
  const gcloudPath = findOnPath('gcloud');
  let emulator: Emulator;
  let gcloud: GcloudSession;

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    emulator = await startEmulator({ seed: 'demo', dns: false, operationLatencyMs: 50 });
    gcloud = gcloudSession(
      gcloudPath!,
      PROJECT,
      { api_endpoint_overrides: { compute: `${emulator.url}compute/v1/` } },
      { NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
    );
  });
  after(async () => {
    await emulator?.close();
    gcloud?.close();
  });

  const computeOf = async (collection: string, name: string) =>
    ((await emulator.control.state()) as Json).compute[PROJECT][collection].find((r: Json) => r.name === name);

  describe('a global internet-fqdn-port NEG', () => {
    it('is created global, without a region', async () => {
      await gcloud.ok(
        'compute',
        'network-endpoint-groups',
        'create',
        'ext-neg',
        '--global',
        '--network-endpoint-type=internet-fqdn-port',
        '--default-port=443',
      );
      const neg = await computeOf('networkEndpointGroups', 'ext-neg');
      assert.match(neg.selfLink, new RegExp(`/projects/${PROJECT}/global/networkEndpointGroups/ext-neg$`));
      assert.equal(neg.networkEndpointType, 'INTERNET_FQDN_PORT');
      assert.equal(neg.defaultPort, 443);
      assert.equal(neg.region, undefined);
      assert.equal(neg.size, 0);
    });

    it('takes an endpoint (update --add-endpoint) and lists it (list-network-endpoints)', async () => {
      await gcloud.ok(
        'compute',
        'network-endpoint-groups',
        'update',
        'ext-neg',
        '--global',
        '--add-endpoint=fqdn=backend.example.com,port=443',
      );
      assert.equal((await computeOf('networkEndpointGroups', 'ext-neg')).size, 1);
      const api = apiClient(emulator.url);
      const listed = await api('POST', `compute/v1/projects/${PROJECT}/global/networkEndpointGroups/ext-neg/listNetworkEndpoints`);
      assert.deepEqual(listed.body.items, [{ networkEndpoint: { fqdn: 'backend.example.com', port: 443 } }]);
      const byGcloud = await gcloud.json('compute', 'network-endpoint-groups', 'list-network-endpoints', 'ext-neg', '--global');
      assert.deepEqual(byGcloud, [{ networkEndpoint: { fqdn: 'backend.example.com', port: 443 } }]);
    });

    it('is the backend of an EXTERNAL_MANAGED global backend service', async () => {
      await gcloud.ok(
        'compute',
        'backend-services',
        'create',
        'ext-backend',
        '--global',
        '--load-balancing-scheme=EXTERNAL_MANAGED',
        '--protocol=HTTPS',
      );
      await gcloud.ok(
        'compute',
        'backend-services',
        'add-backend',
        'ext-backend',
        '--global',
        '--network-endpoint-group=ext-neg',
        '--global-network-endpoint-group',
      );
      const backend = await computeOf('backendServices', 'ext-backend');
      assert.equal(backend.loadBalancingScheme, 'EXTERNAL_MANAGED');
      assert.equal(backend.backends.length, 1);
      assert.match(backend.backends[0].group, new RegExp(`/projects/${PROJECT}/global/networkEndpointGroups/ext-neg$`));
    });

    it('is listed beside the regional serverless NEGs, which stay as they were', async () => {
      const negs = await gcloud.json('compute', 'network-endpoint-groups', 'list');
      const ext = negs.find((n: Json) => n.name === 'ext-neg');
      assert.ok(ext, 'the global NEG is listed');
      assert.equal(ext.region, undefined);
      const serverless = negs.filter((n: Json) => n.networkEndpointType === 'SERVERLESS');
      assert.ok(serverless.length > 0);
      for (const n of serverless) assert.match(n.region, /\/regions\/[a-z]+-[a-z]+\d+$/);
      const state = ((await emulator.control.state()) as Json).compute[PROJECT].networkEndpointGroups;
      assert.equal(negs.length, state.length);
    });
  });

  describe('IAP and Cloud CDN on one backend service', () => {
    it('update --iap=enabled on a CDN backend fails; --no-enable-cdn then --iap=enabled succeeds', async () => {
      await gcloud.ok(
        'compute',
        'backend-services',
        'create',
        'cdn-backend',
        '--global',
        '--load-balancing-scheme=EXTERNAL_MANAGED',
        '--enable-cdn',
      );
      const refused = await gcloud.run('compute', 'backend-services', 'update', 'cdn-backend', '--global', '--iap=enabled');
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /Identity-Aware Proxy \(IAP\) and Cloud CDN cannot both be enabled on a backend service\./);
      assert.equal((await computeOf('backendServices', 'cdn-backend')).iap, undefined, 'nothing written');

      await gcloud.ok('compute', 'backend-services', 'update', 'cdn-backend', '--global', '--no-enable-cdn');
      await gcloud.ok('compute', 'backend-services', 'update', 'cdn-backend', '--global', '--iap=enabled');
      const backend = await computeOf('backendServices', 'cdn-backend');
      assert.equal(backend.enableCDN, false);
      assert.equal(backend.iap.enabled, true);
    });
  });
});
