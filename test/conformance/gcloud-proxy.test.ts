// The real gcloud with the emulator as its HTTP proxy (design.md §7): regional Cloud Run commands (--region), Cloud Run
// IAM, domain-restricted sharing, sparse resources from the seed tutorial, and a load balancer served only on 8443.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import type { Json } from '../emulator/store';
import { findOnPath, gcloudSession, type GcloudSession } from './helpers';

const PROJECT = 'demo-project';
const REGION = 'europe-west4';

const KNATIVE_YAML = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: my-global-app
  labels:
    cloud.googleapis.com/location: ${REGION}
spec:
  template:
    spec:
      containers:
      - image: us-docker.pkg.dev/cloudrun/container/hello
`;

describe('gcloud with the emulator as its HTTP proxy (design.md §7)', function () {
  const gcloudPath = findOnPath('gcloud');
  let emulator: Emulator;
  let gcloud: GcloudSession;
  const lines: string[] = [];

  before(async function () {
    if (!gcloudPath) {
      console.log('    (skipped: gcloud is not installed on this machine)');
      this.skip();
    }
    emulator = await startEmulator({ seed: 'demo', operationLatencyMs: 100, sparse: true, log: (l) => lines.push(l) });
    // Every request goes to the emulator's port in absolute form, whatever host the override names: the regional
    // Cloud Run hosts (europe-west4-run.emulator.test) never need to resolve.
    gcloud = gcloudSession(gcloudPath!, PROJECT, {
      proxy: { type: 'http', address: '127.0.0.1', port: String(emulator.port) },
      api_endpoint_overrides: {
        compute: `${emulator.url}compute/v1/`,
        run: 'http://run.emulator.test/',
        cloudresourcemanager: 'http://crm.emulator.test/',
      },
    });
  });

  after(async () => {
    await emulator?.close();
    gcloud?.close();
  });

  const state = async () => (await emulator.control.state()) as Json;
  const computeOf = async (collection: string, name: string) =>
    (await state()).compute[PROJECT][collection].find((r: Json) => r.name === name);

  describe('sparse mode: the seed tutorial (step 8 with --load-balancing-scheme=EXTERNAL_MANAGED)', () => {
    let ip = '';
    it('runs the tutorial through the proxy', async () => {
      await gcloud.ok(
        'compute',
        'network-endpoint-groups',
        'create',
        'cloudrun-neg',
        '--region=us-central1',
        '--network-endpoint-type=SERVERLESS',
        '--cloud-run-service=my-global-app',
      );
      await gcloud.ok(
        'compute',
        'backend-services',
        'create',
        'cloudrun-backend',
        '--global',
        '--load-balancing-scheme=EXTERNAL_MANAGED',
        '--enable-cdn',
      );
      await gcloud.ok(
        'compute',
        'backend-services',
        'add-backend',
        'cloudrun-backend',
        '--global',
        '--network-endpoint-group=cloudrun-neg',
        '--network-endpoint-group-region=us-central1',
      );
      await gcloud.ok('compute', 'url-maps', 'create', 'cloudrun-url-map', '--default-service=cloudrun-backend');
      await gcloud.ok('compute', 'ssl-certificates', 'create', 'my-ssl-cert', '--domains=your-domain.com');
      await gcloud.ok(
        'compute',
        'target-https-proxies',
        'create',
        'https-proxy',
        '--ssl-certificates=my-ssl-cert',
        '--url-map=cloudrun-url-map',
      );
      await gcloud.ok('compute', 'addresses', 'create', 'global-ip', '--global');
      ip = (await gcloud.ok('compute', 'addresses', 'describe', 'global-ip', '--global', '--format=value(address)')).stdout.trim();
      await gcloud.ok(
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
      assert.ok(
        lines.some((l) => l.startsWith(`POST http://127.0.0.1:${emulator.port}/compute/v1/projects/${PROJECT}/global/forwardingRules `)),
        'Compute went through the proxy too',
      );
    });

    // What gcloud 528 sends (measured): addresses create {ipVersion: IPV4, name}; backend-services create
    // {enableCDN, loadBalancingScheme, name, portName: http, protocol: HTTP, timeoutSec: 30}; forwarding-rules create
    // {IPAddress, loadBalancingScheme, name, portRange: "443", target}; ssl-certificates create {managed, name, type}.
    it('keeps only what gcloud sent plus output fields: no filled-in defaults', async () => {
      const address = await computeOf('addresses', 'global-ip');
      assert.equal(address.address, ip);
      assert.equal(address.status, 'IN_USE');
      assert.equal(address.ipVersion, 'IPV4', 'gcloud sends ipVersion itself');
      for (const f of ['addressType', 'networkTier']) assert.equal(address[f], undefined, `address.${f}`);

      const backend = await computeOf('backendServices', 'cloudrun-backend');
      assert.equal(backend.loadBalancingScheme, 'EXTERNAL_MANAGED');
      assert.equal(backend.enableCDN, true, '--enable-cdn is sent');
      assert.equal(backend.timeoutSec, 30, 'gcloud sends timeoutSec 30, portName and protocol itself');
      assert.ok(backend.fingerprint);
      for (const f of ['port', 'sessionAffinity', 'affinityCookieTtlSec', 'connectionDraining', 'cdnPolicy']) {
        assert.equal(backend[f], undefined, `backendService.${f}`);
      }
      assert.equal(backend.backends.length, 1);
      assert.match(backend.backends[0].group, /\/regions\/us-central1\/networkEndpointGroups\/cloudrun-neg$/);
      assert.equal(backend.backends[0].capacityScaler, undefined);
      assert.equal(backend.backends[0].balancingMode, undefined);

      const rule = await computeOf('forwardingRules', 'https-forwarding-rule');
      assert.equal(rule.portRange, '443-443');
      assert.equal(rule.IPAddress, ip);
      for (const f of ['IPProtocol', 'networkTier', 'ipVersion']) assert.equal(rule[f], undefined, `forwardingRule.${f}`);

      const proxy = await computeOf('targetHttpsProxies', 'https-proxy');
      assert.equal(proxy.quicOverride, undefined);
      const neg = await computeOf('networkEndpointGroups', 'cloudrun-neg');
      assert.equal(neg.networkEndpointType, 'SERVERLESS');
      assert.deepEqual(neg.cloudRun, { service: 'my-global-app' });
      const cert = await computeOf('sslCertificates', 'my-ssl-cert');
      assert.equal(cert.type, 'MANAGED');
      assert.equal(cert.managed.status, 'PROVISIONING');
    });

    it('gcloud reads the sparse resources back (describe, list)', async () => {
      const backend = await gcloud.json('compute', 'backend-services', 'describe', 'cloudrun-backend', '--global');
      assert.equal(backend.sessionAffinity, undefined);
      assert.equal(backend.backends.length, 1);
      const rules = await gcloud.json('compute', 'forwarding-rules', 'list');
      assert.ok(rules.some((r: Json) => r.name === 'https-forwarding-rule'));
    });
  });

  describe('a load balancer whose only HTTPS rule listens on 8443 (default mode)', () => {
    it('is accepted; its managed certificate stays PROVISIONING even with DNS right, until a rule on 443 serves it', async () => {
      await emulator.control.setSparse(false);
      await emulator.control.setCertificateTiming({ activationDelayMs: 0 });
      await gcloud.ok('compute', 'ssl-certificates', 'create', 'alt-cert', '--domains=alt.example.com');
      await gcloud.ok(
        'compute',
        'target-https-proxies',
        'create',
        'alt-proxy',
        '--ssl-certificates=alt-cert',
        '--url-map=cloudrun-url-map',
      );
      await gcloud.ok('compute', 'addresses', 'create', 'alt-ip', '--global');
      const altIp = (await gcloud.ok('compute', 'addresses', 'describe', 'alt-ip', '--global', '--format=value(address)')).stdout.trim();
      await gcloud.ok(
        'compute',
        'forwarding-rules',
        'create',
        'alt-https-rule',
        `--address=${altIp}`,
        '--global',
        '--target-https-proxy=alt-proxy',
        '--ports=8443',
        '--load-balancing-scheme=EXTERNAL_MANAGED',
      );
      await emulator.control.setDnsRecord({ name: 'alt.example.com', type: 'A', values: [altIp] });
      const rule = await gcloud.json('compute', 'forwarding-rules', 'describe', 'alt-https-rule', '--global');
      assert.equal(rule.portRange, '8443-8443');
      const cert = await gcloud.json('compute', 'ssl-certificates', 'describe', 'alt-cert');
      assert.equal(cert.managed.status, 'PROVISIONING');
      assert.deepEqual(cert.managed.domainStatus, { 'alt.example.com': 'PROVISIONING' });
      const ranged = await gcloud.run(
        'compute',
        'forwarding-rules',
        'create',
        'ranged-rule',
        `--address=${altIp}`,
        '--global',
        '--target-https-proxy=alt-proxy',
        '--ports=8443-8444',
        '--load-balancing-scheme=EXTERNAL_MANAGED',
      );
      assert.notEqual(ranged.code, 0);
      assert.match(ranged.stderr, /Each forwarding rule for an Application Load Balancer can reference a single port from 1-65535\./);
      await gcloud.ok(
        'compute',
        'forwarding-rules',
        'create',
        'alt-443-rule',
        `--address=${altIp}`,
        '--global',
        '--target-https-proxy=alt-proxy',
        '--ports=443',
        '--load-balancing-scheme=EXTERNAL_MANAGED',
      );
      assert.equal((await gcloud.json('compute', 'ssl-certificates', 'describe', 'alt-cert')).managed.status, 'ACTIVE');
    });
  });

  describe('Cloud Run --region commands through the proxy', () => {
    it('replaces a Knative YAML into a new region (the regional endpoint, by host) and describes it', async () => {
      const file = join(gcloud.dir, 'service.yaml');
      writeFileSync(file, KNATIVE_YAML);
      await gcloud.ok('run', 'services', 'replace', file, `--region=${REGION}`);
      assert.ok(
        lines.some((l) =>
          l.startsWith(`POST http://${REGION}-run.emulator.test/apis/serving.knative.dev/v1/namespaces/${PROJECT}/services `),
        ),
        lines.join('\n'),
      );
      const described = await gcloud.json('run', 'services', 'describe', 'my-global-app', '--region', REGION);
      assert.equal(described.metadata.labels['cloud.googleapis.com/location'], REGION);
      assert.equal(described.spec.template.spec.containers[0].image, 'us-docker.pkg.dev/cloudrun/container/hello');
    });

    it('the new service starts private (empty policy); add-iam-policy-binding allUsers makes it public', async () => {
      const empty = await gcloud.json('run', 'services', 'get-iam-policy', 'my-global-app', '--region', REGION);
      assert.deepEqual(empty, { etag: 'ACAB' });
      await gcloud.ok(
        'run',
        'services',
        'add-iam-policy-binding',
        'my-global-app',
        `--region=${REGION}`,
        '--member=allUsers',
        '--role=roles/run.invoker',
      );
      const policy = await gcloud.json('run', 'services', 'get-iam-policy', 'my-global-app', '--region', REGION);
      assert.deepEqual(policy.bindings, [{ members: ['allUsers'], role: 'roles/run.invoker' }]);
      assert.notEqual(policy.etag, 'ACAB');
      const svc = (await state()).runServices.find(
        (s: Json) => s.name === `projects/${PROJECT}/locations/${REGION}/services/my-global-app`,
      );
      assert.deepEqual(svc.iamPolicy.bindings, [{ role: 'roles/run.invoker', members: ['allUsers'] }]);
      // The us-central1 service of the same name is untouched.
      const original = (await state()).runServices.find(
        (s: Json) => s.name === `projects/${PROJECT}/locations/us-central1/services/my-global-app`,
      );
      assert.deepEqual(original.iamPolicy.bindings, [{ role: 'roles/run.invoker', members: ['allUsers'] }]);
    });

    it("domain-restricted sharing: add-iam-policy-binding allUsers fails with FAILED_PRECONDITION and Google's text", async () => {
      await emulator.control.setDomainRestrictedSharing(PROJECT, true);
      const r = await gcloud.run(
        'run',
        'services',
        'add-iam-policy-binding',
        'api',
        '--region=us-central1',
        '--member=allUsers',
        '--role=roles/run.invoker',
      );
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /FAILED_PRECONDITION: One or more users named in the policy do not belong to a permitted customer\./);
      const policy = await gcloud.json('run', 'services', 'get-iam-policy', 'api', '--region=us-central1');
      assert.equal(policy.bindings, undefined, 'the demo api stays private');
      await emulator.control.setDomainRestrictedSharing(PROJECT, false);
    });

    it('nothing tunnelled: the http overrides never made gcloud use CONNECT', async () => {
      const counts = await emulator.control.requests();
      assert.deepEqual(
        Object.keys(counts.byRoute).filter((r) => r.startsWith('CONNECT')),
        [],
      );
    });
  });
});
