// A fake recursive resolver over an in-memory zone (a fake, not a mock: it answers as a resolver
// would, following CNAMEs for other types), shared by the DNS and diagnostics tests; plus its own tests.
import assert from 'node:assert/strict';
import { normalizeDomain, type DnsAnswer, type DnsRecordType, type DnsResolver } from '../../src/core/dns/types';

export class FakeZone implements DnsResolver {
  private readonly records = new Map<string, { values: string[]; ttl?: number }>();
  private readonly failures = new Map<string, string>();
  /** Every question asked, `name|type`, in order. */
  readonly asked: string[] = [];

  set(name: string, type: DnsRecordType, values: string[], ttl?: number): this {
    this.records.set(`${normalizeDomain(name)}|${type}`, { values, ttl });
    return this;
  }

  remove(name: string, type: DnsRecordType): this {
    this.records.delete(`${normalizeDomain(name)}|${type}`);
    return this;
  }

  /** Makes questions for `name` (of `type`, or any type) fail with a resolver code. */
  fail(name: string, code: string, type?: DnsRecordType): this {
    this.failures.set(`${normalizeDomain(name)}|${type ?? '*'}`, code);
    return this;
  }

  async resolve(name: string, type: DnsRecordType): Promise<DnsAnswer> {
    let current = normalizeDomain(name);
    this.asked.push(`${current}|${type}`);
    for (let hop = 0; hop < 16; hop++) {
      const code = this.failures.get(`${current}|${type}`) ?? this.failures.get(`${current}|*`);
      if (code) return { kind: 'error', code, message: `query ${type} ${current} failed: ${code}` };
      const direct = this.records.get(`${current}|${type}`);
      if (direct) return { kind: 'records', values: [...direct.values], ttl: direct.ttl };
      const alias = type === 'CNAME' ? undefined : this.records.get(`${current}|CNAME`);
      if (!alias) return { kind: 'none', reason: this.exists(current) ? 'NODATA' : 'NXDOMAIN' };
      current = normalizeDomain(alias.values[0]);
    }
    return { kind: 'error', code: 'ESERVFAIL', message: 'CNAME loop' };
  }

  private exists(name: string): boolean {
    return [...this.records.keys()].some((key) => key.startsWith(`${name}|`));
  }
}

describe('FakeZone (test resolver)', () => {
  it('answers NXDOMAIN for unknown names and NODATA for known names without the type', async () => {
    const zone = new FakeZone().set('a.example.com', 'A', ['1.2.3.4']);
    assert.deepEqual(await zone.resolve('b.example.com', 'A'), { kind: 'none', reason: 'NXDOMAIN' });
    assert.deepEqual(await zone.resolve('a.example.com', 'AAAA'), { kind: 'none', reason: 'NODATA' });
  });

  it('follows CNAMEs for other types, as a recursive resolver does', async () => {
    const zone = new FakeZone().set('www.example.com', 'CNAME', ['a.example.com']).set('a.example.com', 'A', ['1.2.3.4'], 60);
    assert.deepEqual(await zone.resolve('www.example.com', 'A'), { kind: 'records', values: ['1.2.3.4'], ttl: 60 });
    assert.deepEqual(await zone.resolve('www.example.com', 'CNAME'), { kind: 'records', values: ['a.example.com'], ttl: undefined });
  });
});
