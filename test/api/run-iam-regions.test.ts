// Cloud Run IAM for one service name in two regions, over HTTP: each region's service has its own policy and etag, an etag
// is the same etag in either base64 alphabet (gcloud sends it back URL-safe), and a stale or foreign etag is refused.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import { apiClient } from '../conformance/helpers';

const PROJECT = 'demo-project';
const REGIONS = ['us-central1', 'europe-west1'];
const policyPath = (region: string, verb: string) => `v1/projects/${PROJECT}/locations/${region}/services/twin:${verb}`;
const PUBLIC = [{ role: 'roles/run.invoker', members: ['allUsers'] }];
const urlSafe = (etag: string) => etag.replace(/\+/g, '-').replace(/\//g, '_');

describe('Cloud Run IAM: a service named alike in two regions (HTTP)', () => {
  let emulator: Emulator;
  let api: ReturnType<typeof apiClient>;

  before(async () => {
    emulator = await startEmulator({
      seed: { runServices: REGIONS.map((region) => ({ name: 'twin', region, iamPolicy: { bindings: [] } })) },
      dns: false,
    });
    api = apiClient(emulator.url);
  });
  after(async () => {
    await emulator?.close();
  });
  beforeEach(async () => {
    await emulator.control.reset();
  });

  const getPolicy = async (region: string) => {
    const r = await api('GET', `${policyPath(region, 'getIamPolicy')}?options.requestedPolicyVersion=3`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const setPolicy = (region: string, policy: unknown) => api('POST', policyPath(region, 'setIamPolicy'), { policy });

  it('each region has its own etag; an etag from the other region is refused with 409 ABORTED', async () => {
    const [a, b] = [await getPolicy(REGIONS[0]), await getPolicy(REGIONS[1])];
    assert.notEqual(a.etag, b.etag);
    const r = await setPolicy(REGIONS[0], { bindings: PUBLIC, etag: b.etag });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.status, 'ABORTED');
    assert.match(r.body.error.message, /There were concurrent policy changes/);
    assert.equal((await getPolicy(REGIONS[0])).bindings, undefined, 'nothing written');
  });

  it('accepts the current etag in URL-safe base64, as gcloud sends it back; each region keeps its own binding', async () => {
    const a = await getPolicy(REGIONS[0]);
    assert.match(a.etag, /[+/]/, 'this seed gives us-central1 an etag with a character the two alphabets spell apart');
    const set = await setPolicy(REGIONS[0], { bindings: PUBLIC, etag: urlSafe(a.etag) });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal((await getPolicy(REGIONS[1])).bindings, undefined, 'the other region is untouched');
    const b = await getPolicy(REGIONS[1]);
    assert.equal((await setPolicy(REGIONS[1], { bindings: PUBLIC, etag: urlSafe(b.etag) })).status, 200);
    for (const region of REGIONS) assert.deepEqual((await getPolicy(region)).bindings, PUBLIC, region);
  });

  it('still refuses a stale etag with 409 ABORTED, in either alphabet, and an etag that is not base64', async () => {
    const stale = (await getPolicy(REGIONS[0])).etag;
    assert.equal((await setPolicy(REGIONS[0], { bindings: PUBLIC, etag: stale })).status, 200);
    for (const etag of [stale, urlSafe(stale), 'not an etag!']) {
      const r = await setPolicy(REGIONS[0], { bindings: [], etag });
      assert.equal(r.status, 409, etag);
      assert.equal(r.body.error.status, 'ABORTED');
    }
    assert.deepEqual((await getPolicy(REGIONS[0])).bindings, PUBLIC, 'the refused writes changed nothing');
  });
});
