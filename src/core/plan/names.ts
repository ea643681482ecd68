// Resource names derived from the service name: RFC 1035, at most 63 characters, stable, and
// distinct for distinct inputs even when a long service name has to be shortened.
import { createHash } from 'crypto';
import type { ResourceNames } from './types';

export const RESOURCE_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const MAX_NAME_LENGTH = 63;

export function isResourceName(name: string): boolean {
  return RESOURCE_NAME_PATTERN.test(name);
}

export function shortHash(text: string, length = 6): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Lower case, invalid characters to hyphens, starting with a letter, no hyphen runs or ends. */
export function sanitizeName(raw: string): string {
  let name = raw
    .toLowerCase()
    .replace(/[^-a-z0-9]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-0-9]+/, '')
    .replace(/-+$/, '');
  if (!name) name = 'service';
  return name;
}

/**
 * `<base><suffix>` within 63 characters. When the base is too long it is cut and tagged with a
 * hash of the whole base, so two long names that share a prefix still get different names.
 */
export function nameWithSuffix(base: string, suffix: string): string {
  const clean = sanitizeName(base);
  const room = MAX_NAME_LENGTH - suffix.length;
  if (clean.length <= room) return `${clean}${suffix}`;
  const tag = `-${shortHash(clean, 4)}`;
  const cut = clean.slice(0, Math.max(1, room - tag.length)).replace(/-+$/, '');
  return `${cut}${tag}${suffix}`;
}

/** The domains as the certificate name's hash sees them: lower case, sorted, without duplicates. */
export function canonicalDomains(domains: readonly string[]): string[] {
  return [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean))].sort();
}

export function negName(service: string, region: string): string {
  return nameWithSuffix(service, `-neg-${region}`);
}

/**
 * Managed certificates cannot be edited, so the name carries a hash of the domains: other domains
 * make another certificate, which the proxy then switches to.
 */
export function certificateName(service: string, domains: readonly string[]): string {
  const list = canonicalDomains(domains);
  return nameWithSuffix(service, list.length ? `-cert-${shortHash(list.join(','))}` : '-cert');
}

export function deriveNames(service: string, scope: { regions?: readonly string[]; domains?: readonly string[] } = {}): ResourceNames {
  const name = (suffix: string) => nameWithSuffix(service, suffix);
  return {
    networkEndpointGroups: Object.fromEntries((scope.regions ?? []).map((region) => [region, negName(service, region)])),
    backendService: name('-backend'),
    urlMap: name('-url-map'),
    certificate: certificateName(service, scope.domains ?? []),
    httpsProxy: name('-https-proxy'),
    address: name('-ip'),
    httpsRule: name('-https-rule'),
    redirectUrlMap: name('-redirect'),
    httpProxy: name('-http-proxy'),
    httpRule: name('-http-rule'),
    ipv6Address: name('-ipv6'),
    ipv6HttpsRule: name('-ipv6-https-rule'),
    ipv6HttpRule: name('-ipv6-http-rule'),
    certificateMap: name('-cert-map'),
  };
}
