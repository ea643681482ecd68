// No secret in any output: with a canary endpoint token (read the way VS Code's secret storage is,
// on first use) and with Application Default Credentials pointing at a canary file, everything the
// product writes from what it is given — log lines, error messages (with remedy and Google's words),
// the plan preview, the gcloud and Terraform exports, the apply summary and step errors, certificate
// reports and findings — holds neither the canaries nor the access token they buy.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { join } from 'node:path';
import { applyPlan, summarizeApply } from '../../src/core/apply/applyPlan';
import { certificateReport, renderCertificateReport } from '../../src/core/findings/report';
import { diagnoseService } from '../../src/core/findings/service';
import { ConnectionSettings, GcpConnection } from '../../src/core/gcp/connection';
import { CloudError, toCloudError } from '../../src/core/gcp/errors';
import { loadInventory } from '../support/inventory';
import { buildPlan } from '../../src/core/plan/build';
import { exportGcloud } from '../../src/core/plan/gcloud';
import { exportTerraform } from '../../src/core/plan/terraform';
import { planText } from '../../src/core/plan/text';
import type { GlobalizeRequest } from '../../src/core/plan/types';
import { buildTopology } from '../../src/core/topology/build';
import { startEmulator, type Emulator } from '../emulator';
import { FAST_RETRY, PROJECT } from './setup';

const TOKEN_CANARY = 'crg-canary-token-5f0c2b9e71a4';
const SUBJECT_CANARY = 'crg-canary-subject-9a3d7c11e6b0';
const ACCESS_CANARY = 'crg-canary-access-2e8b4f6a0d93';
const CANARIES = [TOKEN_CANARY, SUBJECT_CANARY, ACCESS_CANARY];

const REQUEST: GlobalizeRequest = {
  project: PROJECT,
  service: 'canary-app',
  regions: ['us-east1'],
  domains: ['canary.example.com'],
  deploy: {
    regions: ['us-east1'],
    manifest: {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'canary-app' },
      spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] } } },
    },
  },
};

/** Everything the product wrote, by where it went. */
class Outputs {
  readonly texts: Array<[string, string]> = [];
  add(where: string, text: string | undefined): void {
    if (text) this.texts.push([where, text]);
  }
  error(where: string, err: unknown): void {
    const cloud = toCloudError(err);
    this.add(`${where}: message`, cloud.message);
    this.add(`${where}: remedy`, cloud.remedy);
    this.add(`${where}: Google's message`, cloud.googleMessage);
    this.add(`${where}: stack`, cloud.stack);
  }
  /** Where a canary turned up; never the text itself (a failure message must not print it either). */
  leaks(): string[] {
    return this.texts.filter(([, text]) => CANARIES.some((c) => text.includes(c))).map(([where]) => where);
  }
}

/** A security token service (what an external_account ADC file names): trades the subject token for an access token. */
async function startSts(): Promise<{ server: Server; url: string; sawSubject: () => boolean }> {
  let saw = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      saw ||= new URLSearchParams(body).get('subject_token') === SUBJECT_CANARY;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: ACCESS_CANARY,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/token`, sawSubject: () => saw };
}

describe('No secret in any output (canary token and canary ADC)', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let sts: Awaited<ReturnType<typeof startSts>>;
  let dir: string;
  const previous = { adc: process.env.GOOGLE_APPLICATION_CREDENTIALS, project: process.env.GOOGLE_CLOUD_PROJECT };

  before(async () => {
    emulator = await startEmulator({ seed: 'demo', dns: false, operationLatencyMs: 0 });
    sts = await startSts();
    dir = mkdtempSync(join(os.tmpdir(), 'crg-canary-'));
    writeFileSync(join(dir, 'subject-token'), SUBJECT_CANARY);
    writeFileSync(
      join(dir, 'adc.json'),
      JSON.stringify({
        type: 'external_account',
        audience: '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/canary/providers/canary',
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: sts.url,
        credential_source: { file: join(dir, 'subject-token') },
      }),
    );
    process.env.GOOGLE_APPLICATION_CREDENTIALS = join(dir, 'adc.json');
    // Else the auth library asks cloudresourcemanager.googleapis.com which project the pool is in.
    process.env.GOOGLE_CLOUD_PROJECT = PROJECT;
  });

  after(async () => {
    for (const [name, value] of [
      ['GOOGLE_APPLICATION_CREDENTIALS', previous.adc],
      ['GOOGLE_CLOUD_PROJECT', previous.project],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await emulator?.close();
    sts?.server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await emulator.control.reset('demo');
  });

  const credentials: Array<[string, () => Partial<ConnectionSettings>]> = [
    ['the endpoint token from secret storage', () => ({ endpointCredentials: 'token', endpointToken: async () => TOKEN_CANARY })],
    ['Application Default Credentials from a canary file', () => ({ endpointCredentials: 'google' })],
  ];

  for (const [title, settings] of credentials) {
    it(`writes none of it with ${title}: log, errors, plan preview, exports, apply, certificate report`, async () => {
      const out = new Outputs();
      const connection = new GcpConnection(
        { endpoint: emulator.url, endpointFromUserSettings: true, endpointCredentials: 'none', ...settings() },
        { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
        { retry: FAST_RETRY, log: (line) => out.add('log', line) },
      );
      out.add('connection description', connection.plan.description);
      await connection.checkCredentials();

      // Reads, the plan and what is shown of it.
      const inventory = await loadInventory(connection, PROJECT);
      assert.ok(inventory.services.length > 0, 'the credentials did not work: nothing was read');
      const plan = buildPlan(REQUEST, inventory);
      out.add('plan preview', planText(plan, { manifestFile: '/work/service.yaml' }));
      out.add('gcloud export', exportGcloud(plan));
      out.add('Terraform export', exportTerraform(plan));

      // Apply with one step failing, then again to finish.
      await emulator.control.addFault({
        method: 'POST',
        path: '/global/urlMaps$',
        count: 1,
        status: 403,
        reason: 'forbidden',
        message: 'Injected: permission denied.',
      });
      const failed = await applyPlan(plan, { compute: connection.compute(PROJECT), run: connection.run(PROJECT) });
      assert.equal(failed.ok, false);
      out.add('apply summary (failed run)', summarizeApply(failed));
      for (const step of failed.steps) if (step.error) out.error(`apply step ${step.stepId}`, step.error);
      const done = await applyPlan(buildPlan(REQUEST, await loadInventory(connection, PROJECT)), {
        compute: connection.compute(PROJECT),
        run: connection.run(PROJECT),
      });
      assert.ok(done.ok);
      out.add('apply summary', summarizeApply(done));

      // The certificate report and findings for what was built.
      const topology = buildTopology(await loadInventory(connection, PROJECT));
      const operations = await connection.compute(PROJECT).listOperations();
      const certificate = topology.loadBalancers.flatMap((lb) => lb.certificates).find((c) => c.name.startsWith('canary-app'));
      assert.ok(certificate);
      out.add(
        'certificate report',
        renderCertificateReport(
          certificateReport({ certificateId: certificate.id, topology, dns: new Map(), operations, now: Date.now() }),
        ),
      );
      for (const finding of diagnoseService({
        service: { name: 'canary-app', region: 'us-east1' },
        topology,
        dns: new Map(),
        operations,
        now: Date.now(),
      })) {
        out.add(`finding ${finding.code}`, JSON.stringify(finding));
      }

      // Requests that fail every way a request fails: rejected credentials, denied, bad, unavailable, a dropped connection.
      const failures = [
        { status: 401, reason: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' },
        { status: 403, reason: 'forbidden', message: 'Permission compute.urlMaps.list denied.' },
        { status: 400, reason: 'badRequest', message: 'Invalid value.' },
        { status: 503, reason: 'backendError', message: 'The service is currently unavailable.' },
        { resetConnection: true },
      ];
      for (const fault of failures) {
        await emulator.control.addFault({ method: 'GET', path: '/global/urlMaps$', count: 10, ...fault });
        await connection
          .compute(PROJECT)
          .listAll('urlMaps')
          .then(
            () => assert.fail(`a ${JSON.stringify(fault)} fault did not fail the request`),
            (err: unknown) => out.error(`failed request (${fault.status ?? 'connection reset'})`, err),
          );
        await emulator.control.clearFaults();
      }

      assert.ok(out.texts.length > 20, 'too little output to prove anything');
      assert.deepEqual(out.leaks(), []);
    });
  }

  it('the ADC connection really used the canary file (its subject token reached the token service)', async () => {
    const connection = new GcpConnection(
      { endpoint: emulator.url, endpointFromUserSettings: true, endpointCredentials: 'google' },
      { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
    );
    await connection.compute(PROJECT).listAll('urlMaps');
    assert.ok(sts.sawSubject());
  });

  it('an endpoint token that cannot be read or is missing fails with advice, not the token', async () => {
    const out = new Outputs();
    for (const source of [
      async () => {
        throw new Error(`keyring says ${TOKEN_CANARY}`);
      },
      async () => undefined,
    ]) {
      const connection = new GcpConnection(
        { endpoint: emulator.url, endpointFromUserSettings: true, endpointCredentials: 'token', endpointToken: source },
        { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
        { log: (line) => out.add('log', line) },
      );
      await assert.rejects(connection.compute(PROJECT).listAll('urlMaps'), (err: CloudError) => {
        out.error('unreadable token', err);
        return err.kind === 'unauthenticated' && /Set Endpoint Token/.test(err.message);
      });
    }
    assert.deepEqual(out.leaks(), []);
  });
});
