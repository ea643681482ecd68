// Cloud Armor security policies and their rules against the emulator, through googleapis' Compute client as the product builds it.
import assert from 'node:assert/strict';
import type { compute_v1 } from 'googleapis/build/src/apis/compute/v1';
import { createApis, createFixedTokenCredentials } from '../../src/core/gcp/gcpClients';
import { Harness, PROJECT, startHarness } from './setup';

const POLICIES = `projects/${PROJECT}/global/securityPolicies`;
const DEFAULT_RULE = {
  kind: 'compute#securityPolicyRule',
  description: 'Default rule, higher priority overrides it',
  priority: 2147483647,
  action: 'allow',
  preview: false,
  match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
};
const denyRule = (priority: number, ranges = ['203.0.113.0/24']) => ({
  priority,
  action: 'deny(403)',
  match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ranges } },
});

/** Fails unless `call` is refused with Google's status, reason and a message matching `message`. */
async function refused(call: Promise<unknown>, status: number, reason: string, message: RegExp): Promise<void> {
  await assert.rejects(
    call,
    (err: {
      response?: { status: number; data: { error: { code: number; message: string; errors: { reason: string; message: string }[] } } };
    }) => {
      const answer = err.response;
      assert.ok(answer, `expected an HTTP answer, got ${String(err)}`);
      assert.equal(answer.status, status, JSON.stringify(answer.data));
      assert.equal(answer.data.error.code, status);
      assert.equal(answer.data.error.errors[0].reason, reason, answer.data.error.message);
      assert.match(answer.data.error.message, message);
      return true;
    },
  );
}

describe('Compute security policies (Cloud Armor) against the emulator', () => {
  let h: Harness;
  let compute: compute_v1.Compute;
  let url: (path: string) => string;
  before(async () => {
    h = await startHarness();
    compute = createApis({
      auth: createFixedTokenCredentials('test-token'),
      rootUrl: h.emulator.url,
      product: { name: 'cloud-run-global-tests', version: '0' },
      timeoutMs: 10_000,
    }).compute;
    url = (path) => `${h.emulator.url}compute/v1/${path}`;
  });
  after(async () => {
    await h.emulator.close();
  });
  beforeEach(async () => {
    await h.emulator.control.reset();
  });

  const project = PROJECT;
  const createPolicy = async (name: string, extra: compute_v1.Schema$SecurityPolicy = {}) =>
    (await compute.securityPolicies.insert({ project, requestBody: { name, ...extra } })).data;
  const getPolicy = async (name: string) => (await compute.securityPolicies.get({ project, securityPolicy: name })).data;
  const createBackend = async (name: string, extra: compute_v1.Schema$BackendService = {}) =>
    (await compute.backendServices.insert({ project, requestBody: { name, loadBalancingScheme: 'EXTERNAL_MANAGED', ...extra } })).data;
  const getBackend = async (name: string) => (await compute.backendServices.get({ project, backendService: name })).data;
  const attach = (backendService: string, securityPolicy: string | null) =>
    compute.backendServices.setSecurityPolicy({ project, backendService, requestBody: securityPolicy === null ? {} : { securityPolicy } });

  describe('policies', () => {
    it("creates a policy with Google's defaults: type CLOUD_ARMOR, a fingerprint and the default allow rule", async () => {
      const op = await createPolicy('armor', { description: 'Blocks the documentation range' });
      assert.equal(op.kind, 'compute#operation');
      assert.equal(op.operationType, 'insert');
      assert.equal(op.status, 'DONE');
      assert.equal(op.targetLink, url(`${POLICIES}/armor`));
      const policy = await getPolicy('armor');
      assert.equal(policy.kind, 'compute#securityPolicy');
      assert.equal(policy.name, 'armor');
      assert.equal(policy.description, 'Blocks the documentation range');
      assert.equal(policy.type, 'CLOUD_ARMOR');
      assert.equal(policy.selfLink, url(`${POLICIES}/armor`));
      assert.equal(op.targetId, policy.id);
      assert.match(policy.id ?? '', /^\d+$/);
      assert.match(policy.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-07:00$/);
      assert.match(policy.fingerprint ?? '', /^[A-Za-z0-9_-]{11}=$/);
      assert.ok(policy.labelFingerprint);
      assert.deepEqual(policy.rules, [DEFAULT_RULE]);
    });

    it('keeps the rules a creator sends, adds the default rule when they lack one, and refuses rules Google refuses', async () => {
      await createPolicy('with-rules', { rules: [denyRule(1000)] });
      const policy = await getPolicy('with-rules');
      assert.deepEqual(
        policy.rules?.map((r) => [r.priority, r.action, r.kind]),
        [
          [1000, 'deny(403)', 'compute#securityPolicyRule'],
          [2147483647, 'allow', 'compute#securityPolicyRule'],
        ],
      );
      await refused(
        createPolicy('twice', { rules: [denyRule(10), denyRule(10)] }),
        400,
        'invalid',
        /Cannot have rules with the same priorities/,
      );
      await refused(
        createPolicy('bad-action', { rules: [{ ...denyRule(10), action: 'block' }] }),
        400,
        'invalid',
        /^Invalid value for field 'resource\.rules\[0\]\.action': 'block'\./,
      );
      await refused(createPolicy('narrow-default', { rules: [denyRule(2147483647, ['10.0.0.0/8'])] }), 400, 'invalid', /default rule/);
      await refused(createPolicy('bad-type', { type: 'CLOUD_ARMOR_SOMETHING' }), 400, 'invalid', /resource\.type/);
      await refused(createPolicy('Bad_Name'), 400, 'invalid', /resource\.name/);
    });

    it('refuses a second policy of the same name (409) and answers 404 for an unknown one', async () => {
      await createPolicy('armor');
      await refused(createPolicy('armor'), 409, 'alreadyExists', new RegExp(`^The resource '${POLICIES}/armor' already exists$`));
      await refused(getPolicy('nope'), 404, 'notFound', new RegExp(`^The resource '${POLICIES}/nope' was not found$`));
      await refused(compute.securityPolicies.delete({ project, securityPolicy: 'nope' }), 404, 'notFound', /was not found/);
      await refused(
        compute.securityPolicies.addRule({ project, securityPolicy: 'nope', requestBody: denyRule(1000) }),
        404,
        'notFound',
        /was not found/,
      );
    });

    it('lists policies, and lists them in every scope with one aggregated request (as gcloud does)', async () => {
      await createPolicy('b-policy');
      await createPolicy('a-policy', { type: 'CLOUD_ARMOR_EDGE' });
      const list = (await compute.securityPolicies.list({ project })).data;
      assert.equal(list.kind, 'compute#securityPolicyList');
      assert.deepEqual(
        list.items?.map((p) => [p.name, p.type]),
        [
          ['a-policy', 'CLOUD_ARMOR_EDGE'],
          ['b-policy', 'CLOUD_ARMOR'],
        ],
      );
      const filtered = (await compute.securityPolicies.list({ project, filter: 'name eq b-.*' })).data;
      assert.deepEqual(
        filtered.items?.map((p) => p.name),
        ['b-policy'],
      );
      const aggregated = (await compute.securityPolicies.aggregatedList({ project })).data;
      assert.equal(aggregated.kind, 'compute#securityPolicyAggregatedList');
      assert.deepEqual(
        aggregated.items?.global.securityPolicies?.map((p) => p.name),
        ['a-policy', 'b-policy'],
      );
      assert.equal(aggregated.items?.['regions/us-central1'].warning?.code, 'NO_RESULTS_ON_PAGE');
    });

    it('patches a policy with its current fingerprint, refuses a stale one (412), and leaves rules and type alone', async () => {
      await createPolicy('armor', { description: 'old' });
      const before = await getPolicy('armor');
      const op = (
        await compute.securityPolicies.patch({
          project,
          securityPolicy: 'armor',
          requestBody: { description: 'new', fingerprint: before.fingerprint, rules: [] },
        })
      ).data;
      assert.equal(op.operationType, 'patch');
      const after = await getPolicy('armor');
      assert.equal(after.description, 'new');
      assert.notEqual(after.fingerprint, before.fingerprint);
      assert.deepEqual(after.rules, [DEFAULT_RULE], 'patch cannot change the rules');
      assert.equal(after.id, before.id);
      await refused(
        compute.securityPolicies.patch({
          project,
          securityPolicy: 'armor',
          requestBody: { description: 'stale', fingerprint: before.fingerprint },
        }),
        412,
        'conditionNotMet',
        /^Invalid fingerprint\.$/,
      );
      assert.equal((await getPolicy('armor')).description, 'new');
      await refused(
        compute.securityPolicies.patch({ project, securityPolicy: 'armor', requestBody: { type: 'CLOUD_ARMOR_EDGE' } }),
        400,
        'invalid',
        /resource\.type/,
      );
      await refused(
        compute.securityPolicies.patch({ project, securityPolicy: 'nope', requestBody: { description: 'x' } }),
        404,
        'notFound',
        /was not found/,
      );
    });

    it('deletes a policy', async () => {
      await createPolicy('armor');
      const op = (await compute.securityPolicies.delete({ project, securityPolicy: 'armor' })).data;
      assert.equal(op.operationType, 'delete');
      assert.equal(op.targetLink, url(`${POLICIES}/armor`));
      await refused(getPolicy('armor'), 404, 'notFound', /was not found/);
    });
  });

  describe('rules', () => {
    it('adds, reads, patches and removes a rule, each write a new fingerprint in one operation', async () => {
      await createPolicy('armor');
      const fingerprints = [(await getPolicy('armor')).fingerprint];
      const added = (
        await compute.securityPolicies.addRule({
          project,
          securityPolicy: 'armor',
          requestBody: { ...denyRule(1000), description: 'documentation range' },
        })
      ).data;
      assert.equal(added.operationType, 'AddRule');
      assert.equal(added.status, 'DONE');
      assert.equal(added.targetLink, url(`${POLICIES}/armor`));
      const rule = (await compute.securityPolicies.getRule({ project, securityPolicy: 'armor', priority: 1000 })).data;
      assert.deepEqual(rule, {
        kind: 'compute#securityPolicyRule',
        description: 'documentation range',
        priority: 1000,
        action: 'deny(403)',
        preview: false,
        match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['203.0.113.0/24'] } },
      });
      const withRule = await getPolicy('armor');
      fingerprints.push(withRule.fingerprint);
      assert.deepEqual(
        withRule.rules?.map((r) => r.priority),
        [1000, 2147483647],
      );

      const patched = (
        await compute.securityPolicies.patchRule({
          project,
          securityPolicy: 'armor',
          priority: 1000,
          requestBody: { priority: 1000, action: 'allow' },
        })
      ).data;
      assert.equal(patched.operationType, 'PatchRule');
      const after = (await compute.securityPolicies.getRule({ project, securityPolicy: 'armor', priority: 1000 })).data;
      assert.equal(after.action, 'allow');
      assert.deepEqual(after.match, rule.match, 'a patch keeps what it does not name');
      assert.equal(after.description, 'documentation range');
      fingerprints.push((await getPolicy('armor')).fingerprint);

      const removed = (await compute.securityPolicies.removeRule({ project, securityPolicy: 'armor', priority: 1000 })).data;
      assert.equal(removed.operationType, 'RemoveRule');
      const end = await getPolicy('armor');
      fingerprints.push(end.fingerprint);
      assert.deepEqual(end.rules, [DEFAULT_RULE]);
      for (let i = 1; i < fingerprints.length; i++)
        assert.notEqual(fingerprints[i], fingerprints[i - 1], `rule change ${i} gives the policy a new fingerprint`);
      const types = (await compute.globalOperations.list({ project })).data.items?.map((o) => o.operationType);
      assert.deepEqual(types, ['insert', 'AddRule', 'PatchRule', 'RemoveRule']);
    });

    it('lets the default rule change its action, and moves a rule to a free priority', async () => {
      await createPolicy('armor');
      await compute.securityPolicies.patchRule({
        project,
        securityPolicy: 'armor',
        priority: 2147483647,
        requestBody: { action: 'deny(404)' },
      });
      assert.equal(
        (await compute.securityPolicies.getRule({ project, securityPolicy: 'armor', priority: 2147483647 })).data.action,
        'deny(404)',
      );
      await compute.securityPolicies.addRule({ project, securityPolicy: 'armor', requestBody: denyRule(1000) });
      await compute.securityPolicies.patchRule({ project, securityPolicy: 'armor', priority: 1000, requestBody: { priority: 900 } });
      assert.deepEqual(
        (await getPolicy('armor')).rules?.map((r) => r.priority),
        [900, 2147483647],
      );
    });

    it('refuses a priority that is taken (400 invalid)', async () => {
      await createPolicy('armor');
      await compute.securityPolicies.addRule({ project, securityPolicy: 'armor', requestBody: denyRule(1000) });
      await refused(
        compute.securityPolicies.addRule({ project, securityPolicy: 'armor', requestBody: denyRule(1000, ['198.51.100.0/24']) }),
        400,
        'invalid',
        /^Invalid value for field 'resource\.priority': '1000'\. Cannot have rules with the same priorities\.$/,
      );
      await refused(
        compute.securityPolicies.addRule({ project, securityPolicy: 'armor', requestBody: denyRule(2147483647) }),
        400,
        'invalid',
        /same priorities/,
      );
      await compute.securityPolicies.addRule({ project, securityPolicy: 'armor', requestBody: denyRule(2000) });
      await refused(
        compute.securityPolicies.patchRule({ project, securityPolicy: 'armor', priority: 2000, requestBody: { priority: 1000 } }),
        400,
        'invalid',
        /same priorities/,
      );
      assert.deepEqual(
        (await getPolicy('armor')).rules?.map((r) => r.priority),
        [1000, 2000, 2147483647],
      );
    });

    it('answers getRule, patchRule and removeRule of a missing priority with 400 invalid', async () => {
      await createPolicy('armor');
      const missing = new RegExp(
        `^Invalid value for field 'priority': '1234'\\. The security policy '${POLICIES}/armor' does not contain a rule at priority 1234\\.$`,
      );
      await refused(compute.securityPolicies.getRule({ project, securityPolicy: 'armor', priority: 1234 }), 400, 'invalid', missing);
      await refused(
        compute.securityPolicies.patchRule({ project, securityPolicy: 'armor', priority: 1234, requestBody: { action: 'allow' } }),
        400,
        'invalid',
        missing,
      );
      await refused(compute.securityPolicies.removeRule({ project, securityPolicy: 'armor', priority: 1234 }), 400, 'invalid', missing);
    });

    it('refuses to remove the default rule', async () => {
      await createPolicy('armor');
      await refused(
        compute.securityPolicies.removeRule({ project, securityPolicy: 'armor', priority: 2147483647 }),
        400,
        'invalid',
        /^Invalid value for field 'priority': '2147483647'\. The default rule/,
      );
      await refused(
        compute.securityPolicies.patchRule({ project, securityPolicy: 'armor', priority: 2147483647, requestBody: { priority: 5 } }),
        400,
        'invalid',
        /default rule/,
      );
      assert.deepEqual((await getPolicy('armor')).rules, [DEFAULT_RULE]);
    });

    it('refuses actions, priorities and matches Google refuses', async () => {
      await createPolicy('armor');
      const add = (rule: compute_v1.Schema$SecurityPolicyRule) =>
        compute.securityPolicies.addRule({ project, securityPolicy: 'armor', requestBody: rule });
      await refused(
        add({ ...denyRule(10), action: 'deny-403' }),
        400,
        'invalid',
        /^Invalid value for field 'resource\.action': 'deny-403'\. The action must be one of allow, deny\(403\), deny\(404\), deny\(502\)/,
      );
      await refused(add({ ...denyRule(10), action: 'deny(401)' }), 400, 'invalid', /resource\.action/);
      await refused(add({ ...denyRule(10), action: 'throttle' }), 400, 'invalid', /resource\.rateLimitOptions/);
      await refused(add({ ...denyRule(10), priority: -1 }), 400, 'invalid', /resource\.priority/);
      await refused(add({ priority: 10, action: 'allow' }), 400, 'invalid', /resource\.match/);
      await refused(add(denyRule(10, [])), 400, 'invalid', /srcIpRanges/);
      await refused(add(denyRule(10, ['300.1.2.3/8'])), 400, 'invalid', /srcIpRanges\[0\]/);
      await refused(
        add(
          denyRule(
            10,
            Array.from({ length: 11 }, (_, i) => `10.${i}.0.0/16`),
          ),
        ),
        400,
        'invalid',
        /Maximum number of src_ip_ranges allowed is 10/,
      );
      await add({ priority: 20, action: 'deny(502)', match: { expr: { expression: "request.path.startsWith('/admin')" } } });
      await refused(
        compute.securityPolicies.patchRule({ project, securityPolicy: 'armor', priority: 20, requestBody: { action: 'refuse' } }),
        400,
        'invalid',
        /resource\.action/,
      );
      assert.deepEqual(
        (await getPolicy('armor')).rules?.map((r) => [r.priority, r.action]),
        [
          [20, 'deny(502)'],
          [2147483647, 'allow'],
        ],
      );
    });
  });

  describe('backend services', () => {
    it('attaches a policy with setSecurityPolicy, reads it back on the service, and detaches it with an empty reference', async () => {
      await createPolicy('armor');
      await createBackend('web-backend');
      const op = (await attach('web-backend', `${url(POLICIES)}/armor`)).data;
      assert.equal(op.operationType, 'setSecurityPolicy');
      assert.equal(op.targetLink, url(`projects/${PROJECT}/global/backendServices/web-backend`));
      assert.equal((await getBackend('web-backend')).securityPolicy, url(`${POLICIES}/armor`));
      const listed = (await compute.backendServices.list({ project })).data.items?.find((b) => b.name === 'web-backend');
      assert.equal(listed?.securityPolicy, url(`${POLICIES}/armor`));
      await attach('web-backend', null);
      assert.equal((await getBackend('web-backend')).securityPolicy, undefined);
      await attach('web-backend', `global/securityPolicies/armor`);
      await attach('web-backend', '');
      assert.equal((await getBackend('web-backend')).securityPolicy, undefined);
    });

    it('accepts the reference as a full URL of any host or a partial path, and stores it canonically', async () => {
      await createPolicy('armor');
      await createBackend('web-backend');
      for (const ref of [
        `https://www.googleapis.com/compute/v1/${POLICIES}/armor`,
        `${POLICIES}/armor`,
        'global/securityPolicies/armor',
        `https://compute.googleapis.com/compute/v1/${POLICIES}/armor`,
      ]) {
        await attach('web-backend', ref);
        assert.equal((await getBackend('web-backend')).securityPolicy, url(`${POLICIES}/armor`), ref);
      }
      const state = await h.emulator.control.state();
      const stored = state.compute[PROJECT].backendServices.find((b: { name: string }) => b.name === 'web-backend');
      assert.equal(stored.securityPolicy, url(`${POLICIES}/armor`));
    });

    it('refuses to delete a policy a backend service uses, with resourceInUseByAnotherResource', async () => {
      await createPolicy('armor');
      await createBackend('web-backend');
      await attach('web-backend', `${POLICIES}/armor`);
      await refused(
        compute.securityPolicies.delete({ project, securityPolicy: 'armor' }),
        400,
        'resourceInUseByAnotherResource',
        new RegExp(
          `^The security_policy resource '${POLICIES}/armor' is already being used by 'projects/${PROJECT}/global/backendServices/web-backend'$`,
        ),
      );
      await attach('web-backend', null);
      await compute.securityPolicies.delete({ project, securityPolicy: 'armor' });
      await refused(getPolicy('armor'), 404, 'notFound', /was not found/);
    });

    it('refuses a policy that does not exist (404) or whose reference is malformed', async () => {
      await createBackend('web-backend');
      await refused(
        attach('web-backend', `${POLICIES}/nope`),
        404,
        'notFound',
        new RegExp(`^The resource '${POLICIES}/nope' was not found$`),
      );
      await refused(attach('web-backend', `projects/${PROJECT}/global/urlMaps/nope`), 400, 'invalid', /The URL is malformed/);
      await createPolicy('armor');
      await refused(attach('missing-backend', `${POLICIES}/armor`), 404, 'notFound', /backendServices\/missing-backend' was not found/);
      assert.equal((await getBackend('web-backend')).securityPolicy, undefined);
    });

    it('takes a CLOUD_ARMOR_EDGE policy only as the edge security policy', async () => {
      await createPolicy('edge', { type: 'CLOUD_ARMOR_EDGE' });
      await createPolicy('armor');
      await createBackend('web-backend', { enableCDN: true });
      await refused(
        attach('web-backend', `${POLICIES}/edge`),
        400,
        'invalid',
        /^Invalid value for field 'resource\.securityPolicy': '.*\/edge'\. A security policy of type CLOUD_ARMOR_EDGE cannot be the security policy/,
      );
      const op = (
        await compute.backendServices.setEdgeSecurityPolicy({
          project,
          backendService: 'web-backend',
          requestBody: { securityPolicy: `${POLICIES}/edge` },
        })
      ).data;
      assert.equal(op.operationType, 'setEdgeSecurityPolicy');
      await refused(
        compute.backendServices.setEdgeSecurityPolicy({
          project,
          backendService: 'web-backend',
          requestBody: { securityPolicy: `${POLICIES}/armor` },
        }),
        400,
        'invalid',
        /resource\.edgeSecurityPolicy/,
      );
      await attach('web-backend', `${POLICIES}/armor`);
      const backend = await getBackend('web-backend');
      assert.equal(backend.edgeSecurityPolicy, url(`${POLICIES}/edge`));
      assert.equal(backend.securityPolicy, url(`${POLICIES}/armor`));
      await refused(
        compute.securityPolicies.delete({ project, securityPolicy: 'edge' }),
        400,
        'resourceInUseByAnotherResource',
        /already being used by/,
      );
    });

    it('treats securityPolicy as output only on insert, update and patch: only the set methods change it', async () => {
      await createPolicy('armor');
      await createPolicy('other');
      await createBackend('web-backend', { securityPolicy: `${POLICIES}/armor` });
      assert.equal((await getBackend('web-backend')).securityPolicy, undefined, 'an insert does not attach a policy');
      await attach('web-backend', `${POLICIES}/armor`);
      const current = await getBackend('web-backend');
      await compute.backendServices.update({
        project,
        backendService: 'web-backend',
        requestBody: { ...current, securityPolicy: undefined, timeoutSec: 30 },
      });
      assert.equal((await getBackend('web-backend')).securityPolicy, url(`${POLICIES}/armor`), 'an update without it keeps it');
      await compute.backendServices.patch({
        project,
        backendService: 'web-backend',
        requestBody: { securityPolicy: `${POLICIES}/other`, description: 'patched' },
      });
      const patched = await getBackend('web-backend');
      assert.equal(patched.description, 'patched');
      assert.equal(patched.securityPolicy, url(`${POLICIES}/armor`), 'a patch naming another keeps it');
    });
  });

  describe('permissions', () => {
    it('checks compute.securityPolicies.* and compute.backendServices.setSecurityPolicy as Google names them', async () => {
      await createPolicy('armor');
      await createBackend('web-backend');
      const deny = (permission: string) => h.emulator.control.addProject({ id: PROJECT, deniedPermissions: [permission] });
      const forbidden = (permission: string, path: string) =>
        new RegExp(`^Required '${permission.replace(/\./g, '\\.')}' permission for '${path}'$`);
      await deny('compute.securityPolicies.create');
      await refused(createPolicy('second'), 403, 'forbidden', forbidden('compute.securityPolicies.create', `${POLICIES}/second`));
      await deny('compute.securityPolicies.list');
      await refused(
        compute.securityPolicies.list({ project }),
        403,
        'forbidden',
        forbidden('compute.securityPolicies.list', `projects/${PROJECT}`),
      );
      await refused(compute.securityPolicies.aggregatedList({ project }), 403, 'forbidden', /compute\.securityPolicies\.list/);
      await deny('compute.securityPolicies.get');
      await refused(getPolicy('armor'), 403, 'forbidden', forbidden('compute.securityPolicies.get', `${POLICIES}/armor`));
      await refused(
        compute.securityPolicies.getRule({ project, securityPolicy: 'armor', priority: 2147483647 }),
        403,
        'forbidden',
        /compute\.securityPolicies\.get/,
      );
      await deny('compute.securityPolicies.update');
      await refused(
        compute.securityPolicies.addRule({ project, securityPolicy: 'armor', requestBody: denyRule(1000) }),
        403,
        'forbidden',
        forbidden('compute.securityPolicies.update', `${POLICIES}/armor`),
      );
      await refused(
        compute.securityPolicies.patch({ project, securityPolicy: 'armor', requestBody: { description: 'x' } }),
        403,
        'forbidden',
        /compute\.securityPolicies\.update/,
      );
      await deny('compute.securityPolicies.delete');
      await refused(
        compute.securityPolicies.delete({ project, securityPolicy: 'armor' }),
        403,
        'forbidden',
        /compute\.securityPolicies\.delete/,
      );
      await deny('compute.securityPolicies.use');
      await refused(
        attach('web-backend', `${POLICIES}/armor`),
        403,
        'forbidden',
        forbidden('compute.securityPolicies.use', `${POLICIES}/armor`),
      );
      await deny('compute.backendServices.setSecurityPolicy');
      await refused(
        attach('web-backend', `${POLICIES}/armor`),
        403,
        'forbidden',
        forbidden('compute.backendServices.setSecurityPolicy', `projects/${PROJECT}/global/backendServices/web-backend`),
      );
      await deny('compute.nothing');
      assert.deepEqual((await getPolicy('armor')).rules, [DEFAULT_RULE], 'nothing refused changed the policy');
      assert.equal((await getBackend('web-backend')).securityPolicy, undefined);
    });
  });
});
