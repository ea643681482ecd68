// Recognising a CDN or proxy in front of a domain, for the hint on "DNS points elsewhere": Google's
// validators then see the proxy, not the load balancer.

interface Cidr {
  provider: string;
  base: number;
  bits: number;
}

/** Published IPv4 ranges of common proxies/CDNs (Cloudflare's full list; Fastly's main range). */
const RANGES: Cidr[] = [
  ...[
    '173.245.48.0/20',
    '103.21.244.0/22',
    '103.22.200.0/22',
    '103.31.4.0/22',
    '141.101.64.0/18',
    '108.162.192.0/18',
    '190.93.240.0/20',
    '188.114.96.0/20',
    '197.234.240.0/22',
    '198.41.128.0/17',
    '162.158.0.0/15',
    '104.16.0.0/13',
    '104.24.0.0/14',
    '172.64.0.0/13',
    '131.0.72.0/22',
  ].map((cidr) => parseCidr('Cloudflare', cidr)),
  parseCidr('Fastly', '151.101.0.0/16'),
];

/** Alias targets that mean a CDN answers for the name. */
const CNAME_SUFFIXES: { suffix: string; provider: string }[] = [
  { suffix: '.cdn.cloudflare.net', provider: 'Cloudflare' },
  { suffix: '.cloudfront.net', provider: 'Amazon CloudFront' },
  { suffix: '.fastly.net', provider: 'Fastly' },
  { suffix: '.akamaiedge.net', provider: 'Akamai' },
  { suffix: '.edgekey.net', provider: 'Akamai' },
  { suffix: '.edgesuite.net', provider: 'Akamai' },
  { suffix: '.azureedge.net', provider: 'Azure CDN' },
  { suffix: '.azurefd.net', provider: 'Azure Front Door' },
  { suffix: '.b-cdn.net', provider: 'Bunny CDN' },
  { suffix: '.netlify.app', provider: 'Netlify' },
  { suffix: '.vercel-dns.com', provider: 'Vercel' },
];

function parseCidr(provider: string, cidr: string): Cidr {
  const [ip, bits] = cidr.split('/');
  return { provider, base: ipv4ToNumber(ip) ?? 0, bits: Number(bits) };
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

/** The provider whose published range holds `ip`, if any. */
export function cdnForAddress(ip: string): string | undefined {
  const value = ipv4ToNumber(ip);
  if (value === undefined) return undefined;
  for (const range of RANGES) {
    const size = 2 ** (32 - range.bits);
    if (value >= range.base && value < range.base + size) return range.provider;
  }
  return undefined;
}

/** The provider a CNAME target belongs to, if it is a known CDN. */
export function cdnForAlias(name: string): string | undefined {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return CNAME_SUFFIXES.find((entry) => lower.endsWith(entry.suffix))?.provider;
}
