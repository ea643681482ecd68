// Small helpers for talking to the emulator as a Google API client would: raw HTTP, and the real gcloud.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as os from 'node:os';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { GcpConnection } from '../../src/core/gcp/connection';
import type { Inventory } from '../../src/core/gcp/types';
import { exportGcloud } from '../../src/core/plan/gcloud';
import type { Plan } from '../../src/core/plan/types';
import { loadInventory } from '../support/inventory';
import type { Topology } from '../../src/core/topology/model';
import type { Emulator } from '../emulator';
import type { Json } from '../emulator/store';

export interface ApiAnswer {
  status: number;
  body: Json;
  contentType: string | null;
}

export function apiClient(baseUrl: string, token: string | null = 'test-token') {
  return async function api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(baseUrl + path.replace(/^\//, ''), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, contentType: res.headers.get('content-type') };
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GcloudResult {
  code: number;
  stdout: string;
  stderr: string;
}

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
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

/** Writes a gcloud configuration into `dir/config` at once (each `gcloud config set` costs a second or more); returns its path. */
function writeGcloudConfig(dir: string, project: string, sections: Record<string, Record<string, string>>): string {
  const config = join(dir, 'config');
  mkdirSync(join(config, 'configurations'), { recursive: true });
  mkdirSync(join(dir, 'home'), { recursive: true });
  writeFileSync(join(config, 'active_config'), 'default');
  const all: Record<string, Record<string, string>> = {
    core: { project, disable_usage_reporting: 'true' },
    component_manager: { disable_update_check: 'true' },
    ...sections,
  };
  writeFileSync(
    join(config, 'configurations', 'config_default'),
    Object.entries(all)
      .map(([section, props]) => [`[${section}]`, ...Object.entries(props).map(([k, v]) => `${k} = ${v}`), ''].join('\n'))
      .join('\n'),
  );
  writeFileSync(join(dir, 'token'), 'conformance-token\n');
  return config;
}

/** gcloud's environment: that configuration, and anything that would leave the machine hitting a closed port. */
function gcloudEnv(dir: string, config: string, extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const closed = 'http://127.0.0.1:9';
  return {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    CLOUDSDK_CONFIG: config,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    HTTPS_PROXY: closed,
    HTTP_PROXY: closed,
    https_proxy: closed,
    http_proxy: closed,
    GCE_METADATA_HOST: '127.0.0.1:9',
    GCE_METADATA_IP: '127.0.0.1:9',
    ...extraEnv,
  };
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<GcloudResult> {
  return new Promise<GcloudResult>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * A gcloud configuration in a temporary directory.
 * `sections` are extra properties by section, e.g. { proxy: { type: 'http', address: '127.0.0.1', port: '8089' } }.
 * Anything that would leave the machine hits a closed port.
 */
export function gcloudSession(
  gcloudPath: string,
  project: string,
  sections: Record<string, Record<string, string>>,
  extraEnv: NodeJS.ProcessEnv = {},
): GcloudSession {
  const dir = mkdtempSync(join(tmpdir(), 'crg-gcloud-'));
  const env = gcloudEnv(dir, writeGcloudConfig(dir, project, sections), extraEnv);
  const run = (...args: string[]) => runToEnd(gcloudPath, [...args, `--access-token-file=${join(dir, 'token')}`, '--quiet'], env);
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    assert.equal(r.code, 0, `gcloud ${args.join(' ')} failed:\n${r.stderr}`);
    return r;
  };
  return {
    dir,
    run,
    ok,
    json: async (...args: string[]) => JSON.parse((await ok(...args, '--format=json')).stdout),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ScriptRunner {
  /** Runs an exported script with bash; never throws for a non-zero exit. */
  run(script: string): Promise<GcloudResult>;
  close(): void;
}

/**
 * The export against Apply: plans from each side's live state, runs the exported script through gcloud against one
 * and Apply against the other, in parallel; fails the test unless both succeed. Returns the gcloud side's plan and script.
 */
export async function scriptBesideApply(
  project: string,
  sides: { gcloud: GcpConnection; apply: GcpConnection },
  scripts: ScriptRunner,
  planFrom: (inventory: Inventory) => Plan,
): Promise<{ plan: Plan; script: string; ran: GcloudResult }> {
  const plan = planFrom(await loadInventory(sides.gcloud, project));
  assert.ok(plan.applicable, JSON.stringify(plan.steps.filter((s) => s.action === 'conflict')));
  const script = exportGcloud(plan);
  const [ran, applied] = await Promise.all([
    scripts.run(script),
    loadInventory(sides.apply, project).then((inventory) =>
      applyPlan(planFrom(inventory), { compute: sides.apply.compute(project), run: sides.apply.run(project) }),
    ),
  ]);
  assert.equal(ran.code, 0, `the script failed:\n${ran.stderr}`);
  assert.ok(applied.ok, JSON.stringify(applied.steps.map((s) => [s.stepId, s.outcome, s.message])));
  return { plan, script, ran };
}

/**
 * Where an exported gcloud script runs as a person would run it: gcloud configured for `project`, its token
 * in the configuration, and `endpoints` as `[api_endpoint_overrides]` (e.g. { compute: `${url}compute/v1/` }).
 */
export function gcloudScriptRunner(project: string, endpoints: Record<string, string>): ScriptRunner {
  const dir = mkdtempSync(join(tmpdir(), 'crg-export-'));
  const config = writeGcloudConfig(dir, project, { auth: { access_token_file: join(dir, 'token') }, api_endpoint_overrides: endpoints });
  const env = gcloudEnv(dir, config, { NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' });
  return {
    run: (script: string) => {
      writeFileSync(join(dir, 'export.sh'), script);
      return runToEnd('bash', [join(dir, 'export.sh')], env);
    },
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
    throw new Error(
      'gcloud is not installed, and CI is set: the gcloud conformance tests must run there. Install the Google Cloud CLI on the CI image (or unset CI to skip them locally).',
    );
  }
  console.log('    (skipped: gcloud is not installed on this machine)');
  context.skip();
}

/**
 * What makes two load balancers the same, without the IPs and ids each emulator hands out: for comparing
 * what an exported script built with what Apply built.
 */
export function normaliseLoadBalancers(topology: Topology) {
  const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
  return topology.loadBalancers.map((lb) => ({
    scheme: lb.scheme,
    https: lb.https,
    httpsRedirect: lb.httpsRedirect,
    ipVersion: lb.ipVersion,
    address: lb.address?.name,
    domains: lb.domains,
    rules: lb.rules.map((r) => ({
      name: r.name,
      ports: r.ports,
      scheme: r.scheme,
      protocol: r.protocol,
      targetKind: r.targetKind,
      target: r.target?.name,
    })),
    certificates: byName(lb.certificates).map((c) => ({ name: c.name, managed: c.managed, domains: [...c.domains].sort() })),
    urlMaps: byName(lb.urlMaps).map((m) => ({
      name: m.name,
      redirectOnly: m.redirectOnly,
      httpsRedirect: m.httpsRedirect,
      backends: m.backends.map((b) => b.name),
    })),
    backendServices: byName(lb.backendServices).map((b) => ({
      name: b.name,
      scheme: b.scheme,
      cdn: b.cdn,
      protocol: b.protocol,
      groups: b.groups.map((g) => g.name).sort(),
    })),
    negs: byName(lb.networkEndpointGroups).map((n) => ({
      name: n.name,
      region: n.region,
      type: n.endpointType,
      service: n.cloudRun?.service,
    })),
    services: lb.services.map((s) => ({ name: s.name, regions: s.regions.map((r) => r.region).sort() })),
    missing: lb.missing.map((m) => m.id),
    unmodelled: lb.unmodelled.map((u) => u.id),
    certificateMaps: lb.rules
      .flatMap((r) =>
        r.target?.kind === 'targetHttpsProxy' && r.target.certificateMap?.kind === 'certificateMap' ? [r.target.certificateMap] : [],
      )
      .map((m) => ({
        name: m.name,
        entries: m.entries.map((e) => ({
          name: e.name,
          hostname: e.hostname,
          primary: e.primary,
          certificates: e.certificates.map((c) =>
            c.kind === 'certificateManagerCertificate'
              ? {
                  name: c.name,
                  domains: [...c.domains].sort(),
                  authorizations: c.authorizations.map((a) =>
                    a.kind === 'dnsAuthorization' ? `${a.name}:${a.domain}:${a.record?.name}` : a.id,
                  ),
                }
              : c.id,
          ),
        })),
      })),
  }));
}
