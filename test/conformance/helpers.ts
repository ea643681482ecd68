// Small HTTP helpers for talking to the emulator as a Google API client would.
import type { Json } from '../emulator/store';

export interface ApiAnswer { status: number; body: Json; contentType: string | null }

export function apiClient(baseUrl: string, token: string | null = 'test-token') {
  return async function api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(baseUrl + path.replace(/^\//, ''), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, contentType: res.headers.get('content-type') };
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * For a suite that needs gcloud, when it is not installed: skipped on a workstation, but a failure
 * when the CI environment variable is set, where a missing gcloud means the image is broken and a
 * skip would hide that the conformance tests never ran.
 */
export function skipWithoutGcloud(context: Mocha.Context): never {
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0') {
    throw new Error('gcloud is not installed, and CI is set: the gcloud conformance tests must run there. Install the Google Cloud CLI on the CI image (or unset CI to skip them locally).');
  }
  console.log('    (skipped: gcloud is not installed on this machine)');
  context.skip();
}
