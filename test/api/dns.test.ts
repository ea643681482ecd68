import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { NodeDnsResolver } from '../../src/core/dns/nodeResolver';
import { inspectDomain } from '../../src/core/dns/inspect';
import { startEmulator, type Emulator } from '../emulator';

describe('DNS resolver against the emulator DNS server', function () {
  this.timeout(10_000);
  let emulator: Emulator;
  let resolver: NodeDnsResolver;

  before(async () => {
    emulator = await startEmulator({ seed: 'empty' });
    resolver = new NodeDnsResolver({ servers: [`127.0.0.1:${emulator.dnsPort}`], timeoutMs: 500, tries: 1 });
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    await emulator.control.reset('empty');
  });

  it('answers A records with their TTL', async () => {
    await emulator.control.setDnsRecord({ name: 'shop.example.com', type: 'A', values: ['34.1.2.3', '34.1.2.4'], ttl: 120 });
    const answer = await resolver.resolve('shop.example.com', 'A');
    assert.equal(answer.kind, 'records');
    assert.deepEqual(answer.kind === 'records' && [...answer.values].sort(), ['34.1.2.3', '34.1.2.4']);
    assert.equal(answer.kind === 'records' && answer.ttl, 120);
  });

  it('answers AAAA records in lower case', async () => {
    await emulator.control.setDnsRecord({ name: 'shop.example.com', type: 'AAAA', values: ['2600:1901:0:ABCD::'] });
    const answer = await resolver.resolve('shop.example.com', 'AAAA');
    assert.deepEqual(answer, { kind: 'records', values: ['2600:1901:0:abcd::'], ttl: answer.kind === 'records' ? answer.ttl : undefined });
  });

  it('follows a CNAME chain to the final addresses', async () => {
    await emulator.control.setDnsRecord({ name: 'www.example.com', type: 'CNAME', values: ['edge.example.net'] });
    await emulator.control.setDnsRecord({ name: 'edge.example.net', type: 'CNAME', values: ['lb.example.org'] });
    await emulator.control.setDnsRecord({ name: 'lb.example.org', type: 'A', values: ['34.1.2.3'] });
    const inspection = await inspectDomain('www.example.com', resolver);
    assert.deepEqual(inspection.cnameChain, ['edge.example.net', 'lb.example.org']);
    assert.equal(inspection.canonicalName, 'lb.example.org');
    assert.deepEqual(inspection.a.kind === 'records' && inspection.a.values, ['34.1.2.3']);
    assert.deepEqual(inspection.failures, []);
  });

  it('reads CAA records and finds the set on a parent domain', async () => {
    await emulator.control.setDnsRecord({ name: 'example.com', type: 'CAA', values: ['0 issue "digicert.com"', '0 issue "pki.goog"'] });
    await emulator.control.setDnsRecord({ name: 'shop.example.com', type: 'A', values: ['34.1.2.3'] });
    const direct = await resolver.resolve('example.com', 'CAA');
    assert.equal(direct.kind, 'records');
    assert.deepEqual(direct.kind === 'records' && [...direct.values].sort(), ['0 issue "digicert.com"', '0 issue "pki.goog"']);
    const inspection = await inspectDomain('shop.example.com', resolver);
    assert.equal(inspection.caa.kind, 'found');
    assert.equal(inspection.caa.kind === 'found' && inspection.caa.owner, 'example.com');
    assert.deepEqual(inspection.caa.kind === 'found' && inspection.caa.records.map((r) => r.value).sort(), ['digicert.com', 'pki.goog']);
  });

  it('reports an unknown name as none (NXDOMAIN)', async () => {
    assert.deepEqual(await resolver.resolve('nothing.example.com', 'A'), { kind: 'none', reason: 'NXDOMAIN' });
  });

  it('reports a known name without that type as none (NODATA)', async () => {
    await emulator.control.setDnsRecord({ name: 'shop.example.com', type: 'A', values: ['34.1.2.3'] });
    assert.deepEqual(await resolver.resolve('shop.example.com', 'AAAA'), { kind: 'none', reason: 'NODATA' });
    const inspection = await inspectDomain('shop.example.com', resolver);
    assert.deepEqual(inspection.aaaa, { kind: 'none', reason: 'NODATA' });
    assert.deepEqual(inspection.cnameChain, []);
    assert.equal(inspection.caa.kind, 'none');
  });

  it('reports a server that does not answer as an error, never as no record, within a few seconds', async () => {
    // A bound socket that never replies: the lookup must time out.
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const port = silent.address().port;
    try {
      const dead = new NodeDnsResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 300, tries: 1 });
      const started = Date.now();
      const answer = await dead.resolve('shop.example.com', 'A');
      assert.equal(answer.kind, 'error');
      assert.equal(answer.kind === 'error' && answer.code, 'ETIMEOUT');
      assert.ok(Date.now() - started < 3000);
      const inspection = await inspectDomain('shop.example.com', dead);
      assert.equal(inspection.a.kind, 'error');
      assert.equal(inspection.caa.kind, 'error');
      assert.ok(inspection.failures.length >= 3);
    } finally {
      silent.close();
    }
  });

  it('reports a closed port as an error', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const closed = new NodeDnsResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 300, tries: 1 });
    const started = Date.now();
    const answer = await closed.resolve('shop.example.com', 'A');
    assert.equal(answer.kind, 'error', JSON.stringify(answer));
    assert.match(answer.kind === 'error' ? answer.code : '', /^(ETIMEOUT|ECONNREFUSED)$/);
    assert.ok(Date.now() - started < 3000);
  });
});
