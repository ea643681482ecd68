// Compute over HTTP: IAP and Cloud CDN refused together on one backend service (insert, update, patch), and global
// internet network endpoint groups (insert, attach/detach/list endpoints, aggregatedList, a backend service's backend).
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import { apiClient } from '../conformance/helpers';

const PROJECT = 'demo-project';
const BS = `compute/v1/projects/${PROJECT}/global/backendServices`;
const NEG = `compute/v1/projects/${PROJECT}/global/networkEndpointGroups`;
const BOTH =
  /^Invalid value for field 'resource\.(iap\.enabled|enableCDN)': 'true'\. Identity-Aware Proxy \(IAP\) and Cloud CDN cannot both be enabled on a backend service\.$/;

describe('Compute: IAP beside Cloud CDN, and global internet NEGs (HTTP)', () => {
  let emulator: Emulator;
  let api: ReturnType<typeof apiClient>;

  before(async () => {
    emulator = await startEmulator({ seed: 'demo', dns: false, operationLatencyMs: 0 });
    api = apiClient(emulator.url);
  });
  after(async () => {
    await emulator?.close();
  });
  beforeEach(async () => {
    await emulator.control.reset();
  });

  const refused = (r: { status: number; body: { error: { errors: { reason: string; message: string }[] } } }) => {
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.errors[0].reason, 'invalid');
    assert.match(r.body.error.errors[0].message, BOTH);
  };

  describe('IAP and Cloud CDN on one backend service', () => {
    it('refuses an insert with both, and creates nothing', async () => {
      refused(await api('POST', BS, { name: 'both', loadBalancingScheme: 'EXTERNAL_MANAGED', enableCDN: true, iap: { enabled: true } }));
      assert.equal((await api('GET', `${BS}/both`)).status, 404);
    });

    it('refuses a patch or an update that enables IAP on a CDN backend, or CDN on an IAP backend', async () => {
      assert.equal((await api('POST', BS, { name: 'cdn', loadBalancingScheme: 'EXTERNAL_MANAGED', enableCDN: true })).status, 200);
      refused(await api('PATCH', `${BS}/cdn`, { iap: { enabled: true } }));
      const current = (await api('GET', `${BS}/cdn`)).body;
      refused(await api('PUT', `${BS}/cdn`, { ...current, iap: { enabled: true } }));
      assert.equal((await api('GET', `${BS}/cdn`)).body.iap, undefined, 'nothing written');

      assert.equal((await api('POST', BS, { name: 'iap', loadBalancingScheme: 'EXTERNAL_MANAGED', iap: { enabled: true } })).status, 200);
      const r = await api('PATCH', `${BS}/iap`, { enableCDN: true });
      refused(r);
      assert.match(r.body.error.errors[0].message, /'resource\.enableCDN'/);
    });

    it('accepts IAP once CDN is off (one patch doing both), and IAP disabled beside CDN', async () => {
      assert.equal((await api('POST', BS, { name: 'cdn', loadBalancingScheme: 'EXTERNAL_MANAGED', enableCDN: true })).status, 200);
      assert.equal((await api('PATCH', `${BS}/cdn`, { iap: { enabled: false } })).status, 200);
      assert.equal((await api('PATCH', `${BS}/cdn`, { enableCDN: false, iap: { enabled: true } })).status, 200);
      const after = (await api('GET', `${BS}/cdn`)).body;
      assert.equal(after.enableCDN, false);
      assert.equal(after.iap.enabled, true);
    });
  });

  describe('global internet network endpoint groups', () => {
    const createFqdnNeg = async (name: string) => {
      const r = await api('POST', NEG, { name, networkEndpointType: 'INTERNET_FQDN_PORT', defaultPort: 443 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    };

    it('creates one without a region, attaches, lists and detaches its endpoint; size follows', async () => {
      await createFqdnNeg('ext');
      const neg = (await api('GET', `${NEG}/ext`)).body;
      assert.equal(neg.region, undefined);
      assert.equal(neg.size, 0);
      assert.equal(neg.networkEndpointType, 'INTERNET_FQDN_PORT');
      const endpoint = { fqdn: 'backend.example.com', port: 443 };
      const attached = await api('POST', `${NEG}/ext/attachNetworkEndpoints`, { networkEndpoints: [endpoint] });
      assert.equal(attached.status, 200);
      assert.equal(attached.body.operationType, 'attachNetworkEndpoints');
      assert.equal((await api('GET', `${NEG}/ext`)).body.size, 1);
      const listed = await api('POST', `${NEG}/ext/listNetworkEndpoints`);
      assert.equal(listed.body.kind, 'compute#networkEndpointGroupsListNetworkEndpoints');
      assert.deepEqual(listed.body.items, [{ networkEndpoint: endpoint }]);
      assert.equal((await api('POST', `${NEG}/ext/detachNetworkEndpoints`, { networkEndpoints: [endpoint] })).status, 200);
      assert.equal((await api('POST', `${NEG}/ext/listNetworkEndpoints`)).body.items, undefined);
      assert.equal((await api('GET', `${NEG}/ext`)).body.size, 0);
    });

    it('refuses a serverless NEG in the global scope, an endpoint without an FQDN, and a second endpoint', async () => {
      const serverless = await api('POST', NEG, { name: 'sl', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'x' } });
      assert.equal(serverless.status, 400);
      await createFqdnNeg('ext');
      const noFqdn = await api('POST', `${NEG}/ext/attachNetworkEndpoints`, { networkEndpoints: [{ ipAddress: '203.0.113.7' }] });
      assert.equal(noFqdn.status, 400);
      assert.equal((await api('POST', `${NEG}/ext/attachNetworkEndpoints`, { networkEndpoints: [{ fqdn: 'a.example.com' }] })).status, 200);
      const second = await api('POST', `${NEG}/ext/attachNetworkEndpoints`, { networkEndpoints: [{ fqdn: 'b.example.com' }] });
      assert.equal(second.status, 400);
    });

    it('is listed under the global scope of aggregatedList, beside the regional serverless NEGs', async () => {
      await createFqdnNeg('ext');
      const agg = (await api('GET', `compute/v1/projects/${PROJECT}/aggregated/networkEndpointGroups`)).body;
      assert.deepEqual(
        agg.items.global.networkEndpointGroups.map((n: { name: string }) => n.name),
        ['ext'],
      );
      assert.ok(agg.items['regions/us-central1'].networkEndpointGroups.length > 0, 'the demo serverless NEGs stay regional');
      const regional = await api('POST', `compute/v1/projects/${PROJECT}/regions/us-central1/networkEndpointGroups/x/listNetworkEndpoints`);
      assert.equal(regional.status, 404);
    });

    it('serves as the backend of an EXTERNAL_MANAGED backend service; not for an internal scheme, nor beside a serverless NEG', async () => {
      await createFqdnNeg('ext');
      const group = `projects/${PROJECT}/global/networkEndpointGroups/ext`;
      const bs = await api('POST', BS, { name: 'ext-bs', loadBalancingScheme: 'EXTERNAL_MANAGED', backends: [{ group }] });
      assert.equal(bs.status, 200, JSON.stringify(bs.body));
      assert.match((await api('GET', `${BS}/ext-bs`)).body.backends[0].group, /\/global\/networkEndpointGroups\/ext$/);
      const internal = await api('POST', BS, { name: 'int-bs', loadBalancingScheme: 'INTERNAL_MANAGED', backends: [{ group }] });
      assert.equal(internal.status, 400);
      const agg = (await api('GET', `compute/v1/projects/${PROJECT}/aggregated/networkEndpointGroups`)).body;
      const serverless = agg.items['regions/us-central1'].networkEndpointGroups[0].selfLink;
      const mixed = await api('PATCH', `${BS}/ext-bs`, { backends: [{ group }, { group: serverless }] });
      assert.equal(mixed.status, 400);
      assert.equal((await api('DELETE', `${NEG}/ext`)).status, 400, 'in use by its backend service');
    });
  });
});
