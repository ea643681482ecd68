// The live model against the emulator: one request per list however many readers, rounds that read
// only what moves, writes that re-read only what they touched, and change events that say what changed.
import assert from 'node:assert/strict';
import { createDnsResolver } from '../../src/core/dns/resolver';
import { CloudError } from '../../src/core/gcp/errors';
import { ALL_PARTS, INVENTORY_PARTS, ModelChange, ProjectModel, ROUND_PARTS } from '../../src/core/model/projectModel';
import { RefreshScheduler } from '../../src/core/model/refreshScheduler';
import { frontingLoadBalancers } from '../../src/core/topology/queries';
import { Harness, PROJECT, startHarness } from './setup';

describe('live project model (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ seed: 'demo', certificates: { activationDelayMs: 0 } });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('demo');
    await h.emulator.control.resetRequests();
  });

  function model(project = PROJECT): ProjectModel {
    const resolver = createDnsResolver({ servers: [`127.0.0.1:${h.emulator.dnsPort}`], timeoutMs: 1000, tries: 1, negativeTtlMs: 0 });
    return new ProjectModel({
      connect: () => ({ project, compute: h.connection.compute(project), run: h.connection.run(project) }),
      resolver: () => resolver,
    });
  }

  const requests = async () => (await h.emulator.control.requests()).total;

  it('reads the inventory with one request per list and builds the topology from it', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    assert.equal(await requests(), 10, 'nine Compute lists and one Cloud Run list');
    assert.deepEqual(m.topology?.loadBalancers.map((lb) => lb.name).sort(), ['api-url-map', 'storefront-url-map']);
    assert.ok(m.observedAt('services'));
    await m.ensure(INVENTORY_PARTS);
    assert.equal(await requests(), 10, 'what is there is not read again');
  });

  it('shares a read under way among every reader', async () => {
    const m = model();
    await Promise.all(Array.from({ length: 20 }, () => m.ensure(INVENTORY_PARTS)));
    assert.equal(await requests(), 10);
  });

  it('reads each watched domain once per round, however many readers show it', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    for (let i = 0; i < 20; i++)
      m.watch({ visible: () => true, pending: () => true, domains: () => ['api.example.com', 'shop.example.com'] });
    await h.emulator.control.resetRequests();
    await m.read(ROUND_PARTS, 'round');
    assert.equal(await requests(), 3, 'certificates, forwarding rules and operations');
    assert.deepEqual([...m.dns.keys()].sort(), ['api.example.com', 'shop.example.com']);
    const shop = m.dns.get('shop.example.com')!.a;
    assert.deepEqual(shop.kind === 'records' ? shop.values : shop, ['34.120.10.20']);
  });

  it('tells which parts changed, and nothing when a re-read found the same', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    const changes: ModelChange[] = [];
    m.onDidChange((c) => changes.push(c));
    await m.read(ROUND_PARTS, 'round');
    assert.deepEqual(
      changes.map((c) => [...c.parts]),
      [['operations', 'dns']],
      'operations and DNS were never read before; the rest is the same',
    );
    changes.length = 0;
    await m.read(['sslCertificates', 'forwardingRules'], 'round');
    assert.equal(changes.length, 0);

    // The certificate becomes ACTIVE once its A record points at the load balancer.
    await h.emulator.control.setDnsRecord({ name: 'api.example.com', type: 'A', values: ['34.120.10.30'] });
    await m.read(['sslCertificates'], 'round');
    assert.deepEqual(
      changes.map((c) => [...c.parts]),
      [['sslCertificates']],
    );
    const api = m.topology!.loadBalancers.find((lb) => lb.name === 'api-url-map')!;
    assert.equal(api.certificates[0].kind === 'sslCertificate' && api.certificates[0].status, 'ACTIVE');
    assert.equal(m.certificatesPending, false);
  });

  it('re-reads only what a write touched, even while an older read is under way', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    const older = m.read(['forwardingRules'], 'round');
    await h.connection.compute(PROJECT).delete('forwardingRules', 'api-https-rule');
    await h.emulator.control.resetRequests();
    await m.afterWrite(['forwardingRules']);
    await older;
    assert.ok(
      !m.topology!.loadBalancers.some((lb) => lb.rules.some((r) => r.name === 'api-https-rule')),
      'the deleted rule is gone from the model',
    );
    assert.ok((await requests()) <= 2, 'the forwarding rules, read after the write (and the older read, if it had not gone out)');
  });

  it('keeps the last value beside a failed read, and says why', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    await h.emulator.control.addFault({
      method: 'GET',
      path: '/global/sslCertificates$',
      count: 10,
      status: 403,
      reason: 'forbidden',
      message: "Required 'compute.sslCertificates.list' permission for 'projects/demo-project'",
    });
    await m.read(['sslCertificates'], 'round');
    assert.ok(m.error('sslCertificates') instanceof CloudError);
    assert.equal(m.error('sslCertificates')!.kind, 'permission');
    assert.ok(m.topology, 'the topology is still there, from the last good read');
    await h.emulator.control.clearFaults();
    await m.read(['sslCertificates'], 'round');
    assert.equal(m.error('sslCertificates'), undefined);
  });

  it('starts afresh when the project changes, and reports a missing connection as its problem', async () => {
    let project = PROJECT;
    let broken = false;
    const m = new ProjectModel({
      connect: () => {
        if (broken) throw new CloudError('No Google Cloud project is selected.', { kind: 'invalid' });
        return { project, compute: h.connection.compute(project), run: h.connection.run(project) };
      },
      resolver: () => createDnsResolver({}),
    });
    await m.ensure(INVENTORY_PARTS);
    assert.equal(m.project, PROJECT);
    const reasons: string[] = [];
    m.onDidChange((c) => reasons.push(c.reason));
    broken = true;
    await m.ensure(INVENTORY_PARTS);
    assert.ok(m.problem, 'ensure notices the connection is gone');
    assert.equal(m.problem?.message, 'No Google Cloud project is selected.');
    assert.equal(m.topology === undefined, true, 'nothing is shown without a connection');
    broken = false;
    project = 'other-project';
    await h.emulator.control.addProject({ id: 'other-project' });
    await m.ensure(INVENTORY_PARTS);
    assert.equal(m.project, 'other-project');
    assert.equal(m.problem, undefined);
    assert.equal(m.topology?.loadBalancers.length, 0);
    assert.ok(reasons.includes('project'));
  });

  it('serves the explorer, the lens and the diagnostics the same load balancers for a service', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    const fronting = frontingLoadBalancers(m.topology!, { name: 'storefront', region: 'europe-west1' });
    assert.deepEqual(
      fronting.map((f) => f.loadBalancer.name),
      ['storefront-url-map'],
    );
    assert.deepEqual(
      fronting[0].regions.map((r) => r.region),
      ['europe-west1', 'us-central1'],
    );
  });

  it('"Re-check now" reads every list once, operations and DNS included, then one IAM policy per service behind a load balancer', async () => {
    const m = model();
    for (let i = 0; i < 20; i++) m.watch({ visible: () => true, domains: () => ['api.example.com'] });
    await m.read(ALL_PARTS, 'refresh');
    const byRoute = (await h.emulator.control.requests()).byRoute as Record<string, number>;
    const iam = byRoute['GET /v1/projects/{project}/locations/{location}/services/{service}'];
    // storefront in us-central1 and europe-west1, api in us-central1.
    assert.deepEqual(
      [...m.invokers.keys()],
      [
        `projects/${PROJECT}/locations/europe-west1/services/storefront`,
        `projects/${PROJECT}/locations/us-central1/services/api`,
        `projects/${PROJECT}/locations/us-central1/services/storefront`,
      ],
    );
    assert.equal(iam, 3);
    assert.equal(await requests(), 11 + 3);
  });

  it('knows who may call each service behind a load balancer: the demo api is private, storefront public', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    await m.ensure(['iam']);
    assert.equal(m.invokers.get(`projects/${PROJECT}/locations/us-central1/services/api`)?.public, false);
    assert.equal(m.invokers.get(`projects/${PROJECT}/locations/us-central1/services/storefront`)?.public, true);
    assert.equal(m.inventory?.invokers?.size, 3, 'the plan reads them through the inventory');
    // Granted elsewhere (gcloud add-iam-policy-binding): Refresh brings it, and the round does not ask IAM.
    await h.connection.run(PROJECT).addInvoker('us-central1', 'api');
    await h.emulator.control.resetRequests();
    await m.read(ROUND_PARTS, 'round');
    assert.ok(
      !Object.keys((await h.emulator.control.requests()).byRoute).some((r) =>
        r.startsWith('GET /v1/projects/{project}/locations/{location}/services/'),
      ),
      'a round reads no IAM policy',
    );
    const changes: ModelChange[] = [];
    m.onDidChange((c) => changes.push(c));
    await m.refresh();
    assert.equal(m.invokers.get(`projects/${PROJECT}/locations/us-central1/services/api`)?.public, true);
    assert.ok(changes.some((c) => c.parts.has('iam')));
  });

  it('a scheduled round while a certificate provisions brings every reader the ACTIVE state', async () => {
    const m = model();
    await m.ensure(INVENTORY_PARTS);
    const scheduler = new RefreshScheduler(m, { visibleMs: 20, hiddenMs: 20, maxMs: 40, unfocusedPauseMs: 60_000 });
    try {
      m.watch({ visible: () => true, domains: () => ['api.example.com'] });
      assert.ok(m.pending, 'api.example.com provisions');
      scheduler.plan();
      assert.ok(scheduler.nextRoundAt, 'a round is planned');
      await h.emulator.control.setDnsRecord({ name: 'api.example.com', type: 'A', values: ['34.120.10.30'] });
      const active = await new Promise<boolean>((resolve) => {
        const timeout = setTimeout(() => resolve(false), 5000);
        m.onDidChange(() => {
          if (!m.certificatesPending) {
            clearTimeout(timeout);
            resolve(true);
          }
        });
      });
      assert.ok(active, 'the round observed the ACTIVE certificate');
      assert.equal(scheduler.nextRoundAt, undefined, 'nothing pending: no more rounds');
    } finally {
      scheduler.dispose();
    }
  });
});
