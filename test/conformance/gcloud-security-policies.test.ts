// Cloud Armor with a real client: gcloud creates a security policy and its rules against the emulator, attaches the
// policy to a backend service and detaches it, and the emulator's state shows each step.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import type { Json } from '../emulator/store';
import { apiClient, findOnPath, gcloudSession, skipWithoutGcloud, type GcloudSession } from './helpers';

const P = 'projects/demo-project';

describe('gcloud compute security-policies against the emulator', function () {
  this.timeout(120_000);
  const gcloudPath = findOnPath('gcloud');
  let emulator: Emulator;
  let g: GcloudSession;
  let api: ReturnType<typeof apiClient>;
  const lines: string[] = [];
  /** The policy as the emulator holds it (raw HTTP, not through gcloud). */
  const policy = async (name: string): Promise<Json> => (await api('GET', `compute/v1/${P}/global/securityPolicies/${name}`)).body;
  const backend = async (name: string): Promise<Json> => (await api('GET', `compute/v1/${P}/global/backendServices/${name}`)).body;
  const link = (path: string) => `${emulator.url}compute/v1/${P}/${path}`;

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    emulator = await startEmulator({ seed: 'empty', operationLatencyMs: 150, log: (l) => lines.push(l) });
    api = apiClient(emulator.url);
    g = gcloudSession(
      gcloudPath!,
      'demo-project',
      { api_endpoint_overrides: { compute: `${emulator.url}compute/v1/` } },
      // The emulator is reached directly; anything else still meets the closed proxy.
      { NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
    );
  });
  after(async () => {
    g?.close();
    await emulator?.close();
  });

  it("creates a policy that has Google's default rule", async () => {
    await g.ok('compute', 'security-policies', 'create', 'armor', '--description=Blocks the documentation range');
    const created = await policy('armor');
    assert.equal(created.description, 'Blocks the documentation range');
    assert.equal(created.type, 'CLOUD_ARMOR');
    assert.deepEqual(
      created.rules.map((r: Json) => [r.priority, r.action, r.match.config.srcIpRanges.join(','), r.description]),
      [[2147483647, 'allow', '*', 'Default rule, higher priority overrides it']],
    );
  });

  it('creates, describes, updates and deletes a rule', async () => {
    await g.ok(
      'compute',
      'security-policies',
      'rules',
      'create',
      '1000',
      '--security-policy=armor',
      '--src-ip-ranges=203.0.113.0/24',
      '--action=deny-403',
    );
    const added = (await policy('armor')).rules.find((r: Json) => r.priority === 1000);
    assert.deepEqual(
      [added.action, added.match.versionedExpr, added.match.config.srcIpRanges, added.preview],
      ['deny(403)', 'SRC_IPS_V1', ['203.0.113.0/24'], false],
    );

    // gcloud prints what it fetched as a list, of one here.
    const [described, ...more] = await g.json('compute', 'security-policies', 'rules', 'describe', '1000', '--security-policy=armor');
    assert.equal(more.length, 0);
    assert.deepEqual(
      [described.kind, described.priority, described.action, described.match.config.srcIpRanges],
      ['compute#securityPolicyRule', 1000, 'deny(403)', ['203.0.113.0/24']],
    );

    const before = (await policy('armor')).fingerprint;
    await g.ok('compute', 'security-policies', 'rules', 'update', '1000', '--security-policy=armor', '--action=allow');
    const after = await policy('armor');
    const updated = after.rules.find((r: Json) => r.priority === 1000);
    assert.equal(updated.action, 'allow');
    assert.deepEqual(updated.match.config.srcIpRanges, ['203.0.113.0/24'], 'the update kept the match it did not name');
    assert.notEqual(after.fingerprint, before);

    await g.ok('compute', 'security-policies', 'rules', 'delete', '1000', '--security-policy=armor');
    assert.deepEqual(
      (await policy('armor')).rules.map((r: Json) => r.priority),
      [2147483647],
    );
    for (const route of [
      'POST /compute/v1/projects/demo-project/global/securityPolicies/armor/addRule ',
      'GET /compute/v1/projects/demo-project/global/securityPolicies/armor/getRule ',
      'POST /compute/v1/projects/demo-project/global/securityPolicies/armor/patchRule ',
      'POST /compute/v1/projects/demo-project/global/securityPolicies/armor/removeRule ',
    ]) {
      assert.ok(
        lines.some((l) => l.startsWith(route)),
        `gcloud sent ${route.trim()}`,
      );
    }
  });

  it("shows Google's refusals for a taken priority, a missing rule and the default rule", async () => {
    await g.ok(
      'compute',
      'security-policies',
      'rules',
      'create',
      '1000',
      '--security-policy=armor',
      '--src-ip-ranges=203.0.113.0/24',
      '--action=deny-403',
    );
    const twice = await g.run(
      'compute',
      'security-policies',
      'rules',
      'create',
      '1000',
      '--security-policy=armor',
      '--src-ip-ranges=198.51.100.0/24',
      '--action=deny-404',
    );
    assert.notEqual(twice.code, 0);
    assert.match(twice.stderr, /Invalid value for field 'resource\.priority': '1000'\. Cannot have rules with the same priorities\./);
    const missing = await g.run('compute', 'security-policies', 'rules', 'describe', '1234', '--security-policy=armor');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /does not contain a rule at priority 1234\./);
    const defaultRule = await g.run('compute', 'security-policies', 'rules', 'delete', '2147483647', '--security-policy=armor');
    assert.notEqual(defaultRule.code, 0);
    assert.match(defaultRule.stderr, /The default rule of a security policy cannot be removed\./);
    await g.ok('compute', 'security-policies', 'rules', 'delete', '1000', '--security-policy=armor');
    assert.deepEqual(
      (await policy('armor')).rules.map((r: Json) => [r.priority, r.action]),
      [[2147483647, 'allow']],
    );
  });

  it('lists (one aggregated request) and describes the policy', async () => {
    const listed = await g.json('compute', 'security-policies', 'list');
    assert.deepEqual(
      listed.map((p: Json) => p.name),
      ['armor'],
    );
    assert.ok(
      lines.some((l) => l.startsWith('GET /compute/v1/projects/demo-project/aggregated/securityPolicies ')),
      'gcloud lists security policies across scopes',
    );
    const [described] = await g.json('compute', 'security-policies', 'describe', 'armor');
    const held = await policy('armor');
    assert.deepEqual(
      [described.name, described.id, described.fingerprint, described.selfLink],
      [held.name, held.id, held.fingerprint, link('global/securityPolicies/armor')],
    );
    assert.deepEqual(described.rules, held.rules);
  });

  it('attaches the policy to a backend service, which shows it, and keeps the policy from being deleted', async () => {
    await g.ok('compute', 'backend-services', 'create', 'web-backend', '--global', '--load-balancing-scheme=EXTERNAL_MANAGED');
    await g.ok('compute', 'backend-services', 'update', 'web-backend', '--global', '--security-policy=armor');
    assert.equal((await backend('web-backend')).securityPolicy, link('global/securityPolicies/armor'));
    assert.ok(
      lines.some((l) => l.startsWith('POST /compute/v1/projects/demo-project/global/backendServices/web-backend/setSecurityPolicy ')),
      'gcloud used setSecurityPolicy',
    );
    const described = await g.json('compute', 'backend-services', 'describe', 'web-backend', '--global');
    assert.equal(described.securityPolicy, link('global/securityPolicies/armor'));
    const early = await g.run('compute', 'security-policies', 'delete', 'armor');
    assert.notEqual(early.code, 0);
    assert.match(
      early.stderr,
      /The security_policy resource 'projects\/demo-project\/global\/securityPolicies\/armor' is already being used by 'projects\/demo-project\/global\/backendServices\/web-backend'/,
    );
    assert.equal((await policy('armor')).name, 'armor');
  });

  it('detaches the policy with --security-policy="" and then deletes it', async () => {
    await g.ok('compute', 'backend-services', 'update', 'web-backend', '--global', '--security-policy=');
    assert.equal((await backend('web-backend')).securityPolicy, undefined);
    const described = await g.json('compute', 'backend-services', 'describe', 'web-backend', '--global');
    assert.equal(described.securityPolicy, undefined);
    await g.ok('compute', 'security-policies', 'delete', 'armor');
    assert.equal((await api('GET', `compute/v1/${P}/global/securityPolicies/armor`)).status, 404);
    const ops = (await api('GET', `compute/v1/${P}/global/operations`)).body.items.map(
      (o: Json) => `${o.operationType} ${o.targetLink.split('/').pop()}`,
    );
    for (const expected of [
      'insert armor',
      'AddRule armor',
      'PatchRule armor',
      'RemoveRule armor',
      'setSecurityPolicy web-backend',
      'delete armor',
    ]) {
      assert.ok(ops.includes(expected), `operations list has "${expected}" (got ${ops.join(', ')})`);
    }
  });

  it('never left the machine: every request reached the emulator', async () => {
    const counts = await emulator.control.requests();
    assert.ok(counts.total >= 20, `requests seen: ${counts.total}`);
    assert.ok(
      counts.byRoute['POST /compute/v1/projects/{project}/global/operations/{operation}/wait'] > 0,
      'gcloud waited on global operations',
    );
  });
});
