// References between Compute resources: accepted in every spelling Google accepts, stored canonically,
// answered with the caller's own origin (as Google answers with its own host).
import { CANONICAL_ORIGIN, type Collection, type Json } from './store';

const VERSIONED = /\/compute\/(?:v1|beta|alpha)\//;

/**
 * The canonical path (projects/P/…) of a reference given as a full URL (any host), a partial path
 * (projects/P/…, global/…, regions/R/…), or a bare name of the expected collection.
 */
export function refPath(value: unknown, project: string, expected?: { collection: Collection; region?: string }): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  let v = value.trim().replace(/\/+$/, '');
  const m = VERSIONED.exec(v);
  if (m) v = v.slice(m.index + m[0].length);
  else if (/^https?:\/\//.test(v)) return undefined; // a URL outside Compute (e.g. certificate manager) is no Compute reference
  if (v.startsWith('projects/')) return v;
  if (v.startsWith('global/') || v.startsWith('regions/') || v.startsWith('zones/')) return `projects/${project}/${v}`;
  if (!v.includes('/') && expected) {
    return expected.region
      ? `projects/${project}/regions/${expected.region}/${expected.collection}/${v}`
      : `projects/${project}/global/${expected.collection}/${v}`;
  }
  return undefined;
}

export const canonicalUrl = (path: string): string => CANONICAL_ORIGIN + path;

export interface ParsedPath {
  project: string;
  scope: string;
  collection: string;
  name: string;
}

export function parsePath(path: string): ParsedPath | undefined {
  const m = /^projects\/([^/]+)\/(global|regions\/[^/]+|zones\/[^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? { project: m[1], scope: m[2], collection: m[3], name: m[4] } : undefined;
}

/** Rewrites every stored Google URL to the caller's origin, deep. */
export function withOrigin<T>(value: T, origin: string): T {
  const base = origin + 'compute/v1/';
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.startsWith(CANONICAL_ORIGIN) ? base + v.slice(CANONICAL_ORIGIN.length) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Json = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
