// The resolver the extension uses: Node's, with the given servers, behind the TTL cache.
import { CachingDnsResolver, type DnsCacheOptions } from './cache';
import { NodeDnsResolver, type NodeDnsResolverOptions } from './nodeResolver';

export function createDnsResolver(options: NodeDnsResolverOptions & DnsCacheOptions = {}): CachingDnsResolver {
  return new CachingDnsResolver(new NodeDnsResolver(options), options);
}
