// Cloud DNS with a real client: gcloud creates a managed zone and record sets against the emulator (through
// api_endpoint_overrides/dns, design.md §7), lists them, and the emulator's DNS server answers what it created.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { startEmulator, type Emulator } from '../emulator';
import { apiClient, findOnPath, gcloudSession, skipWithoutGcloud, type GcloudSession } from './helpers';

describe('gcloud dns against the emulator', function () {
  this.timeout(120_000);
  const gcloudPath = findOnPath('gcloud');
  let emulator: Emulator;
  let g: GcloudSession;
  let resolver: Resolver;
  const lines: string[] = [];

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    emulator = await startEmulator({ seed: 'empty', operationLatencyMs: 0, log: (l) => lines.push(l) });
    g = gcloudSession(
      gcloudPath!,
      'demo-project',
      { api_endpoint_overrides: { dns: `${emulator.url}dns/v1/` } },
      // The emulator is reached directly; anything else still meets the closed proxy.
      { NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
    );
    // dig is not installed on every machine; Node's resolver asks the same UDP server.
    resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${emulator.dnsPort}`]);
  });
  after(async () => {
    g?.close();
    await emulator?.close();
  });

  it('creates a public zone and an A record, lists them, and the DNS server answers the record', async () => {
    await g.ok('dns', 'managed-zones', 'create', 'shop-zone', '--dns-name=shop.example.', '--description=Shop', '--visibility=public');
    const zones = await g.json('dns', 'managed-zones', 'list');
    assert.deepEqual(
      zones.map((z: { name: string; dnsName: string; visibility: string }) => [z.name, z.dnsName, z.visibility]),
      [['shop-zone', 'shop.example.', 'public']],
    );
    assert.equal(zones[0].nameServers.length, 4);

    await g.ok('dns', 'record-sets', 'create', 'www.shop.example.', '--zone=shop-zone', '--type=A', '--ttl=300', '--rrdatas=34.120.1.2');
    await g.ok(
      'dns',
      'record-sets',
      'create',
      'www.shop.example.',
      '--zone=shop-zone',
      '--type=AAAA',
      '--ttl=300',
      '--rrdatas=2600:1901:0:1::',
    );
    const sets = await g.json('dns', 'record-sets', 'list', '--zone=shop-zone');
    assert.deepEqual(sets.map((r: { name: string; type: string }) => `${r.name} ${r.type}`).sort(), [
      'shop.example. NS',
      'shop.example. SOA',
      'www.shop.example. A',
      'www.shop.example. AAAA',
    ]);
    assert.deepEqual(await resolver.resolve4('www.shop.example'), ['34.120.1.2']);
    assert.deepEqual(await resolver.resolve6('www.shop.example'), ['2600:1901:0:1::']);
    assert.ok(
      lines.some((l) => l.startsWith('POST /dns/v1/projects/demo-project/managedZones/shop-zone/rrsets')),
      'gcloud used the rrsets API',
    );
  });

  it('updates and deletes a record, and the DNS server follows', async () => {
    await g.ok('dns', 'record-sets', 'update', 'www.shop.example.', '--zone=shop-zone', '--type=A', '--ttl=60', '--rrdatas=34.120.9.9');
    const described = await g.json('dns', 'record-sets', 'describe', 'www.shop.example.', '--zone=shop-zone', '--type=A');
    assert.deepEqual([described.ttl, described.rrdatas], [60, ['34.120.9.9']]);
    assert.deepEqual(await resolver.resolve4('www.shop.example'), ['34.120.9.9']);
    await g.ok('dns', 'record-sets', 'delete', 'www.shop.example.', '--zone=shop-zone', '--type=A');
    await assert.rejects(
      resolver.resolve4('www.shop.example'),
      (err: NodeJS.ErrnoException) => err.code === 'ENODATA',
      'the AAAA record is left: no A data',
    );
  });

  it('answers CNAME, CAA and TXT record sets, and refuses what Google refuses', async () => {
    await g.ok('dns', 'record-sets', 'create', 'api.shop.example.', '--zone=shop-zone', '--type=CNAME', '--rrdatas=www.shop.example.');
    await g.ok('dns', 'record-sets', 'create', 'shop.example.', '--zone=shop-zone', '--type=CAA', '--rrdatas=0 issue "pki.goog"');
    await g.ok('dns', 'record-sets', 'create', 'shop.example.', '--zone=shop-zone', '--type=TXT', '--rrdatas="v=spf1 -all"');
    assert.deepEqual(await resolver.resolveCname('api.shop.example'), ['www.shop.example']);
    assert.deepEqual(
      (await resolver.resolveCaa('shop.example')).map((c) => c.issue),
      ['pki.goog'],
    );
    assert.deepEqual(await resolver.resolveTxt('shop.example'), [['v=spf1 -all']]);

    const again = await g.run(
      'dns',
      'record-sets',
      'create',
      'api.shop.example.',
      '--zone=shop-zone',
      '--type=CNAME',
      '--rrdatas=www.shop.example.',
    );
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already exists/);
    const outside = await g.run(
      'dns',
      'record-sets',
      'create',
      'www.other.example.',
      '--zone=shop-zone',
      '--type=A',
      '--rrdatas=34.120.1.2',
    );
    assert.notEqual(outside.code, 0);
    assert.match(outside.stderr, /not within the zone/);
    const noZone = await g.run('dns', 'record-sets', 'list', '--zone=no-such-zone');
    assert.notEqual(noZone.code, 0);
    assert.match(noZone.stderr, /no-such-zone/);
    const notEmpty = await g.run('dns', 'managed-zones', 'delete', 'shop-zone');
    assert.notEqual(notEmpty.code, 0);
    assert.match(notEmpty.stderr, /not empty/);
  });

  it('keeps a change pending until its latency has passed, then done (the changes API, as gcloud transactions use it)', async () => {
    const api = apiClient(`${emulator.url}dns/v1/`);
    await emulator.control.setLatency({ operationLatencyMs: 400 });
    const created = await api('POST', 'projects/demo-project/managedZones/shop-zone/changes', {
      additions: [{ name: 'pay.shop.example.', type: 'A', ttl: 300, rrdatas: ['34.120.3.3'] }],
    });
    assert.equal(created.status, 200);
    assert.equal(created.body.status, 'pending');
    const listed = await g.json('dns', 'record-sets', 'changes', 'list', '--zone=shop-zone');
    assert.ok(listed.some((c: { id: string }) => c.id === created.body.id));
    await new Promise((r) => setTimeout(r, 450));
    const described = await g.json('dns', 'record-sets', 'changes', 'describe', created.body.id, '--zone=shop-zone');
    assert.equal(described.status, 'done');
    const stale = await api('POST', 'projects/demo-project/managedZones/shop-zone/changes', {
      deletions: [{ name: 'pay.shop.example.', type: 'A', ttl: 300, rrdatas: ['34.120.9.9'] }],
    });
    assert.deepEqual([stale.status, stale.body.error.errors[0].reason], [412, 'conditionNotMet']);
    await emulator.control.setLatency({ operationLatencyMs: 0 });
  });
});
