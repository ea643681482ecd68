// Google's error bodies. Compute (a "v1 JSON" API) answers { error: { code, message, errors: [{ message, domain, reason }] } };
// Cloud Run (a OnePlatform API) answers { error: { code, message, status, details } } without `errors`.
// Message texts marked "verbatim" were seen in real Google answers; the others follow Google's phrasing.

export type ErrorStyle = 'compute' | 'run';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    readonly extra: {
      domain?: string;
      status?: string;
      details?: unknown[];
      location?: string;
      locationType?: string;
      extendedHelp?: string;
    } = {},
  ) {
    super(message);
  }

  toJson(style: ErrorStyle): unknown {
    if (style === 'run') {
      return {
        error: {
          code: this.code,
          message: this.message,
          status: this.extra.status ?? statusName(this.code),
          ...(this.extra.details ? { details: this.extra.details } : {}),
        },
      };
    }
    const item: Record<string, string> = { message: this.message, domain: this.extra.domain ?? 'global', reason: this.reason };
    if (this.extra.location) item.location = this.extra.location;
    if (this.extra.locationType) item.locationType = this.extra.locationType;
    if (this.extra.extendedHelp) item.extendedHelp = this.extra.extendedHelp;
    const body: Record<string, unknown> = { code: this.code, message: this.message, errors: [item] };
    if (this.extra.status) body.status = this.extra.status;
    if (this.extra.details) body.details = this.extra.details;
    return { error: body };
  }
}

export function statusName(code: number): string {
  switch (code) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ALREADY_EXISTS';
    case 412:
      return 'FAILED_PRECONDITION';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return code >= 500 ? 'INTERNAL' : 'UNKNOWN';
  }
}

/** The reason Compute puts in errors[0] for a status, when a fault names none. */
export function defaultReason(code: number): string {
  switch (code) {
    case 400:
      return 'invalid';
    case 401:
      return 'required';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'alreadyExists';
    case 412:
      return 'conditionNotMet';
    case 429:
      return 'rateLimitExceeded';
    case 503:
      return 'backendError';
    default:
      return code >= 500 ? 'backendError' : 'invalid';
  }
}

export const httpStatusText: Record<number, string> = {
  400: 'BAD REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION FAILED',
  429: 'TOO MANY REQUESTS',
  500: 'INTERNAL SERVER ERROR',
  503: 'SERVICE UNAVAILABLE',
};

// Verbatim (Google's answer to a request without credentials).
export const unauthenticated = (): ApiError =>
  new ApiError(
    401,
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'required',
    {
      status: 'UNAUTHENTICATED',
      location: 'Authorization',
      locationType: 'header',
    },
  );

// Verbatim: "The resource 'projects/p/global/backendServices/x' was not found".
export const notFound = (path: string): ApiError => new ApiError(404, `The resource '${path}' was not found`, 'notFound');

// Verbatim: "The resource 'projects/p/global/addresses/x' already exists".
export const alreadyExists = (path: string): ApiError => new ApiError(409, `The resource '${path}' already exists`, 'alreadyExists');

// Verbatim format: "Invalid value for field 'resource.timeoutSec': '120'. Timeout sec is not supported for …".
export const invalidField = (field: string, value: unknown, why: string): ApiError =>
  new ApiError(
    400,
    `Invalid value for field '${field}': '${value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)}'. ${why}`,
    'invalid',
  );

export const invalidName = (name: unknown): ApiError =>
  invalidField('resource.name', name, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");

// Verbatim format: "The backend_service resource 'projects/p/global/backendServices/x' is already being used by 'projects/p/global/urlMaps/y'".
export const inUse = (singular: string, path: string, user: string): ApiError =>
  new ApiError(400, `The ${singular} resource '${path}' is already being used by '${user}'`, 'resourceInUseByAnotherResource');

// Verbatim: backend services and URL maps answer a stale fingerprint with "Invalid fingerprint." (412 conditionNotMet).
export const staleFingerprint = (): ApiError => new ApiError(412, 'Invalid fingerprint.', 'conditionNotMet');

// Verbatim from "… does not contain a rule at priority 0." (patchRule of a missing priority, 400 invalid); what comes before
// it in Google's text was not seen, so the policy is named here the way the other errors name a resource.
export const ruleNotFound = (policyPath: string, priority: number): ApiError =>
  invalidField('priority', String(priority), `The security policy '${policyPath}' does not contain a rule at priority ${priority}.`);

export const resourceNotReady = (path: string): ApiError => new ApiError(400, `The resource '${path}' is not ready`, 'resourceNotReady');

// Verbatim: "Required 'compute.backendServices.create' permission for 'projects/p/global/backendServices/x'".
export const computeForbidden = (permission: string, path: string): ApiError =>
  new ApiError(403, `Required '${permission}' permission for '${path}'`, 'forbidden');

export const backendError = (): ApiError =>
  new ApiError(503, 'The service is currently unavailable.', 'backendError', { status: 'UNAVAILABLE' });

/** 403 for an API that is off in the project, as Compute and Run word it (verbatim apart from the numbers). */
export function apiDisabled(api: 'compute' | 'run' | 'dns' | 'certificatemanager', projectNumber: string): ApiError {
  const service = `${api}.googleapis.com`;
  const title = {
    compute: 'Compute Engine API',
    run: 'Cloud Run Admin API',
    dns: 'Cloud DNS API',
    certificatemanager: 'Certificate Manager API',
  }[api];
  const activationUrl = `https://console.developers.google.com/apis/api/${service}/overview?project=${projectNumber}`;
  const message = `${title} has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  const details = [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'SERVICE_DISABLED',
      domain: 'googleapis.com',
      metadata: { service, consumer: `projects/${projectNumber}`, activationUrl, serviceTitle: title, containerInfo: projectNumber },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [{ description: 'Google developers console API activation', url: activationUrl }],
    },
  ];
  return new ApiError(403, message, 'accessNotConfigured', {
    domain: 'usageLimits',
    status: 'PERMISSION_DENIED',
    details,
    extendedHelp: activationUrl,
  });
}

/** Cloud Run's (OnePlatform's) answer for a permission the caller lacks or a resource that may not exist. */
export const runPermissionDenied = (permission: string, resource: string): ApiError =>
  new ApiError(403, `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`, 'forbidden', {
    status: 'PERMISSION_DENIED',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'IAM_PERMISSION_DENIED',
        domain: 'run.googleapis.com',
        metadata: { permission, resource },
      },
    ],
  });

/**
 * IAM's answer to a setIamPolicy whose etag is not the current one (409 ABORTED): someone else changed the policy
 * since it was read. The text is the one Google's IAM policies answer with.
 */
export const iamConcurrentChange = (): ApiError =>
  new ApiError(409, 'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.', 'aborted', {
    status: 'ABORTED',
  });

// Verbatim: the organisation policy constraints/iam.allowedPolicyMemberDomains (domain-restricted sharing) refusing a
// policy that names allUsers or allAuthenticatedUsers.
export const DOMAIN_RESTRICTED_SHARING_TEXT = 'One or more users named in the policy do not belong to a permitted customer.';

export const domainRestrictedSharing = (member: string): ApiError =>
  new ApiError(400, DOMAIN_RESTRICTED_SHARING_TEXT, 'failedPrecondition', {
    status: 'FAILED_PRECONDITION',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
        violations: [{ type: 'constraints/iam.allowedPolicyMemberDomains', subject: member, description: DOMAIN_RESTRICTED_SHARING_TEXT }],
      },
    ],
  });
