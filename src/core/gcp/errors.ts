// One error type for everything that comes back from Google (or fails on the way there),
// with a kind the rest of the extension can branch on and a message a user can act on.

export type CloudErrorKind =
  | 'notFound'
  | 'alreadyExists'
  | 'permission'
  | 'apiDisabled'
  | 'quota'
  | 'invalid'
  | 'inUse'
  | 'conflict'
  | 'unauthenticated'
  | 'transient'
  | 'cancelled'
  | 'unknown';

export interface CloudErrorDetails {
  kind: CloudErrorKind;
  /** What we were doing, e.g. `create backend service "web-backend"`. */
  action?: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Google's machine-readable reason, e.g. `resourceInUseByAnotherResource`. */
  reason?: string;
  /** Google's own words, kept for the log. */
  googleMessage?: string;
  /** What the user can do about it. */
  remedy?: string;
  /** Set for permission errors: the IAM permission that was missing. */
  permission?: string;
  /** Set for disabled-API errors, e.g. `compute.googleapis.com`. */
  api?: string;
  cause?: unknown;
}

export class CloudError extends Error {
  readonly kind: CloudErrorKind;
  readonly action?: string;
  readonly status?: number;
  readonly reason?: string;
  readonly googleMessage?: string;
  readonly remedy?: string;
  readonly permission?: string;
  readonly api?: string;

  constructor(summary: string, details: CloudErrorDetails) {
    super(details.remedy ? `${summary} ${details.remedy}` : summary, { cause: details.cause });
    this.name = 'CloudError';
    this.kind = details.kind;
    this.action = details.action;
    this.status = details.status;
    this.reason = details.reason;
    this.googleMessage = details.googleMessage;
    this.remedy = details.remedy;
    this.permission = details.permission;
    this.api = details.api;
  }

  /** Worth another try for a request that is safe to repeat. */
  get retryable(): boolean {
    return this.kind === 'transient' || (this.kind === 'quota' && this.status === 429);
  }
}

export function isCancellation(err: unknown): boolean {
  if (err instanceof CloudError) return err.kind === 'cancelled';
  const e = err as { name?: string; code?: string } | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const API_TITLES: Record<string, string> = {
  'compute.googleapis.com': 'Compute Engine API',
  'run.googleapis.com': 'Cloud Run Admin API',
  'certificatemanager.googleapis.com': 'Certificate Manager API',
  'cloudresourcemanager.googleapis.com': 'Cloud Resource Manager API',
  'dns.googleapis.com': 'Cloud DNS API',
};

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  errors?: { reason?: string; message?: string }[];
  details?: { '@type'?: string; reason?: string; metadata?: Record<string, string> }[];
}

/** Google's error body, from a GaxiosError's response or from a message that is raw JSON (Run). */
function googleErrorBody(err: Record<string, unknown>): GoogleErrorBody | undefined {
  const response = err.response as { data?: unknown } | undefined;
  let data = response?.data;
  if (typeof data === 'string') data = tryJson(data);
  if (data && typeof data === 'object' && 'error' in data) return (data as { error: GoogleErrorBody }).error;
  const fromMessage = typeof err.message === 'string' ? tryJson(err.message) : undefined;
  if (fromMessage && typeof fromMessage === 'object' && 'error' in fromMessage) return (fromMessage as { error: GoogleErrorBody }).error;
  return undefined;
}

function tryJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/**
 * A request that ran out of time: a TimeoutError anywhere in the chain, or an AbortError wrapped by
 * the HTTP client (its own timeout). A bare AbortError is the user cancelling.
 */
function timedOut(err: unknown): boolean {
  for (let e = err as { name?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.name === 'TimeoutError' || (depth > 0 && e.name === 'AbortError')) return true;
  }
  return false;
}

/** The first network error code found on an error or its causes (fetch nests them). */
function networkCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  }
  const message = String((err as { message?: unknown })?.message ?? '');
  if (/socket hang up|other side closed|fetch failed/i.test(message)) return 'ECONNRESET';
  return undefined;
}

export interface ErrorContext {
  action?: string;
  project?: string;
  /** Root URL requests went to, for "cannot reach" messages. */
  endpoint?: string;
}

/** Maps anything thrown by googleapis, gaxios, google-auth-library or fetch to a CloudError. */
export function toCloudError(err: unknown, context: ErrorContext = {}): CloudError {
  if (err instanceof CloudError) return err;
  const action = context.action;
  const lead = action ? `Could not ${action}:` : 'Google Cloud request failed:';
  if (isCancellation(err))
    return new CloudError(action ? `Cancelled: ${action}.` : 'Cancelled.', { kind: 'cancelled', action, cause: err });

  const e = (err ?? {}) as Record<string, unknown>;
  const body = googleErrorBody(e);
  const status = Number((e.response as { status?: number } | undefined)?.status ?? e.status ?? body?.code) || undefined;
  const reason = body?.errors?.[0]?.reason ?? body?.details?.find((d) => d.reason)?.reason ?? body?.status;
  const googleMessage = body?.message ?? body?.errors?.[0]?.message ?? (typeof e.message === 'string' ? e.message : String(err));
  const base = { action, status, reason, googleMessage, cause: err };

  if (!body && !status) {
    if (timedOut(err)) {
      return new CloudError(`${lead} ${context.endpoint ?? 'Google Cloud'} did not answer in time.`, {
        ...base,
        kind: 'transient',
        remedy: 'This is usually temporary; try again.',
      });
    }
    const code = networkCode(err);
    if (code) {
      const where = context.endpoint ?? 'Google Cloud';
      return new CloudError(`${lead} the connection to ${where} failed (${code}).`, {
        ...base,
        kind: 'transient',
        remedy: context.endpoint
          ? 'Check that the endpoint is running and reachable, then try again.'
          : 'Check your network connection and try again.',
      });
    }
    if (/could not load the default credentials|Unable to detect a Project Id|invalid_grant|reauth/i.test(googleMessage)) {
      return new CloudError(`${lead} no usable Google Cloud credentials were found.`, {
        ...base,
        kind: 'unauthenticated',
        remedy: 'Run `gcloud auth application-default login` in a terminal, then refresh.',
      });
    }
    return new CloudError(`${lead} ${googleMessage}`, { ...base, kind: 'unknown' });
  }

  const say = (kind: CloudErrorKind, sentence: string, extra: Partial<CloudErrorDetails> = {}) =>
    new CloudError(`${lead} ${sentence}`, { ...base, kind, ...extra });

  if (
    reason === 'accessNotConfigured' ||
    reason === 'SERVICE_DISABLED' ||
    /has not been used in project|it is disabled/i.test(googleMessage)
  ) {
    const api =
      body?.details?.find((d) => d.metadata?.service)?.metadata?.service ??
      googleMessage.match(/apis\/api\/([a-z0-9.-]+\.googleapis\.com)/)?.[1] ??
      googleMessage.match(/([a-z0-9-]+\.googleapis\.com)/)?.[1];
    const project =
      body?.details?.find((d) => d.metadata?.consumer)?.metadata?.consumer?.replace(/^projects\//, '') ??
      googleMessage.match(/project (\S+?) before/)?.[1] ??
      context.project;
    const title = (api && API_TITLES[api]) ?? api ?? 'A required API';
    return say('apiDisabled', `the ${title} is not enabled in project ${project ?? '(unknown)'}.`, {
      api,
      remedy: `Enable it with \`gcloud services enable ${api ?? 'API_NAME'}${project ? ` --project=${context.project ?? project}` : ''}\`, wait a minute, then try again.`,
    });
  }
  if (status === 401 || reason === 'UNAUTHENTICATED' || reason === 'authError') {
    return say('unauthenticated', 'your credentials were rejected or have expired.', {
      remedy: 'Run `gcloud auth application-default login`, then refresh.',
    });
  }
  if (
    reason === 'quotaExceeded' ||
    reason === 'rateLimitExceeded' ||
    reason === 'userRateLimitExceeded' ||
    reason === 'RESOURCE_EXHAUSTED' ||
    status === 429
  ) {
    const quota = googleMessage.match(/Quota '([^']+)' exceeded\.?\s*(Limit: [^.]+(?:\.\d+)?[^.]*)?/);
    if (quota) {
      return say('quota', `quota ${quota[1]} is used up${quota[2] ? ` (${quota[2].replace(/\.0\b/, '').trim()})` : ''}.`, {
        remedy: `Delete resources you no longer need, or request more at https://console.cloud.google.com/iam-admin/quotas${context.project ? `?project=${context.project}` : ''}.`,
      });
    }
    return say('quota', 'Google is limiting the request rate.', { remedy: 'Wait a minute and try again.' });
  }
  if (status === 403 || reason === 'forbidden' || reason === 'PERMISSION_DENIED' || reason === 'IAM_PERMISSION_DENIED') {
    const permission =
      googleMessage.match(/Required '([a-z0-9.]+)' permission/i)?.[1] ??
      googleMessage.match(/Permission '([a-z0-9.]+)' denied/i)?.[1] ??
      googleMessage.match(/\b((?:compute|run|iam|resourcemanager|certificatemanager|dns)\.[a-zA-Z]+\.[a-zA-Z]+)\b/)?.[1];
    const on = googleMessage.match(/permission for '([^']+)'/)?.[1] ?? googleMessage.match(/on resource '([^']+)'/)?.[1];
    const role = permission?.startsWith('run.')
      ? 'roles/run.admin'
      : permission?.startsWith('dns.')
        ? 'roles/dns.admin'
        : permission?.startsWith('certificatemanager.')
          ? 'roles/certificatemanager.editor'
          : 'roles/compute.loadBalancerAdmin';
    return say(
      'permission',
      permission ? `you lack the permission ${permission}${on ? ` on ${on}` : ''}.` : `permission denied (${googleMessage}).`,
      {
        permission,
        remedy: permission
          ? `Ask a project owner to grant you a role that includes it (for example ${role}), or switch to an account that has it.`
          : 'Ask a project owner for access, or switch to an account that has it.',
      },
    );
  }
  if (reason === 'resourceInUseByAnotherResource') {
    const user = googleMessage.match(/already being used by '([^']+)'/)?.[1];
    return say('inUse', user ? `it is still used by ${user}.` : googleMessage, { remedy: 'Delete or detach what uses it first.' });
  }
  // Certificate Manager refuses to delete what another resource uses with FAILED_PRECONDITION.
  if (reason === 'FAILED_PRECONDITION' && /referenced by|used by|still has/i.test(googleMessage)) {
    return say('inUse', googleMessage, { remedy: 'Delete or detach what uses it first.' });
  }
  if (status === 409 || reason === 'alreadyExists' || reason === 'ALREADY_EXISTS') return say('alreadyExists', googleMessage);
  if (status === 404 || reason === 'notFound' || reason === 'NOT_FOUND') return say('notFound', googleMessage);
  if (status === 412 || reason === 'conditionNotMet' || reason === 'FAILED_PRECONDITION' || reason === 'resourceNotReady') {
    return say('conflict', googleMessage, { remedy: 'It changed while we worked on it; refresh and try again.' });
  }
  if (status !== undefined && status >= 500) {
    return say('transient', `Google answered ${status} (${googleMessage}).`, { remedy: 'This is usually temporary; try again.' });
  }
  if (status === 400 || reason === 'invalid' || reason === 'badRequest' || reason === 'INVALID_ARGUMENT' || reason === 'required')
    return say('invalid', googleMessage);
  return say('unknown', googleMessage);
}
