// DNS lookups for the diagnostics: a resolver interface, Node's implementation, a TTL cache, and the
// per-domain inspection (CNAME chain, A, AAAA, applicable CAA). No vscode here.
export * from './types';
export * from './servers';
export * from './caa';
export * from './cache';
export * from './inspect';
export { NodeDnsResolver } from './nodeResolver';
export type { NodeDnsResolverOptions } from './nodeResolver';
import { CachingDnsResolver, type DnsCacheOptions } from './cache';
import { NodeDnsResolver, type NodeDnsResolverOptions } from './nodeResolver';

/** The resolver the extension uses: Node's, with the given servers, behind the TTL cache. */
export function createDnsResolver(options: NodeDnsResolverOptions & DnsCacheOptions = {}): CachingDnsResolver {
  return new CachingDnsResolver(new NodeDnsResolver(options), options);
}
