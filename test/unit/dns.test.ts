import assert from 'node:assert/strict';
import { CachingDnsResolver } from '../../src/core/dns/cache';
import { MAX_CNAME_HOPS, caaCandidates, inspectDomain } from '../../src/core/dns/inspect';
import { evaluateCaa, parseCaaRecord } from '../../src/core/dns/caa';
import { parseDnsServer, parseDnsServers } from '../../src/core/dns/servers';
import type { DnsAnswer, DnsRecordType, DnsResolver } from '../../src/core/dns/types';
import { FakeZone } from './dns-fake.test';

/** A clock the test moves by hand. */
class FakeClock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** Answers whatever the test queues, counting calls. */
class ScriptedResolver implements DnsResolver {
  calls = 0;
  constructor(public answer: DnsAnswer) {}
  async resolve(_name: string, _type: DnsRecordType): Promise<DnsAnswer> {
    this.calls += 1;
    return this.answer;
  }
}

describe('DNS cache', () => {
  it('reuses a record answer for its TTL, reporting the TTL left, then asks again', async () => {
    const clock = new FakeClock();
    const inner = new ScriptedResolver({ kind: 'records', values: ['34.1.2.3'], ttl: 120 });
    const cache = new CachingDnsResolver(inner, { now: clock.now });
    assert.deepEqual(await cache.resolve('Shop.Example.com.', 'A'), { kind: 'records', values: ['34.1.2.3'], ttl: 120 });
    clock.advance(100);
    assert.deepEqual(await cache.resolve('shop.example.com', 'A'), { kind: 'records', values: ['34.1.2.3'], ttl: 20 });
    assert.equal(inner.calls, 1, 'the same name in another spelling is the same entry');
    clock.advance(21);
    await cache.resolve('shop.example.com', 'A');
    assert.equal(inner.calls, 2);
  });

  it('keeps entries per type', async () => {
    const inner = new ScriptedResolver({ kind: 'records', values: ['x'], ttl: 300 });
    const cache = new CachingDnsResolver(inner, { now: new FakeClock().now });
    await cache.resolve('a.example.com', 'A');
    await cache.resolve('a.example.com', 'AAAA');
    await cache.resolve('a.example.com', 'A');
    assert.equal(inner.calls, 2);
  });

  it('keeps "no record" answers only briefly', async () => {
    const clock = new FakeClock();
    const inner = new ScriptedResolver({ kind: 'none', reason: 'NXDOMAIN' });
    const cache = new CachingDnsResolver(inner, { now: clock.now, negativeTtlMs: 10_000 });
    await cache.resolve('new.example.com', 'A');
    clock.advance(9);
    await cache.resolve('new.example.com', 'A');
    assert.equal(inner.calls, 1);
    clock.advance(2);
    inner.answer = { kind: 'records', values: ['34.1.2.3'], ttl: 300 };
    assert.deepEqual(await cache.resolve('new.example.com', 'A'), { kind: 'records', values: ['34.1.2.3'], ttl: 300 });
    assert.equal(inner.calls, 2);
  });

  it('never keeps failures: the next check asks again', async () => {
    const inner = new ScriptedResolver({ kind: 'error', code: 'ETIMEOUT', message: 'timeout' });
    const cache = new CachingDnsResolver(inner, { now: new FakeClock().now });
    await cache.resolve('a.example.com', 'A');
    await cache.resolve('a.example.com', 'A');
    assert.equal(inner.calls, 2);
  });

  it('caps long TTLs and uses a default when the resolver reports none', async () => {
    const clock = new FakeClock();
    const inner = new ScriptedResolver({ kind: 'records', values: ['ca.example.net'] });
    const cache = new CachingDnsResolver(inner, { now: clock.now, defaultTtlMs: 5000, maxTtlMs: 60_000 });
    await cache.resolve('a.example.com', 'CNAME');
    clock.advance(6);
    await cache.resolve('a.example.com', 'CNAME');
    assert.equal(inner.calls, 2, 'no TTL: default lifetime');
    inner.answer = { kind: 'records', values: ['1.2.3.4'], ttl: 86_400 };
    await cache.resolve('b.example.com', 'A');
    clock.advance(61);
    await cache.resolve('b.example.com', 'A');
    assert.equal(inner.calls, 4, 'a day-long TTL is capped at a minute');
  });

  it('shares one lookup between concurrent asks and forgets on invalidate', async () => {
    const inner = new ScriptedResolver({ kind: 'records', values: ['1.2.3.4'], ttl: 300 });
    const cache = new CachingDnsResolver(inner, { now: new FakeClock().now });
    await Promise.all([cache.resolve('a.example.com', 'A'), cache.resolve('a.example.com', 'A'), cache.resolve('a.example.com', 'A')]);
    assert.equal(inner.calls, 1);
    cache.invalidate('A.example.com');
    await cache.resolve('a.example.com', 'A');
    assert.equal(inner.calls, 2);
    cache.invalidate();
    assert.equal(cache.size, 0);
  });

  it('turns a throwing resolver into an error answer, never "no record"', async () => {
    const throwing: DnsResolver = {
      resolve: async () => {
        throw new Error('boom');
      },
    };
    const answer = await new CachingDnsResolver(throwing).resolve('a.example.com', 'A');
    assert.equal(answer.kind, 'error');
  });
});

describe('DNS server settings', () => {
  const cases: [string, ReturnType<typeof parseDnsServer>][] = [
    ['8.8.8.8', { address: '8.8.8.8' }],
    ['127.0.0.1:5353', { address: '127.0.0.1', port: 5353 }],
    ['[::1]:53', { address: '::1', port: 53 }],
    ['2001:4860:4860::8888', { address: '2001:4860:4860::8888' }],
    ['[2001:db8::1]', { address: '2001:db8::1' }],
  ];
  for (const [text, expected] of cases) it(`reads ${text}`, () => assert.deepEqual(parseDnsServer(text), expected));

  it('refuses names, bad ports and bracketed IPv4, and formats for Resolver.setServers', () => {
    const parsed = parseDnsServers(['dns.google', '1.1.1.1:0', '[1.1.1.1]:53', ' 1.1.1.1:53 ', '[::1]:5353', '']);
    assert.deepEqual(parsed.servers, ['1.1.1.1:53', '[::1]:5353']);
    assert.deepEqual(
      parsed.invalid.map((i) => i.entry),
      ['dns.google', '1.1.1.1:0', '[1.1.1.1]:53', ''],
    );
  });
});

describe('CAA', () => {
  it('parses presentation form', () => {
    assert.deepEqual(parseCaaRecord('0 issue "pki.goog"'), { flags: 0, tag: 'issue', value: 'pki.goog' });
    assert.deepEqual(parseCaaRecord('128 ISSUE "letsencrypt.org; validationmethods=dns-01"'), {
      flags: 128,
      tag: 'issue',
      value: 'letsencrypt.org; validationmethods=dns-01',
    });
    assert.deepEqual(parseCaaRecord('0 issue ";"'), { flags: 0, tag: 'issue', value: ';' });
    assert.equal(parseCaaRecord('garbage'), undefined);
  });

  const verdicts: [string, string[], boolean][] = [
    ['no issue property: anyone', ['0 iodef "mailto:sec@example.com"'], true],
    ['pki.goog allowed', ['0 issue "digicert.com"', '0 issue "pki.goog"'], true],
    ['letsencrypt.org with parameters', ['0 issue "letsencrypt.org; accounturi=x"'], true],
    ['another CA only', ['0 issue "digicert.com"'], false],
    ['nobody (";")', ['0 issue ";"'], false],
    ['issuewild does not govern a plain name', ['0 issuewild "digicert.com"'], true],
    ['unknown critical property', ['128 tbs "x"', '0 issue "pki.goog"'], false],
  ];
  for (const [title, values, allowed] of verdicts) {
    it(`evaluates ${title}`, () => {
      const records = values.map((v) => parseCaaRecord(v)!);
      assert.equal(evaluateCaa(records).allowed, allowed);
    });
  }

  it('climbs from the name to the top-level domain', () => {
    assert.deepEqual(caaCandidates('a.shop.example.com.'), ['a.shop.example.com', 'shop.example.com', 'example.com', 'com']);
    assert.deepEqual(caaCandidates('*.example.com'), ['example.com', 'com']);
  });
});

describe('inspectDomain', () => {
  const clock = new FakeClock();

  it('reports the A and AAAA answers and the smallest TTL', async () => {
    const zone = new FakeZone().set('shop.example.com', 'A', ['34.1.2.3'], 300).set('shop.example.com', 'AAAA', ['2600:1901::1'], 60);
    const inspection = await inspectDomain('Shop.Example.com', zone, { now: clock.now });
    assert.equal(inspection.domain, 'shop.example.com');
    assert.equal(inspection.observedAt, clock.ms);
    assert.deepEqual(inspection.a, { kind: 'records', values: ['34.1.2.3'], ttl: 300 });
    assert.deepEqual(inspection.aaaa, { kind: 'records', values: ['2600:1901::1'], ttl: 60 });
    assert.equal(inspection.ttl, 60);
    assert.deepEqual(inspection.cnameChain, []);
    assert.deepEqual(inspection.caa, { kind: 'none', checked: ['shop.example.com', 'example.com', 'com'] });
    assert.deepEqual(inspection.failures, []);
  });

  it('follows a CNAME chain and takes the addresses at its end', async () => {
    const zone = new FakeZone()
      .set('www.example.com', 'CNAME', ['edge.cdn.example.net.'])
      .set('edge.cdn.example.net', 'CNAME', ['lb.example.org'])
      .set('lb.example.org', 'A', ['34.1.2.3'], 30);
    const inspection = await inspectDomain('www.example.com', zone);
    assert.deepEqual(inspection.cnameChain, ['edge.cdn.example.net', 'lb.example.org']);
    assert.equal(inspection.canonicalName, 'lb.example.org');
    assert.deepEqual(inspection.a, { kind: 'records', values: ['34.1.2.3'], ttl: 30 });
  });

  it('stops at a CNAME loop and reports it as a failure, not as a missing record', async () => {
    const zone = new FakeZone().set('a.example.com', 'CNAME', ['b.example.com']).set('b.example.com', 'CNAME', ['a.example.com']);
    const inspection = await inspectDomain('a.example.com', zone);
    assert.deepEqual(inspection.cnameChain, ['b.example.com', 'a.example.com']);
    assert.equal(inspection.a.kind, 'error');
    assert.equal(inspection.a.kind === 'error' && inspection.a.code, 'CNAME_LOOP');
    assert.ok(inspection.failures.some((f) => f.code === 'CNAME_LOOP'));
    assert.ok(zone.asked.filter((q) => q.endsWith('|CNAME')).length <= 3, 'the loop is not walked again');
  });

  it('gives up on an overlong chain', async () => {
    const zone = new FakeZone();
    for (let i = 0; i <= MAX_CNAME_HOPS + 2; i++) zone.set(`h${i}.example.com`, 'CNAME', [`h${i + 1}.example.com`]);
    const inspection = await inspectDomain('h0.example.com', zone);
    assert.equal(inspection.cnameChain.length, MAX_CNAME_HOPS);
    assert.equal(inspection.a.kind === 'error' && inspection.a.code, 'CNAME_TOO_LONG');
  });

  it('finds the CAA set on the closest parent that has one', async () => {
    const zone = new FakeZone()
      .set('a.shop.example.com', 'A', ['34.1.2.3'])
      .set('example.com', 'CAA', ['0 issue "digicert.com"'], 3600)
      .set('com', 'CAA', ['0 issue "pki.goog"']);
    const inspection = await inspectDomain('a.shop.example.com', zone);
    assert.deepEqual(inspection.caa, {
      kind: 'found',
      owner: 'example.com',
      records: [{ flags: 0, tag: 'issue', value: 'digicert.com' }],
      ttl: 3600,
    });
    assert.ok(!zone.asked.includes('com|CAA'), 'climbing stops at the first set found');
  });

  it('takes the CAA set of the name itself before its parents', async () => {
    const zone = new FakeZone().set('shop.example.com', 'CAA', ['0 issue "pki.goog"']).set('example.com', 'CAA', ['0 issue ";"']);
    const inspection = await inspectDomain('shop.example.com', zone);
    assert.equal(inspection.caa.kind === 'found' && inspection.caa.owner, 'shop.example.com');
  });

  it('reports a failed CAA lookup as an error at the name where it failed', async () => {
    const zone = new FakeZone().set('shop.example.com', 'A', ['34.1.2.3']).fail('example.com', 'ESERVFAIL', 'CAA');
    const inspection = await inspectDomain('shop.example.com', zone);
    assert.equal(inspection.caa.kind, 'error');
    assert.equal(inspection.caa.kind === 'error' && inspection.caa.owner, 'example.com');
    assert.equal(inspection.a.kind, 'records');
  });

  it('keeps NXDOMAIN, NODATA and failures apart', async () => {
    const zone = new FakeZone().set('shop.example.com', 'AAAA', ['2600:1901::1']).fail('down.example.com', 'ETIMEOUT');
    const missing = await inspectDomain('nothing.example.com', zone);
    assert.deepEqual(missing.a, { kind: 'none', reason: 'NXDOMAIN' });
    const v6only = await inspectDomain('shop.example.com', zone);
    assert.deepEqual(v6only.a, { kind: 'none', reason: 'NODATA' });
    const down = await inspectDomain('down.example.com', zone);
    assert.equal(down.a.kind, 'error');
    assert.ok(down.failures.length >= 3, 'CNAME, A, AAAA and CAA lookups failed');
  });

  it('works through the cache: a second inspection asks nothing', async () => {
    const zone = new FakeZone().set('shop.example.com', 'A', ['34.1.2.3'], 300);
    const cache = new CachingDnsResolver(zone, { now: clock.now });
    await inspectDomain('shop.example.com', cache);
    const asked = zone.asked.length;
    await inspectDomain('shop.example.com', cache);
    assert.equal(zone.asked.length, asked);
  });
});
