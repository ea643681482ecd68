// DnsResolver over Node's dns.promises.Resolver (c-ares): its own servers, timeout and tries, so a
// check can ask the servers Google's validators would see rather than a local cache.
import { promises as dns } from 'node:dns';
import { parseDnsServers } from './servers';
import type { DnsAnswer, DnsRecordType, DnsResolver } from './types';
import { normalizeDomain } from './types';

export interface NodeDnsResolverOptions {
  /** `host`, `host:port`, `[::1]:53`; empty: the system's servers. */
  servers?: readonly string[];
  /** Per attempt, in milliseconds (default 2000). */
  timeoutMs?: number;
  /** Attempts per server (default 2). */
  tries?: number;
}

/** c-ares' CAA entry: `critical` plus one property named by its tag. */
type CaaEntry = { critical: number } & Record<string, string | number>;

export class NodeDnsResolver implements DnsResolver {
  private readonly resolver: dns.Resolver;

  constructor(options: NodeDnsResolverOptions = {}) {
    this.resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
    const parsed = parseDnsServers(options.servers ?? []);
    if (parsed.invalid.length) {
      throw new Error(`Invalid DNS server setting: ${parsed.invalid.map((i) => `"${i.entry}" (${i.reason})`).join(', ')}.`);
    }
    if (parsed.servers.length) this.resolver.setServers(parsed.servers);
  }

  async resolve(name: string, type: DnsRecordType): Promise<DnsAnswer> {
    const host = normalizeDomain(name);
    try {
      switch (type) {
        case 'A': {
          const records = await this.resolver.resolve4(host, { ttl: true });
          return { kind: 'records', values: records.map((r) => r.address), ttl: minTtl(records) };
        }
        case 'AAAA': {
          const records = await this.resolver.resolve6(host, { ttl: true });
          return { kind: 'records', values: records.map((r) => r.address.toLowerCase()), ttl: minTtl(records) };
        }
        case 'CNAME': {
          const targets = await this.resolver.resolveCname(host);
          return { kind: 'records', values: targets.map(normalizeDomain) };
        }
        case 'CAA': {
          const records = (await this.resolver.resolveCaa(host)) as unknown as CaaEntry[];
          return { kind: 'records', values: records.map(caaPresentation) };
        }
      }
    } catch (err) {
      return answerFromError(err);
    }
  }

  /** Aborts lookups in flight (they answer ECANCELLED). */
  cancel(): void {
    this.resolver.cancel();
  }
}

function minTtl(records: { ttl: number }[]): number | undefined {
  return records.length ? Math.min(...records.map((r) => r.ttl)) : undefined;
}

function caaPresentation(entry: CaaEntry): string {
  const tag = Object.keys(entry).find((key) => key !== 'critical') ?? 'unknown';
  return `${entry.critical ?? 0} ${tag} "${String(entry[tag] ?? '')}"`;
}

function answerFromError(err: unknown): DnsAnswer {
  const code = (err as { code?: string })?.code ?? 'EUNKNOWN';
  if (code === 'ENOTFOUND') return { kind: 'none', reason: 'NXDOMAIN' };
  if (code === 'ENODATA') return { kind: 'none', reason: 'NODATA' };
  return { kind: 'error', code, message: err instanceof Error ? err.message : String(err) };
}
