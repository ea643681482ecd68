// The real gcloud makes one service name public in each of its regions (add-iam-policy-binding --region), through the
// emulator as its HTTP proxy: each region's service has its own policy and etag, as on Google.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import { apiClient, findOnPath, gcloudSession, skipWithoutGcloud, type GcloudSession } from './helpers';

const PROJECT = 'demo-project';
const REGIONS = ['us-central1', 'europe-west1'];

describe('gcloud run services add-iam-policy-binding: one service name in two regions', function () {
  const gcloudPath = findOnPath('gcloud');
  let emulator: Emulator;
  let gcloud: GcloudSession;

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    emulator = await startEmulator({
      seed: { runServices: REGIONS.map((region) => ({ name: 'twin', region, iamPolicy: { bindings: [] } })) },
      dns: false,
    });
    gcloud = gcloudSession(gcloudPath!, PROJECT, {
      proxy: { type: 'http', address: '127.0.0.1', port: String(emulator.port) },
      api_endpoint_overrides: { run: 'http://run.emulator.test/', cloudresourcemanager: 'http://crm.emulator.test/' },
    });
  });
  after(async () => {
    await emulator?.close();
    gcloud?.close();
  });

  it('binds allUsers as run.invoker in each region; the emulator holds both policies', async () => {
    for (const region of REGIONS) {
      await gcloud.ok(
        'run',
        'services',
        'add-iam-policy-binding',
        'twin',
        `--region=${region}`,
        '--member=allUsers',
        '--role=roles/run.invoker',
      );
    }
    const api = apiClient(emulator.url);
    const etags = new Set<string>();
    for (const region of REGIONS) {
      const r = await api('GET', `v1/projects/${PROJECT}/locations/${region}/services/twin:getIamPolicy`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.bindings, [{ role: 'roles/run.invoker', members: ['allUsers'] }], region);
      etags.add(r.body.etag);
    }
    assert.equal(etags.size, 2, 'each region has its own etag');
  });
});
