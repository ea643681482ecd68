import assert from 'node:assert/strict';
import { CloudError } from '../../src/core/gcp/errors';
import { Harness, PROJECT, startHarness } from './setup';

describe('Cloud Run access layer against the emulator', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 'demo' });
  });
  after(async () => {
    await h.emulator.close();
  });

  it('lists the services of every region in one request', async () => {
    await h.emulator.control.resetRequests();
    const services = await h.connection.run(PROJECT).listServices();
    assert.equal((await h.emulator.control.requests()).total, 1);
    const regions = new Set(services.map((s) => s.region));
    assert.ok(regions.has('us-central1') && regions.has('europe-west1') && regions.has('asia-northeast1'), [...regions].join());
    const app = services.find((s) => s.name === 'my-global-app');
    assert.ok(app, 'the demo has my-global-app');
    assert.equal(app.region, 'us-central1');
    assert.equal(app.resourceName, `projects/${PROJECT}/locations/us-central1/services/my-global-app`);
    assert.match(app.url ?? '', /^https:\/\/my-global-app-.*\.run\.app$/);
    assert.equal(app.ready, 'true');
  });

  it('reads one service with v2 and changes its ingress', async () => {
    const run = h.connection.run(PROJECT);
    const before = await run.getService('us-central1', 'my-global-app');
    assert.equal(before.name, 'my-global-app');
    const after = await run.setIngress('us-central1', 'my-global-app', 'internal-and-cloud-load-balancing');
    assert.equal(after.ingress, 'internal-and-cloud-load-balancing');
    const listed = (await run.listServices()).find((s) => s.name === 'my-global-app' && s.region === 'us-central1');
    assert.equal(listed?.ingress, 'internal-and-cloud-load-balancing', 'v1 sees the change made through v2');
  });

  it('deploys Knative YAML as it is to another region, and again as a replace', async () => {
    const run = h.connection.run(PROJECT);
    const manifest = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'my-global-app', namespace: 'default' },
      spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] } } },
    };
    assert.equal(await run.findService('australia-southeast1', 'my-global-app'), undefined);
    const deployed = await run.deployKnative('australia-southeast1', manifest);
    assert.equal(deployed.region, 'australia-southeast1');
    assert.equal(deployed.ready, 'true');
    const again = await run.deployKnative('australia-southeast1', manifest);
    assert.equal(again.name, 'my-global-app');
    assert.equal((await run.listServices()).filter((s) => s.name === 'my-global-app' && s.region === 'australia-southeast1').length, 1);
    // A replace after a list: the next list shows the new state, not the one rendered for the last list.
    await run.deployKnative('australia-southeast1', {
      ...manifest,
      metadata: { ...manifest.metadata, annotations: { 'run.googleapis.com/ingress': 'internal' } },
    });
    const listed = (await run.listServices()).find((s) => s.name === 'my-global-app' && s.region === 'australia-southeast1');
    assert.equal(listed?.ingress, 'internal');
  });

  it('lists Cloud Run regions', async () => {
    const regions = await h.connection.run(PROJECT).listRegions();
    assert.ok(regions.includes('us-central1') && regions.length >= 3);
  });

  it('says not found for a service that does not exist', async () => {
    await assert.rejects(h.connection.run(PROJECT).getService('us-central1', 'nope'), (err: CloudError) => err.kind === 'notFound');
  });

  it('names a disabled Cloud Run API', async () => {
    await h.emulator.control.addProject({ id: 'norun-project', number: '444', disabledApis: ['run.googleapis.com'] });
    await assert.rejects(h.connection.run('norun-project').listServices(), (err: CloudError) => {
      assert.equal(err.kind, 'apiDisabled', err.message);
      assert.equal(err.api, 'run.googleapis.com');
      assert.match(err.message, /gcloud services enable run\.googleapis\.com/);
      return true;
    });
  });
});
