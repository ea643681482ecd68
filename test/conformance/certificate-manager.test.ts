// The real gcloud's `certificate-manager` commands and `target-https-proxies create --certificate-map` against the
// emulator: a DNS authorization, a certificate using it, a map, its entries and a proxy serving the map.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import { apiClient, findOnPath, gcloudSession, skipWithoutGcloud, sleep, type GcloudSession } from './helpers';

describe('gcloud certificate-manager against the emulator', function () {
  this.timeout(180_000);
  const gcloudPath = findOnPath('gcloud');
  let emulator: Emulator;
  let gcloud: GcloudSession;
  const lines: string[] = [];

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    emulator = await startEmulator({
      seed: 'demo',
      operationLatencyMs: 300,
      certificates: { activationDelayMs: 200 },
      log: (l) => lines.push(l),
    });
    gcloud = gcloudSession(gcloudPath!, 'demo-project', {
      api_endpoint_overrides: { compute: `${emulator.url}compute/v1/`, certificatemanager: emulator.url },
      // The session sends everything else to a closed port; the emulator as gcloud's proxy serves the overrides.
      proxy: { type: 'http', address: '127.0.0.1', port: String(emulator.port) },
    });
  });

  after(async () => {
    gcloud?.close();
    await emulator?.close();
  });

  it('creates a DNS authorization and answers its _acme-challenge CNAME', async () => {
    await gcloud.ok('certificate-manager', 'dns-authorizations', 'create', 'shop-auth', '--domain=shop.example.com');
    const auth = await gcloud.json('certificate-manager', 'dns-authorizations', 'describe', 'shop-auth');
    assert.equal(auth.name, 'projects/demo-project/locations/global/dnsAuthorizations/shop-auth');
    assert.equal(auth.domain, 'shop.example.com');
    assert.equal(auth.dnsResourceRecord.name, '_acme-challenge.shop.example.com.');
    assert.equal(auth.dnsResourceRecord.type, 'CNAME');
    assert.match(auth.dnsResourceRecord.data, /^[0-9a-f-]+\.\d+\.authorize\.certificatemanager\.goog\.$/);
    // gcloud waited on the operation: it polled GET …/operations/{operation} until done.
    assert.ok(
      lines.some((l) => /GET \S*\/v1\/projects\/demo-project\/locations\/global\/operations\/operation-/.test(l)),
      'gcloud polled the operation',
    );
  });

  it('creates a certificate with DNS authorization that turns ACTIVE once the CNAME resolves, A record untouched', async () => {
    await gcloud.ok(
      'certificate-manager',
      'certificates',
      'create',
      'shop-cert',
      '--domains=shop.example.com',
      '--dns-authorizations=shop-auth',
    );
    let cert = await gcloud.json('certificate-manager', 'certificates', 'describe', 'shop-cert');
    assert.equal(cert.managed.state, 'PROVISIONING');
    assert.deepEqual(cert.managed.dnsAuthorizations, ['projects/demo-project/locations/global/dnsAuthorizations/shop-auth']);
    assert.equal(cert.managed.authorizationAttemptInfo[0].state, 'AUTHORIZING');

    const auth = await gcloud.json('certificate-manager', 'dns-authorizations', 'describe', 'shop-auth');
    await emulator.control.setDnsRecord({ name: 'shop.example.com', type: 'A', values: ['203.0.113.7'] }); // elsewhere
    await emulator.control.setDnsRecord({ name: auth.dnsResourceRecord.name, type: 'CNAME', values: [auth.dnsResourceRecord.data] });
    const api = apiClient(emulator.url);
    await api('GET', 'v1/projects/demo-project/locations/global/certificates/shop-cert'); // the authorization is seen
    await sleep(300);
    cert = await gcloud.json('certificate-manager', 'certificates', 'describe', 'shop-cert');
    assert.equal(cert.managed.state, 'ACTIVE');
    assert.deepEqual(cert.managed.authorizationAttemptInfo, [{ domain: 'shop.example.com', state: 'AUTHORIZED' }]);
    assert.deepEqual(cert.sanDnsnames, ['shop.example.com']);
  });

  it('creates a map, a hostname entry and a primary entry, and refuses a second entry for the same hostname', async () => {
    await gcloud.ok('certificate-manager', 'maps', 'create', 'shop-map');
    await gcloud.ok(
      'certificate-manager',
      'maps',
      'entries',
      'create',
      'shop-entry',
      '--map=shop-map',
      '--certificates=shop-cert',
      '--hostname=shop.example.com',
    );
    await gcloud.ok(
      'certificate-manager',
      'maps',
      'entries',
      'create',
      'shop-primary',
      '--map=shop-map',
      '--certificates=shop-cert',
      '--set-primary',
    );
    const again = await gcloud.run(
      'certificate-manager',
      'maps',
      'entries',
      'create',
      'shop-entry-2',
      '--map=shop-map',
      '--certificates=shop-cert',
      '--hostname=shop.example.com',
    );
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already has an entry for hostname 'shop\.example\.com'/);
    const entries = await gcloud.json('certificate-manager', 'maps', 'entries', 'list', '--map=shop-map');
    assert.deepEqual(entries.map((e: { name: string }) => e.name.split('/').pop()).sort(), ['shop-entry', 'shop-primary']);
    const primary = entries.find((e: { matcher?: string }) => e.matcher === 'PRIMARY');
    assert.deepEqual(primary.certificates, ['projects/demo-project/locations/global/certificates/shop-cert']);
  });

  it('creates an HTTPS proxy with --certificate-map (no SSL certificates) and lists it all', async () => {
    const urlMap = (await gcloud.json('compute', 'url-maps', 'list'))[0].name;
    await gcloud.ok(
      'compute',
      'target-https-proxies',
      'create',
      'shop-map-proxy',
      `--url-map=${urlMap}`,
      '--certificate-map=shop-map',
      '--global',
    );
    const proxy = await gcloud.json('compute', 'target-https-proxies', 'describe', 'shop-map-proxy', '--global');
    assert.equal(
      proxy.certificateMap,
      '//certificatemanager.googleapis.com/projects/demo-project/locations/global/certificateMaps/shop-map',
    );
    assert.equal(proxy.sslCertificates, undefined);

    const maps = await gcloud.json('certificate-manager', 'maps', 'list');
    assert.deepEqual(
      maps.map((m: { name: string }) => m.name),
      ['projects/demo-project/locations/global/certificateMaps/shop-map'],
    );
    assert.equal(
      maps[0].gclbTargets[0].targetHttpsProxy,
      '//compute.googleapis.com/projects/demo-project/global/targetHttpsProxies/shop-map-proxy',
    );
    const certs = await gcloud.json('certificate-manager', 'certificates', 'list');
    assert.deepEqual(
      certs.map((c: { name: string }) => c.name.split('/').pop()),
      ['shop-cert'],
    );
    const auths = await gcloud.json('certificate-manager', 'dns-authorizations', 'list');
    assert.deepEqual(
      auths.map((a: { name: string }) => a.name.split('/').pop()),
      ['shop-auth'],
    );
    const ops = await gcloud.json('certificate-manager', 'operations', 'list');
    assert.ok(ops.length >= 5 && ops.every((o: { done?: boolean }) => o.done === true), 'every operation is listed, done');
  });

  it('refuses to delete what is in use, in dependency order, then deletes it all', async function () {
    this.timeout(300_000); // a dozen gcloud starts on a shared machine
    const refused = await gcloud.run('certificate-manager', 'maps', 'delete', 'shop-map');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /FAILED_PRECONDITION.*referenced by target proxy/s);
    // The other refusals, over plain HTTP (each gcloud start costs seconds).
    const api = apiClient(emulator.url);
    const base = 'v1/projects/demo-project/locations/global';
    for (const [path, pattern] of [
      [`${base}/certificates/shop-cert`, /referenced by certificate map entry/],
      [`${base}/dnsAuthorizations/shop-auth`, /used by certificate/],
    ] as const) {
      const r = await api('DELETE', path);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.status, 'FAILED_PRECONDITION');
      assert.match(r.body.error.message, pattern);
    }
    await gcloud.ok('compute', 'target-https-proxies', 'delete', 'shop-map-proxy', '--global');
    const notEmpty = await api('DELETE', `${base}/certificateMaps/shop-map`);
    assert.match(notEmpty.body.error.message, /still has certificate map entries/);
    await gcloud.ok('certificate-manager', 'maps', 'entries', 'delete', 'shop-entry', '--map=shop-map');
    await gcloud.ok('certificate-manager', 'maps', 'entries', 'delete', 'shop-primary', '--map=shop-map');
    await gcloud.ok('certificate-manager', 'maps', 'delete', 'shop-map');
    await gcloud.ok('certificate-manager', 'certificates', 'delete', 'shop-cert');
    await gcloud.ok('certificate-manager', 'dns-authorizations', 'delete', 'shop-auth');
    const missing = await gcloud.run('certificate-manager', 'certificates', 'describe', 'shop-cert');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NOT_FOUND/);
  });
});

describe('target HTTPS proxies and certificate maps over plain HTTP (emulator rules)', function () {
  let emulator: Emulator;
  const base = 'compute/v1/projects/demo-project';
  const cm = 'v1/projects/demo-project/locations/global';
  before(async () => {
    emulator = await startEmulator({ seed: 'demo' });
  });
  after(() => emulator?.close());

  it('setCertificateMap takes any spelling of the map, refuses one that does not exist, and keeps a proxy with neither map nor certificate from existing', async () => {
    const api = apiClient(emulator.url);
    assert.equal((await api('POST', `${cm}/certificateMaps?certificateMapId=m`, {})).status, 200);
    const proxy = (await api('GET', `${base}/global/targetHttpsProxies`)).body.items[0];
    const set = (certificateMap?: string) =>
      api('POST', `${base}/targetHttpsProxies/${proxy.name}/setCertificateMap`, certificateMap === undefined ? {} : { certificateMap });
    for (const spelling of [
      `${emulator.url}v1/projects/demo-project/locations/global/certificateMaps/m`,
      'projects/demo-project/locations/global/certificateMaps/m',
      '//certificatemanager.googleapis.com/projects/demo-project/locations/global/certificateMaps/m',
    ]) {
      const op = await set(spelling);
      assert.equal(op.status, 200, JSON.stringify(op.body));
      assert.equal(op.body.operationType, 'setCertificateMap');
      assert.equal(
        (await api('GET', `${base}/global/targetHttpsProxies/${proxy.name}`)).body.certificateMap,
        '//certificatemanager.googleapis.com/projects/demo-project/locations/global/certificateMaps/m',
      );
    }
    const missing = await set('//certificatemanager.googleapis.com/projects/demo-project/locations/global/certificateMaps/nope');
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /certificateMaps\/nope' was not found/);
    // The map is in use: Certificate Manager refuses to delete it.
    const inUse = await api('DELETE', `${cm}/certificateMaps/m`);
    assert.equal(inUse.status, 400);
    assert.equal(inUse.body.error.status, 'FAILED_PRECONDITION');
    // Without the map, the proxy falls back to its SSL certificates.
    assert.equal((await set()).status, 200);
    assert.equal((await api('GET', `${base}/global/targetHttpsProxies/${proxy.name}`)).body.certificateMap, undefined);
    // A proxy with neither is refused.
    const bare = await api('POST', `${base}/global/targetHttpsProxies`, { name: 'bare-proxy', urlMap: proxy.urlMap });
    assert.equal(bare.status, 400);
    assert.match(bare.body.error.message, /At least one SSL certificate or a certificate map/);
  });

  it("answers Google's errors: 409 on a second create, 404 for a missing resource, 400 for an entry without a certificate", async () => {
    const api = apiClient(emulator.url);
    assert.equal((await api('POST', `${cm}/dnsAuthorizations?dnsAuthorizationId=a`, { domain: 'x.example.com' })).status, 200);
    const again = await api('POST', `${cm}/dnsAuthorizations?dnsAuthorizationId=a`, { domain: 'x.example.com' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.status, 'ALREADY_EXISTS');
    const gone = await api('GET', `${cm}/certificates/none`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.status, 'NOT_FOUND');
    await api('POST', `${cm}/certificateMaps?certificateMapId=m2`, {});
    const entry = await api('POST', `${cm}/certificateMaps/m2/certificateMapEntries?certificateMapEntryId=e`, {
      hostname: 'x.example.com',
    });
    assert.equal(entry.status, 400);
    assert.equal(entry.body.error.status, 'INVALID_ARGUMENT');
    const uncovered = await api('POST', `${cm}/certificates?certificateId=c`, {
      managed: { domains: ['y.example.com'], dnsAuthorizations: [`projects/demo-project/locations/global/dnsAuthorizations/a`] },
    });
    assert.equal(uncovered.status, 400);
    assert.match(uncovered.body.error.message, /Domain 'y\.example\.com' is not covered/);
  });
});
