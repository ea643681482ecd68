import assert from 'node:assert/strict';
import { CloudError, toCloudError } from '../../src/core/gcp/errors';

/** A GaxiosError-like value with Google's JSON error body. */
function googleError(status: number, reason: string, message: string, details?: unknown[]) {
  return Object.assign(new Error(message), {
    status,
    response: {
      status,
      data: { error: { code: status, message, errors: [{ reason, message, domain: 'global' }], ...(details ? { details } : {}) } },
    },
  });
}

describe('toCloudError', () => {
  it('names the missing permission and a role that has it', () => {
    const err = toCloudError(
      googleError(403, 'forbidden', "Required 'compute.backendServices.create' permission for 'projects/p/global/backendServices/web'"),
      { action: 'create backend service "web"' },
    );
    assert.equal(err.kind, 'permission');
    assert.equal(err.permission, 'compute.backendServices.create');
    assert.match(
      err.message,
      /^Could not create backend service "web": you lack the permission compute\.backendServices\.create on projects\/p\/global\/backendServices\/web\./,
    );
    assert.match(err.message, /roles\/compute\.loadBalancerAdmin/);
  });

  it('names a disabled API with the gcloud line that enables it', () => {
    const message =
      'Compute Engine API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/compute.googleapis.com/overview?project=123456789012 then retry.';
    const err = toCloudError(googleError(403, 'accessNotConfigured', message), { project: 'demo-project' });
    assert.equal(err.kind, 'apiDisabled');
    assert.equal(err.api, 'compute.googleapis.com');
    assert.match(err.message, /Compute Engine API is not enabled in project 123456789012/);
    assert.match(err.message, /gcloud services enable compute\.googleapis\.com --project=demo-project/);
  });

  it('reads the API from google.rpc.ErrorInfo (Cloud Run style), even when the body is the message', () => {
    const body = {
      error: {
        code: 403,
        status: 'PERMISSION_DENIED',
        message: 'Cloud Run Admin API has not been used in project 42 before or it is disabled.',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'SERVICE_DISABLED',
            metadata: { service: 'run.googleapis.com', consumer: 'projects/42' },
          },
        ],
      },
    };
    const err = toCloudError(Object.assign(new Error(JSON.stringify(body)), { code: 403 }));
    assert.equal(err.kind, 'apiDisabled');
    assert.equal(err.api, 'run.googleapis.com');
    assert.match(err.message, /Cloud Run Admin API is not enabled in project 42/);
  });

  it('names the exhausted quota and its limit', () => {
    const err = toCloudError(googleError(403, 'quotaExceeded', "Quota 'BACKEND_SERVICES' exceeded.  Limit: 5.0 globally."), {
      project: 'p1',
    });
    assert.equal(err.kind, 'quota');
    assert.match(err.message, /quota BACKEND_SERVICES is used up \(Limit: 5 globally\)/);
    assert.match(err.message, /iam-admin\/quotas\?project=p1/);
    assert.equal(err.retryable, false);
  });

  it('treats 429 rate limits as quota that is worth retrying', () => {
    const err = toCloudError(googleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded'));
    assert.equal(err.kind, 'quota');
    assert.equal(err.retryable, true);
  });

  const byReason: [number, string, string][] = [
    [404, 'notFound', 'notFound'],
    [409, 'alreadyExists', 'alreadyExists'],
    [400, 'resourceInUseByAnotherResource', 'inUse'],
    [412, 'conditionNotMet', 'conflict'],
    [400, 'invalid', 'invalid'],
    [401, 'authError', 'unauthenticated'],
    [503, 'backendError', 'transient'],
    [500, 'internalError', 'transient'],
  ];
  for (const [status, reason, kind] of byReason) {
    it(`maps ${status} ${reason} to ${kind}`, () => {
      const err = toCloudError(googleError(status, reason, `message for ${reason}`));
      assert.equal(err.kind, kind);
      assert.equal(err.status, status);
      assert.equal(err.reason, reason);
    });
  }

  it('says which resource holds one that is in use', () => {
    const err = toCloudError(
      googleError(
        400,
        'resourceInUseByAnotherResource',
        "The backend_service resource 'projects/p/global/backendServices/web' is already being used by 'projects/p/global/urlMaps/web-map'",
      ),
    );
    assert.match(err.message, /still used by projects\/p\/global\/urlMaps\/web-map/);
  });

  it('maps connection failures (nested causes, as fetch reports them) to transient, naming the endpoint', () => {
    const err = toCloudError(
      Object.assign(new Error('request failed'), { cause: Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }) }),
      { endpoint: 'http://127.0.0.1:9/' },
    );
    assert.equal(err.kind, 'transient');
    assert.match(err.message, /connection to http:\/\/127\.0\.0\.1:9\/ failed \(ECONNRESET\)/);
  });

  it('tells how to sign in when there are no credentials', () => {
    const err = toCloudError(
      new Error(
        'Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.',
      ),
    );
    assert.equal(err.kind, 'unauthenticated');
    assert.match(err.message, /gcloud auth application-default login/);
  });

  it("maps the HTTP client's own timeout (an AbortError it wraps) to transient, not to a cancellation", () => {
    const timeout = Object.assign(new Error('The operation was aborted.'), {
      name: 'GaxiosError',
      cause: Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }),
    });
    const err = toCloudError(timeout, { action: 'wait for create URL map "m"', endpoint: 'http://127.0.0.1:9/' });
    assert.equal(err.kind, 'transient');
    assert.equal(err.retryable, true);
    assert.match(err.message, /^Could not wait for create URL map "m": http:\/\/127\.0\.0\.1:9\/ did not answer in time\./);
    assert.equal(toCloudError(Object.assign(new Error('timeout'), { name: 'TimeoutError' })).kind, 'transient');
  });

  it('maps an AbortError to a cancellation', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    assert.equal(toCloudError(abort).kind, 'cancelled');
  });

  it('passes a CloudError through unchanged', () => {
    const original = new CloudError('x', { kind: 'invalid' });
    assert.equal(toCloudError(original), original);
  });
});
