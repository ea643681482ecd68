// Compute references arrive as full URLs (any host: Google, an endpoint override, the emulator) or as
// partial paths (`projects/P/global/…`, `global/…`, `regions/R/…`, `zones/Z/…`). Google treats them all
// as the same resource, so they are compared by their path after `/compute/<version>/`, with the
// project filled in: `projects/P/global/backendServices/web`.

/** Where a Compute resource lives. */
export type RefScope = { kind: 'global' } | { kind: 'region'; region: string } | { kind: 'zone'; zone: string };

export interface ParsedRef {
  /** Normalised path, `projects/P/<scope>/<collection>/<name>`; the id used everywhere in the topology. */
  path: string;
  project: string;
  scope: RefScope;
  /** Compute collection, e.g. `backendServices`, `networkEndpointGroups`, `targetTcpProxies`. */
  collection: string;
  name: string;
}

const computeVersionPath = /\/compute\/(?:v1|beta|alpha)\/(.*)$/;
const urlWithHost = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/]*\/?(.*)$/i;

/** The path of a reference without host, API version, query, or surrounding slashes. */
function stripToPath(ref: string): string {
  let text = ref.trim().replace(/[?#].*$/, '');
  const compute = computeVersionPath.exec(text);
  if (compute) {
    text = compute[1];
  } else {
    const url = urlWithHost.exec(text);
    // Non-Compute APIs (Certificate Manager) put their own version first: `…/v1/projects/…`.
    if (url) text = url[1].replace(/^v\d[a-z0-9]*\//, '');
  }
  return text.replace(/^\/+|\/+$/g, '');
}

/**
 * The normalised form of any reference: `projects/P/…` for Compute paths (P from `defaultProject`
 * when the reference is partial). References that are not Compute paths (a PSC target such as
 * `all-apis`, a Certificate Manager name) come back stripped of host and version but otherwise as given.
 */
export function normalizeRef(ref: string | null | undefined, defaultProject: string): string | undefined {
  if (ref == null || ref.trim() === '') return undefined;
  const path = stripToPath(ref);
  if (/^(global|regions|zones)(\/|$)/.test(path)) return `projects/${defaultProject}/${path}`;
  return path;
}

/** Parses a Compute reference; undefined when it is not one (wrong shape or not a Compute path). */
export function parseRef(ref: string | null | undefined, defaultProject: string): ParsedRef | undefined {
  const path = normalizeRef(ref, defaultProject);
  if (!path) return undefined;
  const parts = path.split('/');
  if (parts[0] !== 'projects' || !parts[1]) return undefined;
  const project = parts[1];
  if (parts[2] === 'global' && parts.length === 5) {
    return { path, project, scope: { kind: 'global' }, collection: parts[3], name: parts[4] };
  }
  if ((parts[2] === 'regions' || parts[2] === 'zones') && parts.length === 6 && parts[3]) {
    const scope: RefScope = parts[2] === 'regions' ? { kind: 'region', region: parts[3] } : { kind: 'zone', zone: parts[3] };
    return { path, project, scope, collection: parts[4], name: parts[5] };
  }
  // `projects/P/targetHttpsProxies/x` (the setSslCertificates form) has no scope segment: it is global.
  if (parts.length === 4)
    return {
      path: `projects/${project}/global/${parts[2]}/${parts[3]}`,
      project,
      scope: { kind: 'global' },
      collection: parts[2],
      name: parts[3],
    };
  return undefined;
}

/** The id of a reference: its parsed Compute path when it is one, else its normalised text. */
export function refId(ref: string | null | undefined, defaultProject: string): string | undefined {
  return parseRef(ref, defaultProject)?.path ?? normalizeRef(ref, defaultProject);
}

/** True when both references name the same resource, whatever their format. */
export function sameRef(a: string | null | undefined, b: string | null | undefined, defaultProject: string): boolean {
  const left = refId(a, defaultProject);
  return left !== undefined && left === refId(b, defaultProject);
}

/** What follows a reference's last slash, as written: the resource's name (empty for nothing). */
export const lastPart = (ref: unknown): string =>
  String(ref ?? '')
    .split('/')
    .pop() ?? '';

/** The last path segment of a reference (a region or zone URL → its name). */
export function lastSegment(ref: string | null | undefined): string | undefined {
  if (ref == null) return undefined;
  const segments = stripToPath(ref)
    .split('/')
    .filter((s) => s !== '');
  return segments.length ? segments[segments.length - 1] : undefined;
}

interface SelfDescribed {
  name?: string | null;
  selfLink?: string | null;
  region?: string | null;
  zone?: string | null;
}

/**
 * The id of a listed resource: its selfLink normalised, or, for a resource without one, the path its
 * name, scope and collection give.
 */
export function resourceId(resource: SelfDescribed, collection: string, project: string): string {
  const fromSelfLink = parseRef(resource.selfLink, project);
  if (fromSelfLink) return fromSelfLink.path;
  const name = resource.name ?? '';
  if (resource.region) return `projects/${project}/regions/${lastSegment(resource.region)}/${collection}/${name}`;
  if (resource.zone) return `projects/${project}/zones/${lastSegment(resource.zone)}/${collection}/${name}`;
  return `projects/${project}/global/${collection}/${name}`;
}
