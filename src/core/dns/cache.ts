// A TTL-respecting cache in front of any DnsResolver, per name and type. Record answers live as long as
// their TTL says (bounded); "no such record" answers briefly, so a record the user just created shows
// up soon; failures are not kept, so the next check asks again. Concurrent asks share one lookup.
import type { DnsAnswer, DnsRecordType, DnsResolver } from './types';
import { normalizeDomain } from './types';

export interface DnsCacheOptions {
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** How long NXDOMAIN/NODATA answers are reused (default 30 s). */
  negativeTtlMs?: number;
  /** For record answers whose resolver reports no TTL (default 60 s). */
  defaultTtlMs?: number;
  /** Upper bound for any record answer (default 1 h). */
  maxTtlMs?: number;
}

interface Entry {
  answer: DnsAnswer;
  storedAt: number;
  expiresAt: number;
}

export class CachingDnsResolver implements DnsResolver {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<DnsAnswer>>();
  private readonly now: () => number;
  private readonly negativeTtlMs: number;
  private readonly defaultTtlMs: number;
  private readonly maxTtlMs: number;

  constructor(
    private readonly inner: DnsResolver,
    options: DnsCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.negativeTtlMs = options.negativeTtlMs ?? 30_000;
    this.defaultTtlMs = options.defaultTtlMs ?? 60_000;
    this.maxTtlMs = options.maxTtlMs ?? 3_600_000;
  }

  resolve(name: string, type: DnsRecordType): Promise<DnsAnswer> {
    const key = `${normalizeDomain(name)}|${type}`;
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return Promise.resolve(withRemainingTtl(entry, now));
    if (entry) this.entries.delete(key);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const lookup = this.inner.resolve(name, type).then(
      (answer) => {
        this.store(key, answer);
        return answer;
      },
      (err: unknown): DnsAnswer => ({ kind: 'error', code: 'EUNKNOWN', message: err instanceof Error ? err.message : String(err) }),
    );
    const settled = lookup.finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, settled);
    return settled;
  }

  /** Forgets one name (every type) or everything: "check again now". */
  invalidate(name?: string): void {
    if (name === undefined) {
      this.entries.clear();
      return;
    }
    const prefix = `${normalizeDomain(name)}|`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private store(key: string, answer: DnsAnswer): void {
    const lifetime = this.lifetime(answer);
    if (lifetime <= 0) return;
    const storedAt = this.now();
    this.entries.set(key, { answer, storedAt, expiresAt: storedAt + lifetime });
  }

  private lifetime(answer: DnsAnswer): number {
    switch (answer.kind) {
      case 'records':
        return Math.min(answer.ttl === undefined ? this.defaultTtlMs : answer.ttl * 1000, this.maxTtlMs);
      case 'none':
        return this.negativeTtlMs;
      case 'error':
        return 0;
    }
  }
}

/** A cached record answer reports the TTL it has left, as a caching DNS server would. */
function withRemainingTtl(entry: Entry, now: number): DnsAnswer {
  const { answer } = entry;
  if (answer.kind !== 'records' || answer.ttl === undefined) return answer;
  return { ...answer, ttl: Math.max(0, Math.floor((entry.expiresAt - now) / 1000)) };
}
