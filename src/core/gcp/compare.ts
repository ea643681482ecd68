// Compares what we asked Google to create with what exists, so that a repeated insert that meets
// "already exists" can tell "this is ours, done" from "someone else's, with other settings".
import { normalizeRef } from './refs';

const REFERENCE_PATTERN = /(^https?:\/\/)|(^(projects\/[^/]+\/)?(global|regions|zones)\/)/;

function looksLikeReference(value: string): boolean {
  return REFERENCE_PATTERN.test(value);
}

/** Fields Google fills in or changes by itself; never a difference. */
const SERVER_FIELDS = new Set(['id', 'kind', 'selfLink', 'creationTimestamp', 'fingerprint', 'status', 'region', 'selfLinkWithId']);

/** Field path → the value Google documents for it when it is not set. */
export type Defaults = Readonly<Record<string, unknown>>;

/**
 * Google's documented defaults, by Compute collection: a resource whose creator did not send one of
 * these fields (gcloud, Terraform or the console often do not, and Google often does not echo it)
 * holds the default, so "absent" and the default are the same setting.
 */
export const GOOGLE_DEFAULTS: Readonly<Record<string, Defaults>> = {
  addresses: { ipVersion: 'IPV4', addressType: 'EXTERNAL', networkTier: 'PREMIUM' },
  // Serverless NEG backends ignore port name and timeout; gcloud still sends its defaults (http, 30 s).
  backendServices: {
    loadBalancingScheme: 'EXTERNAL',
    protocol: 'HTTP',
    enableCDN: false,
    portName: 'http',
    timeoutSec: 30,
    sessionAffinity: 'NONE',
  },
  forwardingRules: { IPProtocol: 'TCP', loadBalancingScheme: 'EXTERNAL', networkTier: 'PREMIUM' },
  urlMaps: {
    'defaultUrlRedirect.httpsRedirect': false,
    'defaultUrlRedirect.stripQuery': false,
    'defaultUrlRedirect.redirectResponseCode': 'MOVED_PERMANENTLY_DEFAULT',
  },
  targetHttpsProxies: { quicOverride: 'NONE' },
  sslCertificates: { type: 'SELF_MANAGED' },
  networkEndpointGroups: { networkEndpointType: 'GCE_VM_IP_PORT' },
};

/** `443` and `443-443` are the same port range (gcloud sends the first, Google answers with the second). */
function portRange(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? `${value}-${value}` : value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields of `wanted` whose value differs in `actual`, as readable lines. Arrays compare as
 * sets of their normalised items (Google may reorder); references compare by path; a field absent
 * from `actual` holds its default from `defaults` (by path), when there is one.
 */
export function differences(wanted: unknown, actual: unknown, project: string, at = '', defaults: Defaults = {}): string[] {
  if (wanted === undefined || wanted === null) return [];
  if ((actual === undefined || actual === null) && at in defaults) actual = defaults[at];
  if (at === 'portRange') return same(portRange(wanted), portRange(actual)) ? [] : [describe(at, wanted, actual)];
  if (typeof wanted === 'string' && typeof actual === 'string' && looksLikeReference(wanted)) {
    return normalizeRef(wanted, project) === normalizeRef(actual, project) ? [] : [describe(at, wanted, actual)];
  }
  if (Array.isArray(wanted)) {
    const have = Array.isArray(actual) ? actual : [];
    const missing = wanted.filter((w) => !have.some((a) => differences(w, a, project).length === 0));
    return missing.length ? [describe(at, wanted, actual)] : [];
  }
  if (typeof wanted === 'object') {
    const have = (actual && typeof actual === 'object' ? actual : {}) as Record<string, unknown>;
    return Object.entries(wanted as Record<string, unknown>).flatMap(([key, value]) =>
      !at && SERVER_FIELDS.has(key) ? [] : differences(value, have[key], project, at ? `${at}.${key}` : key, defaults),
    );
  }
  return wanted === actual ? [] : [describe(at, wanted, actual)];
}

function describe(at: string, wanted: unknown, actual: unknown): string {
  const show = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));
  return `${at || 'value'} is ${show(actual)}, wanted ${show(wanted)}`;
}
