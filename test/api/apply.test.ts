import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import type { ApplyEvent, ApplyResult } from '../../src/core/apply/applyTypes';
import { undoApply } from '../../src/core/apply/applyUndo';
import { loadInventory } from '../support/inventory';
import { buildAddRegionPlan, buildPlan } from '../../src/core/plan/build';
import type { GlobalizeRequest, Plan } from '../../src/core/plan/types';
import { buildTopology } from '../../src/core/topology/build';
import { frontingOf } from '../../src/core/topology/queries';
import type { FaultSpec } from '../emulator/store';
import { Harness, PROJECT, startHarness } from './setup';

const MANIFEST = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'new-app', namespace: 'default' },
  spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] } } },
};

/** A service that runs nowhere yet: the plan deploys it, then builds all twelve steps. */
const NEW_APP: GlobalizeRequest = {
  project: PROJECT,
  service: 'new-app',
  regions: ['us-east1'],
  domains: ['new.example.com'],
  deploy: { regions: ['us-east1'], manifest: MANIFEST },
};

const operationFault = (method: string, path: string): Omit<FaultSpec, 'count'> => ({
  method,
  path,
  inOperation: true,
  status: 403,
  reason: 'quotaExceeded',
  message: "Quota 'INJECTED' exceeded.  Limit: 1.0 globally.",
});
/** The create of one named resource, where two steps write to the same collection. */
const namedFault = (path: string, name: string): Omit<FaultSpec, 'count'> => ({
  ...operationFault('POST', path),
  body: `"name":\\s*"${name}"`,
});

/** A fault that fails exactly that step: its write, inside the operation. */
const FAULTS: Record<string, Omit<FaultSpec, 'count'>> = {
  'deploy:us-east1': {
    method: 'POST',
    path: '/v1/projects/demo-project/locations/us-east1/services$',
    status: 400,
    reason: 'badRequest',
    message: 'Injected: bad request.',
  },
  'neg:us-east1': operationFault('POST', '/regions/us-east1/networkEndpointGroups$'),
  backend: operationFault('POST', '/global/backendServices$'),
  'add-backend:us-east1': operationFault('PUT', '/global/backendServices/new-app-backend$'),
  'url-map': namedFault('/global/urlMaps$', 'new-app-url-map'),
  cert: operationFault('POST', '/global/sslCertificates$'),
  'https-proxy': operationFault('POST', '/global/targetHttpsProxies$'),
  address: operationFault('POST', '/global/addresses$'),
  'https-rule': namedFault('/global/forwardingRules$', 'new-app-https-rule'),
  'redirect-url-map': namedFault('/global/urlMaps$', 'new-app-redirect'),
  'http-proxy': operationFault('POST', '/global/targetHttpProxies$'),
  'http-rule': namedFault('/global/forwardingRules$', 'new-app-http-rule'),
  'invoker:us-east1': {
    method: 'POST',
    path: '/v1/projects/demo-project/locations/us-east1/services/new-app:setIamPolicy$',
    status: 403,
    reason: 'forbidden',
    message: 'Injected: permission denied.',
  },
};

const WRITE = /^(POST|PUT|PATCH|DELETE) /;

// Against the full emulator, and against the sparse one (resources keep only what their creator sent, as Google often answers).
for (const sparse of [false, true])
  describe(`Apply against the emulator${sparse ? ' (sparse)' : ''}`, function () {
    this.timeout(30000);
    let h: Harness;
    before(async () => {
      h = await startHarness({ seed: 'demo', dns: false, sparse });
    });
    after(async () => {
      await h.emulator.close();
    });
    beforeEach(async () => {
      await h.emulator.control.reset();
      h.log.length = 0;
    });

    const clients = () => ({ compute: h.connection.compute(PROJECT), run: h.connection.run(PROJECT) });
    const inventory = () => loadInventory(h.connection, PROJECT, undefined, { invokers: true });
    const planFor = async (request: GlobalizeRequest) => buildPlan(request, await inventory());
    const writes = async () =>
      Object.entries((await h.emulator.control.requests()).byRoute).filter(([route]) => WRITE.test(route) && !route.endsWith('/wait'));
    const outcomes = (result: ApplyResult) => Object.fromEntries(result.steps.map((s) => [s.stepId, s.outcome]));

    /** The project now holds exactly one complete load balancer for new-app: nothing missing, nothing twice. */
    async function assertNewAppServed(regions = ['us-east1']) {
      const inv = await inventory();
      const topology = buildTopology(inv);
      const lbs = topology.loadBalancers.filter((lb) => lb.services.some((s) => s.name === 'new-app'));
      assert.equal(lbs.length, 1, 'one load balancer fronts new-app');
      const lb = lbs[0];
      assert.equal(lb.scheme, 'EXTERNAL_MANAGED');
      assert.deepEqual(lb.domains, ['new.example.com']);
      assert.equal(lb.httpsRedirect, true);
      assert.deepEqual(
        lb.rules.map((r) => `${r.name}:${r.ports}`),
        ['new-app-https-rule:443', 'new-app-http-rule:80'],
      );
      assert.deepEqual(
        lb.services.map((s) => [s.name, s.regions.map((r) => r.region).sort()]),
        [['new-app', [...regions].sort()]],
      );
      for (const region of regions) assert.equal(frontingOf(topology, region, 'new-app').length, 1, `fronted in ${region}`);
      const backend = inv.backendServices.find((b) => b.name === 'new-app-backend');
      assert.equal(backend?.backends?.length, regions.length, 'each NEG attached once');
      const ours = (list: { name?: string | null }[]) => list.filter((r) => r.name?.startsWith('new-app')).length;
      assert.deepEqual(
        [
          ours(inv.networkEndpointGroups),
          ours(inv.backendServices),
          ours(inv.urlMaps),
          ours(inv.sslCertificates),
          ours(inv.targetHttpsProxies),
          ours(inv.targetHttpProxies),
          ours(inv.addresses),
          ours(inv.forwardingRules),
        ],
        [regions.length, 1, 2, 1, 1, 1, 1, 2],
      );
      return { inv, lb };
    }

    it('makes a service global: every step, at most `concurrency` at once, one load balancer fronting it', async () => {
      const plan = await planFor(NEW_APP);
      assert.deepEqual(
        plan.steps.map((s) => s.id),
        Object.keys(FAULTS),
      );
      const events: ApplyEvent[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      const result = await applyPlan(plan, clients(), {
        concurrency: 2,
        onEvent: (e) => {
          events.push(e);
          inFlight += e.type === 'stepStarted' ? 1 : -1;
          maxInFlight = Math.max(maxInFlight, inFlight);
        },
      });
      assert.ok(result.ok, JSON.stringify(outcomes(result)));
      assert.equal(maxInFlight, 2);
      assert.deepEqual(
        Object.values(outcomes(result)),
        plan.steps.map((s) => (s.kind === 'addBackend' || s.kind === 'invokerBinding' ? 'updated' : 'created')),
      );
      assert.equal(result.created.length, plan.steps.length - 2, 'everything but the add-backend and the invoker binding is new');
      assert.deepEqual(result.attached, [], 'the NEG went to a backend service this run created');
      assert.match(result.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      for (const s of plan.steps) {
        assert.equal(events.filter((e) => e.type === 'stepStarted' && e.step.id === s.id).length, 1, `${s.id} started once`);
        const finished = events.find((e) => e.type === 'stepFinished' && e.step.id === s.id);
        assert.ok(finished && finished.type === 'stepFinished' && finished.result.durationMs! >= 0);
      }
      const { lb } = await assertNewAppServed();
      assert.equal(lb.ip, result.ip);
      assert.ok(!h.log.join('\n').includes('test-token'));

      // Running it again changes nothing: everything is adopted.
      await h.emulator.control.resetRequests();
      const again = await applyPlan(await planFor(NEW_APP), clients());
      assert.ok(again.ok);
      assert.ok(
        again.steps.every((s) => s.outcome === 'adopted'),
        JSON.stringify(outcomes(again)),
      );
      assert.deepEqual(again.created, []);
      assert.deepEqual(await writes(), []);
    });

    for (const [stepId, fault] of Object.entries(FAULTS)) {
      it(`fails at ${stepId}, skips what depends on it, and a second run finishes`, async () => {
        const plan = await planFor(NEW_APP);
        await h.emulator.control.addFault({ ...fault, count: 1 });
        const first = await applyPlan(plan, clients());
        assert.equal(first.ok, false);
        const failed = first.steps.filter((s) => s.outcome === 'failed');
        assert.deepEqual(
          failed.map((s) => s.stepId),
          [stepId],
          JSON.stringify(outcomes(first)),
        );
        assert.match(failed[0].message, /Injected|INJECTED|permission/);
        // Exactly the steps downstream of the failure are skipped.
        const downstream = new Set<string>([stepId]);
        for (const s of plan.steps) if (s.dependsOn.some((d) => downstream.has(d))) downstream.add(s.id);
        downstream.delete(stepId);
        assert.deepEqual(
          first.steps
            .filter((s) => s.outcome === 'skipped')
            .map((s) => s.stepId)
            .sort(),
          [...downstream].sort(),
        );

        const second = await applyPlan(await planFor(NEW_APP), clients());
        assert.ok(second.ok, JSON.stringify(outcomes(second)));
        const createdTwice = second.created.filter((c) => first.created.some((f) => f.stepId === c.stepId));
        assert.deepEqual(createdTwice, [], 'nothing was created twice');
        assert.equal(first.created.length + second.created.length, plan.steps.length - 2, 'between them, the runs created everything once');
        await assertNewAppServed();
      });
    }

    for (const stepId of Object.keys(FAULTS)) {
      it(`is cancelled when ${stepId} starts, and a second run finishes`, async () => {
        const plan = await planFor(NEW_APP);
        // Operations take a moment, so the cancel meets requests in flight (they may still finish on the server).
        await h.emulator.control.setLatency({ operationLatencyMs: 40 });
        const controller = new AbortController();
        const first = await applyPlan(plan, clients(), {
          signal: controller.signal,
          onEvent: (e) => {
            if (e.type === 'stepStarted' && e.step.id === stepId) controller.abort();
          },
        });
        assert.equal(first.cancelled, true);
        assert.equal(first.steps.find((s) => s.stepId === stepId)?.outcome, 'cancelled');
        assert.deepEqual(
          first.steps.filter((s) => s.outcome === 'failed'),
          [],
          'a cancel is not a failure',
        );
        await h.emulator.control.setLatency({ operationLatencyMs: 0 });
        const second = await applyPlan(await planFor(NEW_APP), clients());
        assert.ok(second.ok, JSON.stringify(outcomes(second)));
        assert.deepEqual(
          second.created.filter((c) => first.created.some((f) => f.stepId === c.stepId)),
          [],
        );
        await assertNewAppServed();
      });
    }

    it('undoes exactly what the run created, keeping what it adopted and the deployed service', async () => {
      const compute = clients().compute;
      const plan0 = await planFor(NEW_APP);
      const certificate = plan0.names.certificate;
      await compute.insert('addresses', { name: 'new-app-ip', ipVersion: 'IPV4' });
      await compute.insert('sslCertificates', { name: certificate, type: 'MANAGED', managed: { domains: ['new.example.com'] } });
      const plan = await planFor(NEW_APP);
      assert.equal(plan.steps.find((s) => s.id === 'address')?.action, 'exists');
      const result = await applyPlan(plan, clients());
      assert.ok(result.ok);
      assert.equal(outcomes(result).address, 'adopted');
      assert.equal(outcomes(result).cert, 'adopted');
      assert.ok(!result.created.some((c) => c.name === 'new-app-ip' || c.name === certificate));

      const report = await undoApply(result, compute);
      assert.deepEqual(report.failed, []);
      assert.deepEqual(
        report.deleted.map((d) => d.stepId).sort(),
        result.created
          .filter((c) => c.collection !== 'runServices')
          .map((c) => c.stepId)
          .sort(),
      );
      assert.deepEqual(
        report.kept.map((k) => k.resource.stepId),
        ['deploy:us-east1'],
      );
      const inv = await inventory();
      const left = [
        ...inv.networkEndpointGroups,
        ...inv.backendServices,
        ...inv.urlMaps,
        ...inv.sslCertificates,
        ...inv.targetHttpsProxies,
        ...inv.targetHttpProxies,
        ...inv.addresses,
        ...inv.forwardingRules,
      ]
        .map((r) => r.name)
        .filter((n) => n?.startsWith('new-app'))
        .sort();
      assert.deepEqual(left, [certificate, 'new-app-ip'].sort(), 'only the adopted resources remain');
      assert.ok(inv.services.some((s) => s.name === 'new-app' && s.region === 'us-east1'));
      assert.equal(inv.addresses.find((a) => a.name === 'new-app-ip')?.status, 'RESERVED');
    });

    it('stops before any change when the plan has a conflict', async () => {
      await clients().compute.insert('backendServices', { name: 'new-app-backend', loadBalancingScheme: 'EXTERNAL' });
      const plan = await planFor(NEW_APP);
      assert.equal(plan.applicable, false);
      await h.emulator.control.resetRequests();
      const result = await applyPlan(plan, clients());
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.steps.filter((s) => s.outcome === 'failed').map((s) => s.stepId),
        ['backend'],
      );
      assert.match(
        result.steps.find((s) => s.stepId === 'backend')!.message,
        /already exists with other settings \(loadBalancingScheme is "EXTERNAL", wanted "EXTERNAL_MANAGED"; enableCDN is false, wanted true\)/,
      );
      assert.ok(result.steps.filter((s) => s.stepId !== 'backend').every((s) => s.outcome === 'skipped'));
      assert.equal((await h.emulator.control.requests()).total, 0, 'not a single request');
    });

    it('stops before any change when a conflict appeared after the plan was made', async () => {
      const plan = await planFor(NEW_APP);
      assert.ok(plan.applicable);
      await clients().compute.insert('urlMaps', {
        name: 'new-app-url-map',
        defaultService: `projects/${PROJECT}/global/backendServices/storefront-backend`,
      });
      await h.emulator.control.resetRequests();
      const result = await applyPlan(plan, clients());
      assert.deepEqual(
        result.steps.filter((s) => s.outcome === 'failed').map((s) => s.stepId),
        ['url-map'],
      );
      assert.match(
        result.steps.find((s) => s.stepId === 'url-map')!.message,
        /defaultService is ".*storefront-backend", wanted ".*new-app-backend"/,
      );
      assert.deepEqual(await writes(), [], 'no write request');
    });

    it("adopts a load balancer made with the seed's gcloud requests, then adds a region to it", async () => {
      const compute = clients().compute;
      // What the seed's commands send (step 8 with the scheme flag it forgets).
      const neg = await compute.insert(
        'networkEndpointGroups',
        { name: 'cloudrun-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'my-global-app' } },
        { region: 'us-central1' },
      );
      await compute.insert('backendServices', {
        name: 'cloudrun-backend',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        enableCDN: true,
        protocol: 'HTTP',
      });
      await compute.addBackend('cloudrun-backend', neg.resource.selfLink!);
      await compute.insert('urlMaps', {
        name: 'cloudrun-url-map',
        defaultService: `projects/${PROJECT}/global/backendServices/cloudrun-backend`,
      });
      await compute.insert('sslCertificates', { name: 'my-ssl-cert', type: 'MANAGED', managed: { domains: ['your-domain.com'] } });
      await compute.insert('targetHttpsProxies', {
        name: 'https-proxy',
        urlMap: 'global/urlMaps/cloudrun-url-map',
        sslCertificates: ['global/sslCertificates/my-ssl-cert'],
      });
      const address = await compute.insert('addresses', { name: 'global-ip' });
      await compute.insert('forwardingRules', {
        name: 'https-forwarding-rule',
        IPAddress: address.resource.address!,
        target: 'global/targetHttpsProxies/https-proxy',
        portRange: '443',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
      });

      const seedRequest: GlobalizeRequest = {
        project: PROJECT,
        service: 'my-global-app',
        regions: ['us-central1'],
        domains: ['your-domain.com'],
        options: { cdn: true, httpsRedirect: false },
        names: {
          networkEndpointGroups: { 'us-central1': 'cloudrun-neg' },
          backendService: 'cloudrun-backend',
          urlMap: 'cloudrun-url-map',
          certificate: 'my-ssl-cert',
          httpsProxy: 'https-proxy',
          address: 'global-ip',
          httpsRule: 'https-forwarding-rule',
        },
      };
      const plan = await planFor(seedRequest);
      assert.ok(
        plan.steps.every((s) => s.action === 'exists'),
        JSON.stringify(plan.steps.map((s) => [s.id, s.action, s.differences])),
      );
      await h.emulator.control.resetRequests();
      const adopted = await applyPlan(plan, clients());
      assert.ok(adopted.ok);
      assert.ok(adopted.steps.every((s) => s.outcome === 'adopted'));
      assert.equal(adopted.ip, address.resource.address);
      assert.deepEqual(await writes(), []);

      // The seed's last paragraph: deploy to europe-west1, a NEG there, added to the same backend service.
      const manifest = { ...MANIFEST, metadata: { name: 'my-global-app', namespace: 'default' } };
      const addRegion: Plan = buildAddRegionPlan(
        { project: PROJECT, service: 'my-global-app', backendService: 'cloudrun-backend', region: 'europe-west1', deploy: { manifest } },
        await inventory(),
      );
      assert.deepEqual(
        addRegion.steps.map((s) => `${s.id}:${s.action}`),
        ['deploy:europe-west1:create', 'neg:europe-west1:create', 'add-backend:europe-west1:update', 'invoker:europe-west1:create'],
      );
      const added = await applyPlan(addRegion, clients());
      assert.ok(added.ok, JSON.stringify(outcomes(added)));
      assert.deepEqual(
        added.attached.map((a) => a.backendService),
        ['cloudrun-backend'],
      );
      const topology = buildTopology(await inventory());
      const lb = topology.loadBalancers.find((l) => l.ip === address.resource.address)!;
      assert.deepEqual(
        lb.services.map((s) => [s.name, s.regions.map((r) => r.region).sort()]),
        [['my-global-app', ['europe-west1', 'us-central1']]],
      );
      assert.equal(lb.backendServices[0].groups.length, 2);

      // Undo of the add-region run detaches and deletes the NEG, and leaves the seed's load balancer as it was.
      const report = await undoApply(added, compute);
      assert.deepEqual(report.failed, []);
      assert.deepEqual(
        report.detached.map((d) => d.stepId),
        ['add-backend:europe-west1'],
      );
      assert.deepEqual(
        report.deleted.map((d) => d.name),
        ['my-global-app-neg-europe-west1'],
      );
      const after = await inventory();
      assert.equal(after.backendServices.find((b) => b.name === 'cloudrun-backend')?.backends?.length, 1);
      assert.ok(!after.networkEndpointGroups.some((n) => n.name === 'my-global-app-neg-europe-west1'));
    });

    it('adds a region to a load balancer it made (second NEG on the same backend service)', async () => {
      const made = await applyPlan(await planFor(NEW_APP), clients());
      assert.ok(made.ok);
      const plan = buildAddRegionPlan(
        { project: PROJECT, service: 'new-app', backendService: 'new-app-backend', region: 'europe-west1', deploy: { manifest: MANIFEST } },
        await inventory(),
      );
      assert.ok(plan.applicable);
      const result = await applyPlan(plan, clients());
      assert.ok(result.ok, JSON.stringify(outcomes(result)));
      assert.deepEqual(outcomes(result), {
        'deploy:europe-west1': 'created',
        'neg:europe-west1': 'created',
        'add-backend:europe-west1': 'updated',
        'invoker:europe-west1': 'updated',
      });
      await assertNewAppServed(['us-east1', 'europe-west1']);
    });
  });
