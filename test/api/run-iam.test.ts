// Cloud Run IAM on the emulator through Google's own client (googleapis run_v1), as the product and gcloud call it.
import assert from 'node:assert/strict';
import { OAuth2Client } from 'google-auth-library';
import { run_v1 } from 'googleapis/build/src/apis/run/v1';
import { startEmulator, type Emulator } from '../emulator';
import { DOMAIN_RESTRICTED_SHARING_TEXT } from '../emulator/errors';

const PROJECT = 'demo-project';
const resource = (region: string, name: string) => `projects/${PROJECT}/locations/${region}/services/${name}`;
const INVOKER = 'roles/run.invoker';

interface GaxiosLike {
  status?: number;
  response?: {
    status: number;
    data: { error: { code: number; status: string; message: string; details?: { metadata?: Record<string, string> }[] } };
  };
}

async function failure(p: Promise<unknown>): Promise<GaxiosLike['response'] & object> {
  try {
    await p;
  } catch (err) {
    const r = (err as GaxiosLike).response;
    assert.ok(r, `an HTTP error, got ${String(err)}`);
    return r;
  }
  assert.fail('the call succeeded');
}

describe('Cloud Run IAM on the emulator (run_v1 getIamPolicy / setIamPolicy)', () => {
  let emulator: Emulator;
  let run: run_v1.Run;

  before(async () => {
    emulator = await startEmulator({ seed: 'demo', dns: false });
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3600_000 });
    run = new run_v1.Run({ rootUrl: emulator.url, auth });
  });
  after(async () => {
    await emulator?.close();
  });
  beforeEach(async () => {
    await emulator.control.reset();
  });

  const getPolicy = async (region: string, name: string) =>
    (await run.projects.locations.services.getIamPolicy({ resource: resource(region, name), 'options.requestedPolicyVersion': 3 })).data;
  const setPolicy = async (region: string, name: string, policy: run_v1.Schema$Policy) =>
    (await run.projects.locations.services.setIamPolicy({ resource: resource(region, name), requestBody: { policy } })).data;

  it('seeded services are public, the demo api is private, and the control state shows both', async () => {
    assert.deepEqual((await getPolicy('us-central1', 'storefront')).bindings, [{ role: INVOKER, members: ['allUsers'] }]);
    const api = await getPolicy('us-central1', 'api');
    assert.equal(api.bindings, undefined);
    assert.equal(typeof api.etag, 'string');
    const state = await emulator.control.state();
    const byName = new Map(state.runServices.map((s: { name: string; iamPolicy: unknown }) => [s.name, s.iamPolicy]));
    assert.deepEqual((byName.get(resource('us-central1', 'api')) as { bindings?: unknown }).bindings, undefined);
    assert.deepEqual((byName.get(resource('europe-west1', 'storefront')) as { bindings: unknown }).bindings, [
      { role: INVOKER, members: ['allUsers'] },
    ]);
  });

  it('a service deployed through the Admin API starts with an empty policy (etag ACAB), public once allUsers is bound', async () => {
    const created = await run.namespaces.services.create({
      parent: `namespaces/${PROJECT}`,
      requestBody: {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: 'fresh', labels: { 'cloud.googleapis.com/location': 'europe-west4' } },
        spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] } } },
      },
    });
    assert.equal(created.status, 200);
    const empty = await getPolicy('europe-west4', 'fresh');
    assert.deepEqual(empty, { etag: 'ACAB' });
    const set = await setPolicy('europe-west4', 'fresh', { bindings: [{ role: INVOKER, members: ['allUsers'] }], etag: empty.etag });
    assert.deepEqual(set.bindings, [{ role: INVOKER, members: ['allUsers'] }]);
    assert.equal(set.version, 1);
    assert.notEqual(set.etag, empty.etag);
    assert.deepEqual(await getPolicy('europe-west4', 'fresh'), set);
  });

  it('refuses a write with a stale etag: 409 ABORTED, and the policy stays as the other writer left it', async () => {
    const read = await getPolicy('us-central1', 'storefront');
    const other = await setPolicy('us-central1', 'storefront', {
      bindings: [{ role: INVOKER, members: ['allUsers', 'user:ops@example.com'] }],
      etag: read.etag,
    });
    const r = await failure(setPolicy('us-central1', 'storefront', { bindings: [], etag: read.etag }));
    assert.equal(r.status, 409);
    assert.equal(r.data.error.status, 'ABORTED');
    assert.match(r.data.error.message, /concurrent policy changes/);
    assert.deepEqual(await getPolicy('us-central1', 'storefront'), other);
  });

  it('writes unconditionally without an etag', async () => {
    await setPolicy('us-central1', 'storefront', { bindings: [{ role: INVOKER, members: ['user:a@example.com'] }] });
    const r = await setPolicy('us-central1', 'storefront', { bindings: [] });
    assert.equal(r.bindings, undefined);
    assert.equal((await getPolicy('us-central1', 'storefront')).bindings, undefined);
  });

  it('answers a denied run.services.getIamPolicy / setIamPolicy with 403 PERMISSION_DENIED naming the permission', async () => {
    await emulator.control.addProject({ id: PROJECT, deniedPermissions: ['run.services.getIamPolicy', 'run.services.setIamPolicy'] });
    const get = await failure(getPolicy('us-central1', 'storefront'));
    assert.equal(get.status, 403);
    assert.equal(get.data.error.status, 'PERMISSION_DENIED');
    assert.equal(
      get.data.error.message,
      `Permission 'run.services.getIamPolicy' denied on resource '${resource('us-central1', 'storefront')}' (or it may not exist).`,
    );
    const set = await failure(setPolicy('us-central1', 'storefront', { bindings: [] }));
    assert.equal(set.status, 403);
    assert.equal(set.data.error.details?.[0].metadata?.permission, 'run.services.setIamPolicy');
    await emulator.control.addProject({ id: PROJECT, deniedPermissions: ['run.services.setIamPolicy'] });
    assert.ok((await getPolicy('us-central1', 'storefront')).etag, 'reading is allowed again');
    const tested = await run.projects.locations.services.testIamPermissions({
      resource: resource('us-central1', 'storefront'),
      requestBody: { permissions: ['run.services.getIamPolicy', 'run.services.setIamPolicy'] },
    });
    assert.deepEqual(tested.data.permissions, ['run.services.getIamPolicy']);
  });

  it('refuses allUsers and allAuthenticatedUsers under domain-restricted sharing (400 FAILED_PRECONDITION); other members pass', async () => {
    await emulator.control.setDomainRestrictedSharing(PROJECT, true);
    for (const member of ['allUsers', 'allAuthenticatedUsers']) {
      const r = await failure(setPolicy('us-central1', 'api', { bindings: [{ role: INVOKER, members: [member] }] }));
      assert.equal(r.status, 400);
      assert.equal(r.data.error.status, 'FAILED_PRECONDITION');
      assert.equal(r.data.error.message, DOMAIN_RESTRICTED_SHARING_TEXT);
    }
    const ok = await setPolicy('us-central1', 'api', {
      bindings: [{ role: INVOKER, members: ['serviceAccount:lb@demo-project.iam.gserviceaccount.com'] }],
    });
    assert.equal(ok.bindings?.[0].members?.[0], 'serviceAccount:lb@demo-project.iam.gserviceaccount.com');
    // A member granted before the policy existed stays (Google does not take grants back).
    const kept = await setPolicy('us-central1', 'storefront', {
      bindings: [{ role: INVOKER, members: ['allUsers', 'user:b@example.com'] }],
    });
    assert.deepEqual(kept.bindings?.[0].members, ['allUsers', 'user:b@example.com']);
    await emulator.control.setDomainRestrictedSharing(PROJECT, false);
    assert.ok(await setPolicy('us-central1', 'api', { bindings: [{ role: INVOKER, members: ['allUsers'] }] }));
  });

  it('seed field: a project may start under domain-restricted sharing; the control API can set a policy directly', async () => {
    await emulator.control.reset({
      projects: [{ id: 'locked', domainRestrictedSharing: true }],
      runServices: [{ project: 'locked', name: 'svc', region: 'us-east1', iamPolicy: { bindings: [] } }],
    });
    const r = await failure(
      run.projects.locations.services.setIamPolicy({
        resource: 'projects/locked/locations/us-east1/services/svc',
        requestBody: { policy: { bindings: [{ role: INVOKER, members: ['allUsers'] }] } },
      }),
    );
    assert.equal(r.data.error.status, 'FAILED_PRECONDITION');
    const set = await emulator.control.setRunIamPolicy({
      project: 'locked',
      region: 'us-east1',
      service: 'svc',
      bindings: [{ role: INVOKER, members: ['group:web@example.com'] }],
    });
    assert.deepEqual(set.bindings, [{ role: INVOKER, members: ['group:web@example.com'] }]);
  });

  it('answers 404 for a service that does not exist, and refuses malformed members', async () => {
    const missing = await failure(getPolicy('us-central1', 'ghost'));
    assert.equal(missing.status, 404);
    assert.equal(missing.data.error.status, 'NOT_FOUND');
    const bad = await failure(setPolicy('us-central1', 'storefront', { bindings: [{ role: INVOKER, members: ['someone@example.com'] }] }));
    assert.equal(bad.status, 400);
    assert.equal(bad.data.error.status, 'INVALID_ARGUMENT');
  });
});
