// Invoker access against the emulator: the model reads the policies of the services behind load
// balancers, the 403 finding comes and goes with them, the binding is added as gcloud adds it (read,
// add, write back with the etag), a plan that deploys a region makes it as public as its source, and
// an organisation that refuses allUsers gets a message that names IAP.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { createDnsResolver } from '../../src/core/dns/resolver';
import { diagnoseService } from '../../src/core/findings/service';
import { CloudError } from '../../src/core/gcp/errors';
import { allowPublicAccessFlow } from '../../src/core/flows/allowPublicAccess';
import { loadInventory } from '../support/inventory';
import { INVENTORY_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import { buildAddRegionPlan } from '../../src/core/plan/build';
import { ScriptedPerson } from '../support/fakes';
import { Harness, PROJECT, startHarness } from './setup';

const MANIFEST = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'storefront', namespace: 'default' },
  spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] } } },
};
const API = `projects/${PROJECT}/locations/us-central1/services/api`;

describe('invoker access (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 'demo', dns: false });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('demo');
    await h.emulator.control.setDomainRestrictedSharing(PROJECT, false);
  });

  const run = () => h.connection.run(PROJECT);
  const model = () =>
    new ProjectModel({
      connect: () => ({ project: PROJECT, compute: h.connection.compute(PROJECT), run: run() }),
      resolver: () => createDnsResolver({ servers: ['127.0.0.1:9'], timeoutMs: 200, tries: 1 }),
    });
  const invokerFindingsOf = (m: ProjectModel, name: string) =>
    diagnoseService({ service: { name }, topology: m.topology!, dns: new Map(), invokers: m.invokers, now: Date.now() }).filter(
      (f) => f.code === 'run-invoker-not-public',
    );

  it('the private demo api behind its load balancer is a 403 finding; adding the binding clears it', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    await m.ensure(['iam']);
    const findings = invokerFindingsOf(m, 'api');
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].regions, ['us-central1']);
    assert.match(findings[0].message, /403/);
    assert.deepEqual(invokerFindingsOf(m, 'storefront'), [], 'storefront is public');

    const before = await run().getIamPolicy('us-central1', 'api');
    const { changed, policy } = await run().addInvoker('us-central1', 'api');
    assert.ok(changed);
    assert.notEqual(policy.etag, before.etag);
    assert.deepEqual(policy.bindings, [{ role: 'roles/run.invoker', members: ['allUsers'] }]);
    assert.equal((await run().addInvoker('us-central1', 'api')).changed, false, 'a second grant changes nothing');
    await m.afterWrite(['iam']);
    assert.equal(m.invokers.get(API)?.public, true);
    assert.deepEqual(invokerFindingsOf(m, 'api'), []);
  });

  it("a write that meets a concurrent change (409 ABORTED) reads again and keeps the other writer's member", async () => {
    await h.emulator.control.addFault({
      method: 'POST',
      path: '/services/api:setIamPolicy$',
      status: 409,
      reason: 'aborted',
      message: 'There were concurrent policy changes.',
      count: 1,
    });
    const { changed, policy } = await run().addInvoker('us-central1', 'api');
    assert.ok(changed);
    assert.deepEqual(policy.bindings, [{ role: 'roles/run.invoker', members: ['allUsers'] }]);
  });

  it('an organisation that refuses allUsers: a clear message that names IAP, and the policy stays as it was', async () => {
    await h.emulator.control.setDomainRestrictedSharing(PROJECT, true);
    const err = await run()
      .addInvoker('us-central1', 'api')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof CloudError, String(err));
    assert.equal(err.reason, 'orgPolicyRefusesAllUsers');
    assert.match(err.message, /refuses allUsers/);
    assert.match(err.message, /Identity-Aware Proxy \(IAP\)/);
    assert.deepEqual((await run().getIamPolicy('us-central1', 'api')).bindings, []);
  });

  it('Add region with a deploy: the new region is as public as the source, in a step of its own; refused by the organisation, only that step fails', async () => {
    const inventory = await loadInventory(h.connection, PROJECT, undefined, { invokers: true });
    const plan = buildAddRegionPlan(
      {
        project: PROJECT,
        service: 'storefront',
        backendService: 'storefront-backend',
        region: 'asia-northeast1',
        deploy: { manifest: MANIFEST },
      },
      inventory,
    );
    assert.deepEqual(
      plan.steps.map((s) => `${s.id}:${s.action}`),
      [
        'deploy:asia-northeast1:create',
        'neg:asia-northeast1:create',
        'add-backend:asia-northeast1:update',
        'invoker:asia-northeast1:create',
      ],
    );
    const clients = { compute: h.connection.compute(PROJECT), run: run() };

    await h.emulator.control.setDomainRestrictedSharing(PROJECT, true);
    const refused = await applyPlan(plan, clients);
    assert.equal(refused.ok, false);
    const failed = refused.steps.filter((s) => s.outcome === 'failed');
    assert.deepEqual(
      failed.map((s) => s.stepId),
      ['invoker:asia-northeast1'],
    );
    assert.match(failed[0].message, /IAP/);
    assert.deepEqual(refused.uncertain, [], 'a refused binding leaves nothing to undo');

    await h.emulator.control.setDomainRestrictedSharing(PROJECT, false);
    const again = await applyPlan(plan, clients);
    assert.ok(again.ok, JSON.stringify(again.steps.map((s) => [s.stepId, s.outcome])));
    assert.equal(again.steps.find((s) => s.stepId === 'invoker:asia-northeast1')?.outcome, 'updated');
    assert.equal(again.steps.find((s) => s.stepId === 'deploy:asia-northeast1')?.outcome, 'adopted');
    const after = await loadInventory(h.connection, PROJECT, undefined, { invokers: true });
    assert.equal(after.invokers?.get(`projects/${PROJECT}/locations/asia-northeast1/services/storefront`)?.public, true);
  });

  it('a deploy that meets a service already running there (it appeared after the look-up) keeps it: adopted, not replaced', async () => {
    const inventory = await loadInventory(h.connection, PROJECT);
    const plan = buildAddRegionPlan(
      {
        project: PROJECT,
        service: 'storefront',
        backendService: 'storefront-backend',
        region: 'asia-northeast1',
        deploy: { manifest: MANIFEST },
      },
      inventory,
    );
    const other = { ...MANIFEST, spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/other' }] } } } };
    // Someone deploys it between the step's look-up (GET) and its create: the look-up answers 404 once.
    await run().deployKnative('asia-northeast1', other);
    await h.emulator.control.addFault({
      method: 'GET',
      path: '/locations/asia-northeast1/services/storefront$',
      status: 404,
      reason: 'notFound',
      message: 'Injected: not found.',
      count: 1,
    });
    await h.emulator.control.resetRequests();
    const result = await applyPlan(plan, { compute: h.connection.compute(PROJECT), run: run() });
    assert.ok(result.ok, JSON.stringify(result.steps.map((s) => [s.stepId, s.outcome, s.message])));
    assert.equal(result.steps.find((s) => s.stepId === 'deploy:asia-northeast1')?.outcome, 'adopted');
    const routes = Object.keys((await h.emulator.control.requests()).byRoute);
    assert.ok(!routes.some((r) => r.startsWith('PUT /v1/') || r.startsWith('PUT /apis/')), `nothing was replaced: ${routes.join(', ')}`);
  });

  describe('Allow Public Access as a flow', () => {
    it('asks first, naming IAP: declined, the policy stays; confirmed, the binding is added and the model shows it', async () => {
      const m = model();
      await m.ensure(INVENTORY_PARTS);
      await m.ensure(['iam']);
      const person = new ScriptedPerson([false, true]);
      const target = { service: 'api', regions: ['us-central1'] };
      assert.equal(await allowPublicAccessFlow(target, { run: run(), model: m, ui: person }), undefined, 'declined: nothing happens');
      assert.deepEqual((await run().getIamPolicy('us-central1', 'api')).bindings, []);
      assert.equal(person.asked[0].message, 'Allow public access to Cloud Run service api?');
      assert.match(person.asked[0].detail, /roles\/run\.invoker to allUsers on api in us-central1/);
      assert.match(person.asked[0].detail, /Identity-Aware Proxy \(IAP\)/);

      assert.deepEqual(await allowPublicAccessFlow(target, { run: run(), model: m, ui: person }), [
        { region: 'us-central1', changed: true },
      ]);
      assert.deepEqual((await run().getIamPolicy('us-central1', 'api')).bindings, [{ role: 'roles/run.invoker', members: ['allUsers'] }]);
      assert.equal(m.invokers.get(API)?.public, true, 'the model re-read the policies');
      assert.deepEqual(invokerFindingsOf(m, 'api'), []);
      assert.deepEqual(person.said, ['info: Cloud Run service api is now public in us-central1 (roles/run.invoker for allUsers).']);
    });

    it('confirmed by the caller, it does not ask; a service public already is said to be', async () => {
      const person = new ScriptedPerson();
      const deps = { run: run(), model: model(), ui: person };
      assert.deepEqual(await allowPublicAccessFlow({ service: 'storefront', regions: ['us-central1'] }, deps, { confirmed: true }), [
        { region: 'us-central1', changed: false },
      ]);
      assert.deepEqual(person.asked, []);
      assert.deepEqual(person.said, ['info: Cloud Run service storefront was already public in us-central1.']);
    });

    it('refused by the organisation: the error says so, and the model re-reads the policies all the same', async () => {
      await h.emulator.control.setDomainRestrictedSharing(PROJECT, true);
      const reread: unknown[] = [];
      const deps = {
        run: run(),
        model: { afterWrite: async (parts?: readonly unknown[]) => void reread.push(parts) },
        ui: new ScriptedPerson(),
      };
      const err = await allowPublicAccessFlow({ service: 'api', regions: ['us-central1'] }, deps, { confirmed: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof CloudError, String(err));
      assert.equal(err.reason, 'orgPolicyRefusesAllUsers');
      assert.deepEqual(reread, [['iam']]);
      assert.deepEqual(deps.ui.said, [], 'no success message');
    });
  });
});
