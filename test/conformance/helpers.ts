// Small helpers for talking to the emulator as a Google API client would: raw HTTP, and the real gcloud.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as os from 'node:os';
import { GcpConnection } from '../../src/gcp/connection';
import type { Emulator } from '../emulator';
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

export interface GcloudResult { code: number; stdout: string; stderr: string }

export interface GcloudSession {
  dir: string;
  /** Runs gcloud with the session's config and token; never throws for a non-zero exit. */
  run(...args: string[]): Promise<GcloudResult>;
  /** Runs gcloud and fails the test unless it exits 0. */
  ok(...args: string[]): Promise<GcloudResult>;
  /** `ok(...args, '--format=json')`, parsed. */
  json(...args: string[]): Promise<Json>;
  close(): void;
}

/** The product's access layer pointed at an emulator, as the extension would be with an endpoint token. */
export function emulatorConnection(emulator: Emulator): GcpConnection {
  return new GcpConnection(
    { endpoint: emulator.url, endpointFromUserSettings: true, endpointCredentials: 'token', endpointToken: 'conformance' },
    { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
  );
}

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try { accessSync(candidate, constants.X_OK); return candidate; } catch { /* keep looking */ }
  }
  return undefined;
}

/**
 * A gcloud configuration in a temporary directory, written at once (each `gcloud config set` costs a second or more).
 * `sections` are extra properties by section, e.g. { proxy: { type: 'http', address: '127.0.0.1', port: '8089' } }.
 * Anything that would leave the machine hits a closed port.
 */
export function gcloudSession(gcloudPath: string, project: string, sections: Record<string, Record<string, string>>, extraEnv: NodeJS.ProcessEnv = {}): GcloudSession {
  const dir = mkdtempSync(join(tmpdir(), 'crg-gcloud-'));
  const config = join(dir, 'config');
  mkdirSync(join(config, 'configurations'), { recursive: true });
  mkdirSync(join(dir, 'home'));
  writeFileSync(join(config, 'active_config'), 'default');
  const all: Record<string, Record<string, string>> = {
    core: { project, disable_usage_reporting: 'true' },
    component_manager: { disable_update_check: 'true' },
    ...sections,
  };
  writeFileSync(join(config, 'configurations', 'config_default'), Object.entries(all)
    .map(([section, props]) => [`[${section}]`, ...Object.entries(props).map(([k, v]) => `${k} = ${v}`), ''].join('\n')).join('\n'));
  writeFileSync(join(dir, 'token'), 'conformance-token\n');
  const closed = 'http://127.0.0.1:9';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: join(dir, 'home'), CLOUDSDK_CONFIG: config, CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    HTTPS_PROXY: closed, HTTP_PROXY: closed, https_proxy: closed, http_proxy: closed,
    GCE_METADATA_HOST: '127.0.0.1:9', GCE_METADATA_IP: '127.0.0.1:9', ...extraEnv,
  };
  const run = (...args: string[]) => new Promise<GcloudResult>((resolve, reject) => {
    const child = spawn(gcloudPath, [...args, `--access-token-file=${join(dir, 'token')}`, '--quiet'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    assert.equal(r.code, 0, `gcloud ${args.join(' ')} failed:\n${r.stderr}`);
    return r;
  };
  return {
    dir, run, ok,
    json: async (...args: string[]) => JSON.parse((await ok(...args, '--format=json')).stdout),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

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
