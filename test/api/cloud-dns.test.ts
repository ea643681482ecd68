// Cloud DNS against the emulator: the access layer (zones, record sets, atomic changes, Google's errors turned into
// messages that say what to do), and plans that write the load balancer's records there, with their Undo.
import assert from 'node:assert/strict';
import { CloudError } from '../../src/gcp/errors';
import { zoneFor, type DnsZone } from '../../src/gcp/cloudDns';
import { Harness, PROJECT, startHarness } from './setup';

const ZONE_SEED = {
  dnsZones: [
    { name: 'example-zone', dnsName: 'example.com.', records: [{ name: 'old.example.com.', type: 'A', ttl: 300, rrdatas: ['203.0.113.7'] }] },
    { name: 'shop-zone', dnsName: 'shop.example.com', records: [] },
    { name: 'internal', dnsName: 'corp.example.com.', visibility: 'private' as const },
    { project: 'dns-hub', name: 'hub-zone', dnsName: 'hub.example.org.', records: [{ name: 'www.hub.example.org.', type: 'CNAME', rrdatas: ['elsewhere.example.net.'] }] },
  ],
};

describe('Cloud DNS access layer (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;

  before(async () => { h = await startHarness(); });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('empty');
    await h.emulator.control.loadSeed(ZONE_SEED);
  });

  it('lists the public zones of each project, and picks the zone with the longest matching name', async () => {
    const dns = h.connection.cloudDns(PROJECT);
    const zones = await dns.listPublicZones();
    assert.deepEqual(zones.map((z) => `${z.name}:${z.dnsName}`).sort(), ['example-zone:example.com', 'shop-zone:shop.example.com']);
    const hub = await dns.listPublicZones('dns-hub');
    assert.deepEqual(hub.map((z) => `${z.project}/${z.name}`), ['dns-hub/hub-zone']);
    const all = [...zones, ...hub];
    assert.equal(zoneFor('app.shop.example.com', all)?.name, 'shop-zone');
    assert.equal(zoneFor('Shop.Example.com.', all)?.name, 'shop-zone');
    assert.equal(zoneFor('api.example.com', all)?.name, 'example-zone');
    assert.equal(zoneFor('x.corp.example.com', all)?.name, 'example-zone', 'a private zone is not what the internet sees');
    assert.equal(zoneFor('example.net', all), undefined);
  });

  it('creates, replaces and removes record sets with atomic changes, and the DNS server answers them', async () => {
    const dns = h.connection.cloudDns(PROJECT);
    const zone = (await dns.listPublicZones()).find((z) => z.name === 'shop-zone')!;
    await dns.change(zone, { add: [{ name: 'app.shop.example.com', type: 'A', ttl: 300, rrdatas: ['34.120.0.1'] }] });
    const read = await dns.listRecordSets(zone, 'app.shop.example.com');
    assert.deepEqual(read, [{ project: PROJECT, zone: 'shop-zone', name: 'app.shop.example.com', type: 'A', ttl: 300, rrdatas: ['34.120.0.1'] }]);
    const state = await h.emulator.control.state();
    assert.deepEqual(state.dns.filter((d: { name: string }) => d.name === 'app.shop.example.com').map((d: { values: string[] }) => d.values), [['34.120.0.1']]);

    await dns.change(zone, { remove: read, add: [{ ...read[0], rrdatas: ['34.120.0.2'] }] });
    assert.deepEqual((await dns.getRecordSet(zone, 'app.shop.example.com', 'A'))?.rrdatas, ['34.120.0.2']);
    // A deletion that names the record as it was before is refused: someone changed it meanwhile.
    await assert.rejects(dns.change(zone, { remove: read }), (err: CloudError) => err.kind === 'conflict' && err.status === 412);
    await dns.change(zone, { remove: [{ ...read[0], rrdatas: ['34.120.0.2'] }] });
    assert.equal(await dns.getRecordSet(zone, 'app.shop.example.com', 'A'), undefined);
  });

  it('waits until a change is done', async () => {
    await h.emulator.control.setLatency({ operationLatencyMs: 300 });
    try {
      const dns = h.connection.cloudDns(PROJECT);
      const zone = (await dns.listPublicZones()).find((z) => z.name === 'shop-zone')!;
      const started = Date.now();
      await dns.change(zone, { add: [{ name: 'slow.shop.example.com', type: 'A', ttl: 60, rrdatas: ['34.120.0.9'] }] });
      assert.ok(Date.now() - started >= 300, 'returned only once the change was done');
      const requests = (await h.emulator.control.requests()).byRoute;
      assert.ok(requests['GET /dns/v1/projects/{project}/managedZones/{zone}/changes/{change}'] >= 1);
    } finally {
      await h.emulator.control.setLatency({ operationLatencyMs: 0 });
    }
  });

  it('says what to do for a disabled API, a missing permission and a zone that is gone', async () => {
    await h.emulator.control.addProject({ id: 'no-dns', disabledApis: ['dns.googleapis.com'] });
    await assert.rejects(h.connection.cloudDns('no-dns').listPublicZones(), (err: CloudError) => {
      assert.equal(err.kind, 'apiDisabled');
      assert.match(err.message, /the Cloud DNS API is not enabled in project \d+/);
      assert.match(err.message, /gcloud services enable dns\.googleapis\.com --project=no-dns/);
      return true;
    });

    await h.emulator.control.addProject({ id: PROJECT, deniedPermissions: ['dns.changes.create'] });
    const dns = h.connection.cloudDns(PROJECT);
    const zone = (await dns.listPublicZones()).find((z) => z.name === 'shop-zone')!;
    await assert.rejects(dns.change(zone, { add: [{ name: 'app.shop.example.com', type: 'A', ttl: 300, rrdatas: ['34.120.0.1'] }] }), (err: CloudError) => {
      assert.equal(err.kind, 'permission');
      assert.equal(err.permission, 'dns.changes.create');
      assert.match(err.message, /you lack the permission dns\.changes\.create in project demo-project.*roles\/dns\.admin/);
      return true;
    });

    const gone: DnsZone = { ...zone, name: 'deleted-zone' };
    await assert.rejects(dns.listRecordSets(gone, 'app.shop.example.com'), (err: CloudError) => {
      assert.equal(err.kind, 'notFound');
      assert.match(err.message, /Cloud DNS zone deleted-zone does not exist in project demo-project.*refresh/);
      return true;
    });
  });

  it('reads the state the model needs: zones of every project, records of the domains in them, problems by project', async () => {
    await h.emulator.control.addProject({ id: 'locked', deniedPermissions: ['dns.managedZones.list'] });
    const state = await h.connection.cloudDns(PROJECT).readState([PROJECT, 'dns-hub', 'locked'], ['old.example.com', 'www.hub.example.org', 'app.example.net']);
    assert.deepEqual(state.zones.map((z) => z.name).sort(), ['example-zone', 'hub-zone', 'shop-zone']);
    assert.deepEqual(state.domains, ['old.example.com', 'www.hub.example.org']);
    assert.deepEqual(state.records.map((r) => `${r.project}/${r.zone} ${r.name} ${r.type} ${r.rrdatas.join(',')}`),
      ['demo-project/example-zone old.example.com A 203.0.113.7', 'dns-hub/hub-zone www.hub.example.org CNAME elsewhere.example.net.']);
    assert.equal(state.problems.length, 1);
    assert.equal(state.problems[0].project, 'locked');
    assert.match(state.problems[0].message, /dns\.managedZones\.list/);
  });
});
