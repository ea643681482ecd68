// Conformance with a real client: the seed tutorial's gcloud commands, run against the emulator.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { findOnPath, skipWithoutGcloud } from './helpers';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('gcloud against the emulator (seed tutorial, design.md §1)', function () {
  const gcloudPath = findOnPath('gcloud');
  let emulator: Emulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const lines: string[] = [];

  function gcloud(...args: string[]): Promise<Result> {
    return new Promise((resolve, reject) => {
      const child = spawn(gcloudPath!, [...args, `--access-token-file=${join(dir, 'token')}`, '--quiet'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '',
        stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }
  async function ok(...args: string[]): Promise<Result> {
    const r = await gcloud(...args);
    assert.equal(r.code, 0, `gcloud ${args.join(' ')} failed:\n${r.stderr}`);
    return r;
  }
  const json = async (...args: string[]) => JSON.parse((await ok(...args, '--format=json')).stdout);

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    emulator = await startEmulator({ seed: 'demo', operationLatencyMs: 150, log: (l) => lines.push(l) });
    dir = mkdtempSync(join(tmpdir(), 'crg-gcloud-'));
    const config = join(dir, 'config');
    mkdirSync(join(config, 'configurations'), { recursive: true });
    mkdirSync(join(dir, 'home'));
    // What `gcloud config set …` writes, written at once (each gcloud start costs a second or more).
    writeFileSync(join(config, 'active_config'), 'default');
    writeFileSync(
      join(config, 'configurations', 'config_default'),
      [
        '[core]',
        'project = demo-project',
        'disable_usage_reporting = true',
        '',
        '[component_manager]',
        'disable_update_check = true',
        '',
        '[api_endpoint_overrides]',
        `compute = ${emulator.url}compute/v1/`,
        `run = ${emulator.url}`,
        `cloudresourcemanager = ${emulator.url}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'token'), 'conformance-token\n');
    env = {
      PATH: process.env.PATH,
      HOME: join(dir, 'home'),
      CLOUDSDK_CONFIG: config,
      CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
      // Anything that tries to leave the machine hits a closed port and fails the command.
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      http_proxy: 'http://127.0.0.1:9',
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
      GCE_METADATA_HOST: '127.0.0.1:9',
      GCE_METADATA_IP: '127.0.0.1:9',
    };
  });

  after(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the config points gcloud at the emulator', async () => {
    const r = await ok('config', 'get-value', 'api_endpoint_overrides/compute');
    assert.equal(r.stdout.trim(), `${emulator.url}compute/v1/`);
  });

  let ip = '';
  it('runs steps 1–7 as printed', async () => {
    await ok(
      'compute',
      'network-endpoint-groups',
      'create',
      'cloudrun-neg',
      '--region=us-central1',
      '--network-endpoint-type=SERVERLESS',
      '--cloud-run-service=my-global-app',
    );
    await ok(
      'compute',
      'backend-services',
      'create',
      'cloudrun-backend',
      '--global',
      '--load-balancing-scheme=EXTERNAL_MANAGED',
      '--enable-cdn',
    );
    await ok(
      'compute',
      'backend-services',
      'add-backend',
      'cloudrun-backend',
      '--global',
      '--network-endpoint-group=cloudrun-neg',
      '--network-endpoint-group-region=us-central1',
    );
    await ok('compute', 'url-maps', 'create', 'cloudrun-url-map', '--default-service=cloudrun-backend');
    await ok('compute', 'ssl-certificates', 'create', 'my-ssl-cert', '--domains=your-domain.com');
    await ok('compute', 'target-https-proxies', 'create', 'https-proxy', '--ssl-certificates=my-ssl-cert', '--url-map=cloudrun-url-map');
    await ok('compute', 'addresses', 'create', 'global-ip', '--global');
    ip = (await ok('compute', 'addresses', 'describe', 'global-ip', '--global', '--format=value(address)')).stdout.trim();
    assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  });

  it('refuses step 8 as printed (scheme EXTERNAL in front of an EXTERNAL_MANAGED backend), accepts it with the flag', async () => {
    const printed = await gcloud(
      'compute',
      'forwarding-rules',
      'create',
      'https-forwarding-rule',
      `--address=${ip}`,
      '--global',
      '--target-https-proxy=https-proxy',
      '--ports=443',
    );
    assert.notEqual(printed.code, 0);
    assert.match(
      printed.stderr,
      /Invalid value for field 'resource\.backendService': ''\. Load balancing scheme EXTERNAL does not match the backend service load balancing scheme EXTERNAL_MANAGED\./,
    );
    await ok(
      'compute',
      'forwarding-rules',
      'create',
      'https-forwarding-rule',
      `--address=${ip}`,
      '--global',
      '--target-https-proxy=https-proxy',
      '--ports=443',
      '--load-balancing-scheme=EXTERNAL_MANAGED',
    );
  });

  it('reads the load balancer back with describe/list --format=json', async () => {
    const [negJ, backend, proxy, rule, rules, address] = await Promise.all([
      json('compute', 'network-endpoint-groups', 'describe', 'cloudrun-neg', '--region=us-central1'),
      json('compute', 'backend-services', 'describe', 'cloudrun-backend', '--global'),
      json('compute', 'target-https-proxies', 'describe', 'https-proxy'),
      json('compute', 'forwarding-rules', 'describe', 'https-forwarding-rule', '--global'),
      json('compute', 'forwarding-rules', 'list'),
      json('compute', 'addresses', 'describe', 'global-ip', '--global'),
    ]);
    assert.equal(negJ.networkEndpointType, 'SERVERLESS');
    assert.deepEqual(negJ.cloudRun, { service: 'my-global-app' });
    assert.equal(negJ.selfLink, `${emulator.url}compute/v1/projects/demo-project/regions/us-central1/networkEndpointGroups/cloudrun-neg`);
    assert.equal(backend.backends.length, 1);
    assert.equal(backend.backends[0].group, negJ.selfLink);
    assert.equal(backend.loadBalancingScheme, 'EXTERNAL_MANAGED');
    assert.equal(backend.enableCDN, true);
    assert.deepEqual(proxy.sslCertificates, [`${emulator.url}compute/v1/projects/demo-project/global/sslCertificates/my-ssl-cert`]);
    assert.equal(proxy.urlMap, `${emulator.url}compute/v1/projects/demo-project/global/urlMaps/cloudrun-url-map`);
    assert.equal(rule.IPAddress, ip);
    assert.equal(rule.portRange, '443-443');
    assert.equal(rule.loadBalancingScheme, 'EXTERNAL_MANAGED');
    assert.equal(rule.target, `${emulator.url}compute/v1/projects/demo-project/global/targetHttpsProxies/https-proxy`);
    const listed = rules.find((r: { name: string }) => r.name === 'https-forwarding-rule');
    assert.ok(listed, 'forwarding-rules list shows the rule');
    assert.equal(listed.IPAddress, ip);
    assert.equal(address.status, 'IN_USE');
    assert.deepEqual(address.users, [`${emulator.url}compute/v1/projects/demo-project/global/forwardingRules/https-forwarding-rule`]);
  });

  it('records the operations gcloud waited on', async () => {
    const ops = await json('compute', 'operations', 'list', '--global');
    const types = ops.map((o: { operationType: string; targetLink: string }) => `${o.operationType} ${o.targetLink.split('/').pop()}`);
    for (const expected of [
      'insert cloudrun-backend',
      'update cloudrun-backend',
      'insert cloudrun-url-map',
      'insert https-forwarding-rule',
    ]) {
      assert.ok(types.includes(expected), `operations list has "${expected}" (got ${types.join(', ')})`);
    }
    assert.ok(ops.every((o: { status: string }) => o.status === 'DONE'));
  });

  it('refuses a delete in the wrong order the way Google does, then deletes in dependency order', async () => {
    const early = await gcloud('compute', 'backend-services', 'delete', 'cloudrun-backend', '--global');
    assert.notEqual(early.code, 0);
    assert.match(
      early.stderr,
      /The backend_service resource 'projects\/demo-project\/global\/backendServices\/cloudrun-backend' is already being used by 'projects\/demo-project\/global\/urlMaps\/cloudrun-url-map'/,
    );
    await ok('compute', 'forwarding-rules', 'delete', 'https-forwarding-rule', '--global');
    await ok('compute', 'target-https-proxies', 'delete', 'https-proxy');
    await Promise.all([
      ok('compute', 'url-maps', 'delete', 'cloudrun-url-map'),
      ok('compute', 'ssl-certificates', 'delete', 'my-ssl-cert'),
    ]);
    await ok('compute', 'backend-services', 'delete', 'cloudrun-backend', '--global');
    await Promise.all([
      ok('compute', 'network-endpoint-groups', 'delete', 'cloudrun-neg', '--region=us-central1'),
      ok('compute', 'addresses', 'delete', 'global-ip', '--global'),
    ]);
    const left = await json('compute', 'backend-services', 'list');
    assert.deepEqual(left.map((b: { name: string }) => b.name).sort(), ['api-backend', 'storefront-backend']);
  });

  it('lists the demo Cloud Run services in every region in one call (gcloud run services list)', async () => {
    const services = await json('run', 'services', 'list');
    const names = services
      .map(
        (s: { metadata: { name: string; labels: Record<string, string> } }) =>
          `${s.metadata.name}@${s.metadata.labels['cloud.googleapis.com/location']}`,
      )
      .sort();
    assert.deepEqual(names, [
      'api@us-central1',
      'image-resizer@asia-northeast1',
      'my-global-app@us-central1',
      'orders-worker@asia-northeast1',
      'reports@europe-west1',
      'storefront@europe-west1',
      'storefront@us-central1',
    ]);
    assert.ok(
      lines.some((l) => l.startsWith('GET /v1/projects/demo-project/locations/-/services ')),
      'one all-regions call',
    );
  });

  it('never left the machine: every request reached the emulator', async () => {
    const counts = await emulator.control.requests();
    assert.ok(counts.total >= 30, `requests seen: ${counts.total}`);
    assert.ok(
      counts.byRoute['POST /compute/v1/projects/{project}/global/operations/{operation}/wait'] > 0,
      'gcloud waited on global operations',
    );
  });
});
