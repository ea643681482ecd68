// One domain as a certificate validator sees it: the CNAME chain, the final A and AAAA answers, and the
// CAA record set that applies (RFC 8659: the closest of the name and its parents that has one).
import { parseCaaRecord, type CaaRecord } from './caa';
import type { DnsAnswer, DnsRecordType, DnsResolver } from './types';
import { describeDnsError, normalizeDomain } from './types';

/** Enough for any sane chain; real resolvers give up around here too. */
export const MAX_CNAME_HOPS = 8;

export type CaaLookup =
  | { kind: 'found'; /** The name whose CAA set applies. */ owner: string; records: CaaRecord[]; ttl?: number }
  | { kind: 'none'; /** Names asked, closest first. */ checked: string[] }
  | { kind: 'error'; owner: string; code: string; message: string };

export interface DnsFailure {
  name: string;
  type: DnsRecordType;
  code: string;
  message: string;
}

export interface DomainInspection {
  domain: string;
  /** Milliseconds since the epoch. */
  observedAt: number;
  /** The aliases followed, in order, without the domain itself. */
  cnameChain: string[];
  /** The name the A and AAAA answers belong to: the domain, or the end of its CNAME chain. */
  canonicalName: string;
  a: DnsAnswer;
  aaaa: DnsAnswer;
  caa: CaaLookup;
  /** Every lookup that failed (not "no record": failed). */
  failures: DnsFailure[];
  /** Seconds until the shortest-lived answer used here expires; undefined when none reported one. */
  ttl?: number;
}

export interface InspectOptions {
  now?: () => number;
}

export async function inspectDomain(domain: string, resolver: DnsResolver, options: InspectOptions = {}): Promise<DomainInspection> {
  const name = normalizeDomain(domain);
  const observedAt = (options.now ?? Date.now)();
  const failures: DnsFailure[] = [];
  const ttls: number[] = [];
  const ask = async (target: string, type: DnsRecordType): Promise<DnsAnswer> => {
    const answer = await resolver.resolve(target, type);
    if (answer.kind === 'error') failures.push({ name: target, type, code: answer.code, message: answer.message });
    if (answer.kind === 'records' && answer.ttl !== undefined) ttls.push(answer.ttl);
    return answer;
  };

  const [chain, caa] = await Promise.all([followCnames(name, ask), findCaa(name, ask)]);
  let a: DnsAnswer;
  let aaaa: DnsAnswer;
  if (chain.broken) {
    const broken: DnsAnswer = {
      kind: 'error',
      code: chain.broken,
      message: `${describeDnsError(chain.broken)}: ${[name, ...chain.aliases].join(' → ')}`,
    };
    failures.push({ name, type: 'CNAME', code: broken.code, message: broken.message });
    a = broken;
    aaaa = broken;
  } else {
    [a, aaaa] = await Promise.all([ask(chain.canonicalName, 'A'), ask(chain.canonicalName, 'AAAA')]);
  }
  return {
    domain: name,
    observedAt,
    cnameChain: chain.aliases,
    canonicalName: chain.canonicalName,
    a,
    aaaa,
    caa,
    failures,
    ttl: ttls.length ? Math.min(...ttls) : undefined,
  };
}

type Ask = (name: string, type: DnsRecordType) => Promise<DnsAnswer>;

async function followCnames(
  name: string,
  ask: Ask,
): Promise<{ aliases: string[]; canonicalName: string; broken?: 'CNAME_LOOP' | 'CNAME_TOO_LONG' }> {
  const aliases: string[] = [];
  const seen = new Set([name]);
  let current = name;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
    const answer = await ask(current, 'CNAME');
    // A failed CNAME lookup is recorded; the address lookups below still run at the last name known.
    if (answer.kind !== 'records' || answer.values.length === 0) return { aliases, canonicalName: current };
    const next = normalizeDomain(answer.values[0]);
    aliases.push(next);
    if (seen.has(next)) return { aliases, canonicalName: current, broken: 'CNAME_LOOP' };
    seen.add(next);
    current = next;
  }
  return { aliases, canonicalName: current, broken: 'CNAME_TOO_LONG' };
}

/** The name and its parents, closest first, up to and including the top-level domain. */
export function caaCandidates(name: string): string[] {
  const labels = normalizeDomain(name).replace(/^\*\./, '').split('.').filter(Boolean);
  return labels.map((_, i) => labels.slice(i).join('.'));
}

async function findCaa(name: string, ask: Ask): Promise<CaaLookup> {
  const checked: string[] = [];
  for (const candidate of caaCandidates(name)) {
    checked.push(candidate);
    const answer = await ask(candidate, 'CAA');
    if (answer.kind === 'error') return { kind: 'error', owner: candidate, code: answer.code, message: answer.message };
    if (answer.kind === 'records' && answer.values.length) {
      const records = answer.values.map(parseCaaRecord).filter((r): r is CaaRecord => r !== undefined);
      return { kind: 'found', owner: candidate, records, ttl: answer.ttl };
    }
  }
  return { kind: 'none', checked };
}

/** The addresses of an answer, or none when it is not a record answer. */
export function addressesOf(answer: DnsAnswer): string[] {
  return answer.kind === 'records' ? answer.values : [];
}
