import assert from 'node:assert/strict';
import { CloudError } from '../../src/core/gcp/errors';
import { loadInventory } from '../support/inventory';
import { Harness, PROJECT, startHarness } from './setup';

const kindOf = (kind: string) => (err: unknown) => {
  assert.ok(err instanceof CloudError, `expected a CloudError, got ${String(err)}`);
  assert.equal(err.kind, kind, err.message);
  return true;
};

describe('Compute access layer against the emulator', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.emulator.close();
  });
  beforeEach(async () => {
    await h.emulator.control.reset();
    await h.emulator.control.clearFaults();
    h.log.length = 0;
  });

  async function createSeedTopology() {
    const compute = h.connection.compute(PROJECT);
    const neg = await compute.insert(
      'networkEndpointGroups',
      { name: 'cloudrun-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'my-global-app' } },
      { region: 'us-central1' },
    );
    const backend = await compute.insert('backendServices', {
      name: 'cloudrun-backend',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      enableCDN: true,
      protocol: 'HTTPS',
    });
    await compute.addBackend('cloudrun-backend', neg.resource.selfLink!);
    const urlMap = await compute.insert('urlMaps', { name: 'cloudrun-url-map', defaultService: backend.resource.selfLink! });
    const cert = await compute.insert('sslCertificates', {
      name: 'my-ssl-cert',
      type: 'MANAGED',
      managed: { domains: ['your-domain.com'] },
    });
    const proxy = await compute.insert('targetHttpsProxies', {
      name: 'https-proxy',
      urlMap: urlMap.resource.selfLink!,
      sslCertificates: [cert.resource.selfLink!],
    });
    const address = await compute.insert('addresses', { name: 'global-ip' });
    const rule = await compute.insert('forwardingRules', {
      name: 'https-forwarding-rule',
      IPAddress: address.resource.address!,
      IPProtocol: 'TCP',
      portRange: '443',
      target: proxy.resource.selfLink!,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });
    return { neg, backend, urlMap, cert, proxy, address, rule };
  }

  it("creates the seed's eight steps and reads them back as one inventory", async () => {
    const created = await createSeedTopology();
    assert.ok(
      Object.values(created).every((r) => r.created),
      'every insert reports that it created its resource',
    );
    assert.match(created.address.resource.address ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    const inventory = await loadInventory(h.connection, PROJECT);
    assert.equal(inventory.forwardingRules.length, 1);
    assert.equal(inventory.forwardingRules[0].IPAddress, created.address.resource.address);
    assert.equal(inventory.backendServices[0].backends?.length, 1);
    assert.match(inventory.backendServices[0].backends?.[0].group ?? '', /regions\/us-central1\/networkEndpointGroups\/cloudrun-neg$/);
    assert.equal(inventory.networkEndpointGroups[0].cloudRun?.service, 'my-global-app');
    assert.match(inventory.networkEndpointGroups[0].region ?? '', /us-central1$/);
    assert.equal(inventory.sslCertificates[0].managed?.status, 'PROVISIONING');
    assert.ok(
      h.log.some((l) => /^create forwarding rule "https-forwarding-rule": ok in \d+ ms$/.test(l)),
      'each request is logged with its action and time',
    );
    assert.ok(!h.log.join('\n').includes('test-token'), 'the token never reaches the log');
  });

  it('adds a backend once: a second add-backend of the same NEG changes nothing', async () => {
    const { neg } = await createSeedTopology();
    const again = await h.connection.compute(PROJECT).addBackend('cloudrun-backend', neg.resource.selfLink!);
    assert.equal(again.changed, false);
    assert.equal(again.service.backends?.length, 1);
  });

  it('follows nextPageToken over several pages', async () => {
    const urlMaps = Array.from({ length: 1234 }, (_, i) => ({
      name: `map-${String(i).padStart(4, '0')}`,
      defaultService: 'global/backendServices/none',
    }));
    await h.emulator.control.loadSeed({ compute: [{ project: PROJECT, urlMaps }] });
    await h.emulator.control.resetRequests();
    const listed = await h.connection.compute(PROJECT).listAll('urlMaps');
    assert.equal(listed.length, 1234);
    assert.equal(new Set(listed.map((m) => m.name)).size, 1234);
    assert.deepEqual(
      h.log.filter((l) => l.startsWith('list URL maps')).map((l) => l.replace(/ in \d+ ms/, '')),
      ['list URL maps (page 1): ok', 'list URL maps (page 2): ok', 'list URL maps (page 3): ok'],
    );
    assert.equal((await h.emulator.control.requests()).total, 3);
  });

  it('lists NEGs of every region with one aggregated request', async () => {
    const negs = ['us-central1', 'europe-west1', 'asia-northeast1'].map((region) => ({
      name: `neg-${region}`,
      region,
      networkEndpointType: 'SERVERLESS',
      cloudRun: { service: 'web' },
    }));
    await h.emulator.control.loadSeed({ compute: [{ project: PROJECT, networkEndpointGroups: negs }] });
    await h.emulator.control.resetRequests();
    const found = [];
    for await (const neg of h.connection.compute(PROJECT).listNetworkEndpointGroupsEverywhere()) found.push(neg);
    assert.deepEqual(found.map((n) => n.region?.split('/').pop()).sort(), ['asia-northeast1', 'europe-west1', 'us-central1']);
    assert.equal((await h.emulator.control.requests()).total, 1);
  });

  it('surfaces an error reported inside a DONE operation', async () => {
    await h.emulator.control.addFault({
      method: 'POST',
      path: '/global/backendServices$',
      count: 1,
      inOperation: true,
      status: 403,
      reason: 'quotaExceeded',
      message: "Quota 'BACKEND_SERVICES' exceeded.  Limit: 5.0 globally.",
    });
    await assert.rejects(
      h.connection.compute(PROJECT).insert('backendServices', { name: 'web', loadBalancingScheme: 'EXTERNAL_MANAGED' }),
      (err: CloudError) => {
        kindOf('quota')(err);
        assert.match(err.message, /^Could not create backend service "web": quota BACKEND_SERVICES is used up/);
        return true;
      },
    );
  });

  it('adopts an identical resource that already exists, and refuses a different one, naming the difference', async () => {
    const compute = h.connection.compute(PROJECT);
    await compute.insert('backendServices', { name: 'web', loadBalancingScheme: 'EXTERNAL_MANAGED', enableCDN: true });
    const again = await compute.insert('backendServices', { name: 'web', loadBalancingScheme: 'EXTERNAL_MANAGED', enableCDN: true });
    assert.equal(again.created, false);
    await assert.rejects(
      compute.insert('backendServices', { name: 'web', loadBalancingScheme: 'EXTERNAL_MANAGED', enableCDN: false }),
      (err: CloudError) => {
        kindOf('alreadyExists')(err);
        assert.match(err.message, /already exists with other settings \(enableCDN is true, wanted false\)/);
        return true;
      },
    );
  });

  it('retries an insert whose connection was reset, and creates the resource once', async () => {
    await h.emulator.control.addFault({ method: 'POST', path: '/global/addresses$', count: 1, resetConnection: true });
    const result = await h.connection.compute(PROJECT).insert('addresses', { name: 'ip' });
    assert.equal(result.created, true);
    assert.equal((await h.connection.compute(PROJECT).listAll('addresses')).length, 1);
    assert.ok(h.log.some((l) => /retrying in \d+ ms after transient/.test(l)));
  });

  it('an add-backend whose answer was lost after Google made the change counts as ours (Undo detaches it)', async () => {
    const compute = h.connection.compute(PROJECT);
    const neg = await compute.insert(
      'networkEndpointGroups',
      { name: 'web-neg', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'web' } },
      { region: 'us-central1' },
    );
    await compute.insert('backendServices', { name: 'web', loadBalancingScheme: 'EXTERNAL_MANAGED' });
    await h.emulator.control.addFault({
      method: 'PUT',
      path: '/global/backendServices/web$',
      count: 1,
      resetConnection: true,
      afterHandling: true,
    });
    const { service, changed } = await compute.addBackend('web', neg.resource.selfLink!);
    assert.equal(changed, true, 'the NEG was attached by this call, though it only learned so by reading again');
    assert.equal(service.backends?.length, 1);
    assert.equal(
      (await compute.addBackend('web', neg.resource.selfLink!)).changed,
      false,
      'a later call finds it attached and changes nothing',
    );
  });

  it('retries an insert whose answer was lost after Google made it: the retry meets 409, compares, and counts it as created', async () => {
    await h.emulator.control.addFault({
      method: 'POST',
      path: '/global/backendServices$',
      count: 1,
      resetConnection: true,
      afterHandling: true,
    });
    await h.emulator.control.resetRequests();
    const result = await h.connection
      .compute(PROJECT)
      .insert('backendServices', { name: 'web', loadBalancingScheme: 'EXTERNAL_MANAGED', enableCDN: true });
    assert.equal(result.created, true, 'this run made it, even though it only learned so from the 409');
    assert.equal(result.resource.enableCDN, true);
    assert.deepEqual(
      h.log
        .filter((l) => l.startsWith('create backend service "web"'))
        .map((l) => l.replace(/ in \d+ ms/, '').replace(/retrying in \d+ ms/, 'retrying')),
      [
        'create backend service "web": transient',
        'create backend service "web": retrying after transient (attempt 1 failed)',
        'create backend service "web": alreadyExists 409 (attempt 2)',
      ],
    );
    assert.equal((await h.connection.compute(PROJECT).listAll('backendServices')).length, 1);
  });

  for (const fault of [{ status: 503, reason: 'backendError' }, { status: 429, reason: 'rateLimitExceeded' }, { resetConnection: true }]) {
    const label = fault.status ? `${fault.status}` : 'a reset connection';
    it(`retries reads after ${label}, and gives up after the bound`, async () => {
      await h.connection.compute(PROJECT).insert('addresses', { name: 'ip' });
      await h.emulator.control.addFault({ method: 'GET', path: '/global/addresses/ip$', count: 2, ...fault });
      assert.equal((await h.connection.compute(PROJECT).get('addresses', 'ip')).name, 'ip');
      await h.emulator.control.addFault({ method: 'GET', path: '/global/addresses/ip$', count: 50, ...fault });
      await h.emulator.control.resetRequests();
      await assert.rejects(h.connection.compute(PROJECT).get('addresses', 'ip'), (err: CloudError) => err.retryable);
      const { byRoute } = await h.emulator.control.requests();
      assert.equal(
        Object.values(byRoute).reduce((a, b) => a + b, 0),
        4,
        'maxAttempts of the test policy is 4',
      );
    });
  }

  it('never retries a refused write', async () => {
    await h.emulator.control.addFault({
      method: 'POST',
      path: '/global/urlMaps$',
      count: 5,
      status: 400,
      reason: 'invalid',
      message: 'Invalid value for field',
    });
    await h.emulator.control.resetRequests();
    await assert.rejects(
      h.connection.compute(PROJECT).insert('urlMaps', { name: 'm', defaultService: 'global/backendServices/x' }),
      kindOf('invalid'),
    );
    assert.equal((await h.emulator.control.requests()).total, 1);
  });

  it('names the missing permission', async () => {
    await h.emulator.control.addProject({ id: 'locked-project', number: '222', deniedPermissions: ['compute.backendServices.create'] });
    await assert.rejects(
      h.connection.compute('locked-project').insert('backendServices', { name: 'web', loadBalancingScheme: 'EXTERNAL_MANAGED' }),
      (err: CloudError) => {
        kindOf('permission')(err);
        assert.equal(err.permission, 'compute.backendServices.create');
        assert.match(
          err.message,
          /you lack the permission compute\.backendServices\.create on projects\/locked-project\/global\/backendServices\/web/,
        );
        return true;
      },
    );
  });

  it('names the disabled API and the command that enables it', async () => {
    await h.emulator.control.addProject({ id: 'off-project', number: '333', disabledApis: ['compute.googleapis.com'] });
    await assert.rejects(h.connection.compute('off-project').listAll('backendServices'), (err: CloudError) => {
      kindOf('apiDisabled')(err);
      assert.equal(err.api, 'compute.googleapis.com');
      assert.match(err.message, /gcloud services enable compute\.googleapis\.com --project=off-project/);
      return true;
    });
  });

  it('refuses to delete what another resource uses, and treats a repeated delete as done', async () => {
    await createSeedTopology();
    const compute = h.connection.compute(PROJECT);
    await assert.rejects(compute.delete('backendServices', 'cloudrun-backend'), (err: CloudError) => {
      kindOf('inUse')(err);
      assert.match(err.message, /urlMaps\/cloudrun-url-map/);
      return true;
    });
    assert.equal(await compute.delete('forwardingRules', 'https-forwarding-rule'), true);
    assert.equal(await compute.delete('forwardingRules', 'https-forwarding-rule'), false);
  });

  it('waits for slow operations and stops waiting when cancelled', async () => {
    const slow = await startHarness({ operationLatencyMs: 400 });
    try {
      const started = Date.now();
      await slow.connection.compute(PROJECT).insert('addresses', { name: 'slow-ip' });
      assert.ok(Date.now() - started >= 350, 'the insert returned only once its operation was DONE');
      const controller = new AbortController();
      const pending = slow.connection.compute(PROJECT).insert('addresses', { name: 'cancelled-ip' }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(pending, kindOf('cancelled'));
    } finally {
      await slow.emulator.close();
    }
  });

  it('lists operations with their types, newest first, asking Google for the newest page', async () => {
    await createSeedTopology();
    const newest = await h.connection.compute(PROJECT).listOperations({ maxResults: 2 });
    assert.deepEqual(
      newest.map((o) => o.targetLink?.split('/').pop()),
      ['https-forwarding-rule', 'global-ip'],
    );
    const ops = await h.connection.compute(PROJECT).listOperations();
    assert.ok(ops.length >= 7);
    assert.ok(ops.some((o) => o.operationType === 'insert' && /forwardingRules\/https-forwarding-rule$/.test(o.targetLink ?? '')));
    const times = ops.map((o) => o.insertTime ?? '');
    assert.deepEqual(times, [...times].sort().reverse());
  });
});
