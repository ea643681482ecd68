// Compares what we asked Google to create with what exists, so that a repeated insert that meets
// "already exists" can tell "this is ours, done" from "someone else's, with other settings".
import { normalizeRef } from './refs';

const REFERENCE_PATTERN = /(^https?:\/\/)|(^(projects\/[^/]+\/)?(global|regions|zones)\/)/;

function looksLikeReference(value: string): boolean {
  return REFERENCE_PATTERN.test(value);
}

/** Fields Google fills in or changes by itself; never a difference. */
const SERVER_FIELDS = new Set(['id', 'kind', 'selfLink', 'creationTimestamp', 'fingerprint', 'status', 'region', 'selfLinkWithId']);

/**
 * The fields of `wanted` whose value differs in `actual`, as readable lines. Arrays compare as
 * sets of their normalised items (Google may reorder); references compare by path.
 */
export function differences(wanted: unknown, actual: unknown, project: string, at = ''): string[] {
  if (wanted === undefined || wanted === null) return [];
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
      !at && SERVER_FIELDS.has(key) ? [] : differences(value, have[key], project, at ? `${at}.${key}` : key),
    );
  }
  return wanted === actual ? [] : [describe(at, wanted, actual)];
}

function describe(at: string, wanted: unknown, actual: unknown): string {
  const show = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));
  return `${at || 'value'} is ${show(actual)}, wanted ${show(wanted)}`;
}
