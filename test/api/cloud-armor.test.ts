// Cloud Armor through Make global against the emulator: the options step lists the project's backend policies, Apply
// attaches the chosen one (and adopts it on a second run), Undo puts back what was there, and bad choices are refused.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { undoApply } from '../../src/core/apply/applyUndo';
import { planMakeGlobal } from '../../src/core/flows/makeGlobal';
import { ProjectModel } from '../../src/core/model/projectModel';
import type { GlobalizeChoices } from '../../src/core/plan/types';
import { ScriptedUi, silentWizard, type Prompt } from '../support/fakes';
import { Harness, PROJECT, startHarness } from './setup';

const POLICIES = `projects/${PROJECT}/global/securityPolicies`;
const tail = (ref: string | null | undefined) => (ref ?? '').split('/').pop();

/** The demo seed's storefront load balancer, named as it is: everything adopted, only the policy changes. */
const STOREFRONT = {
  service: 'storefront',
  regions: ['us-central1', 'europe-west1'],
  domains: ['shop.example.com'],
  names: {
    backendService: 'storefront-backend',
    urlMap: 'storefront-url-map',
    certificate: 'storefront-cert',
    httpsProxy: 'storefront-https-proxy',
    address: 'storefront-ip',
    httpsRule: 'storefront-https-rule',
    redirectUrlMap: 'storefront-redirect',
    httpProxy: 'storefront-http-proxy',
    httpRule: 'storefront-http-rule',
    networkEndpointGroups: { 'us-central1': 'storefront-neg-us-central1', 'europe-west1': 'storefront-neg-europe-west1' },
  },
  options: { httpsRedirect: true, cdn: true, ipv6: false, cloudDns: false },
};

describe('Cloud Armor policy from Make global (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;
  let model: ProjectModel;
  const compute = () => h.connection.compute(PROJECT);
  const clients = () => ({ compute: compute(), run: h.connection.run(PROJECT) });
  const plan = async (choices: GlobalizeChoices) =>
    (await planMakeGlobal({ ...STOREFRONT, choices }, undefined, { connection: h.connection, project: PROJECT, model, ui: silentWizard }))
      .plan;

  before(async () => {
    h = await startHarness({ seed: 'demo' });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('demo');
    model = new ProjectModel({
      connect: () => ({ project: PROJECT, compute: compute(), run: h.connection.run(PROJECT) }),
      resolver: () => {
        throw new Error('no DNS here');
      },
    });
  });

  it('the options step lists the backend policies beside the options (no edge policy), and the pick reaches the plan', async () => {
    let options: Prompt | undefined;
    const ui = new ScriptedUi([
      (prompt: Prompt) => {
        options = prompt;
        return ['httpsRedirect', 'securityPolicy=office-allowlist'];
      },
    ]);
    const { plan } = await planMakeGlobal({ ...STOREFRONT, options: undefined }, undefined, {
      connection: h.connection,
      project: PROJECT,
      model,
      ui,
    });
    const labels = options?.items?.map((i) => i.label) ?? [];
    assert.ok(labels.includes('Cloud Armor policy: office-allowlist'), labels.join(' | '));
    assert.ok(!labels.some((l) => l.includes('edge-cache-policy')), 'an edge policy cannot go on a backend service');
    assert.match(
      String(options?.items?.find((i) => i.label.endsWith('office-allowlist'))?.description),
      /backend security policy · 2 rules/,
    );
    assert.equal(
      options?.validate?.(['securityPolicy=a', 'securityPolicy=b'] as never),
      'Pick one Cloud Armor policy at most (a, b are picked).',
    );
    assert.deepEqual(plan.choices, { securityPolicy: 'office-allowlist' });
    assert.equal(plan.options.cdn, false, 'options left unticked are off');
  });

  it('Apply attaches the policy to the existing backend service, a second run adopts it, Undo puts back none', async () => {
    const first = await plan({ securityPolicy: 'office-allowlist' });
    assert.deepEqual(
      first.steps.filter((s) => s.action !== 'exists').map((s) => `${s.action} ${s.id}`),
      ['update security-policy'],
      'everything else of the storefront load balancer is adopted',
    );
    const result = await applyPlan(first, clients());
    assert.ok(result.ok, JSON.stringify(result.steps.filter((s) => s.outcome === 'failed')));
    assert.equal(tail((await compute().get('backendServices', 'storefront-backend')).securityPolicy), 'office-allowlist');
    assert.deepEqual(
      result.amended?.map((a) => [a.kind, a.name, a.record]),
      [['attachSecurityPolicy', 'storefront-backend', { policy: `${POLICIES}/office-allowlist`, previous: null }]],
    );
    assert.equal(result.created.length, 0);

    const second = await plan({ securityPolicy: 'office-allowlist' });
    assert.equal(second.steps.find((s) => s.id === 'security-policy')?.action, 'exists');
    const again = await applyPlan(second, clients());
    assert.equal(again.steps.find((s) => s.stepId === 'security-policy')?.outcome, 'adopted');

    const report = await undoApply(result, compute());
    assert.equal(report.restored.length, 1);
    assert.equal(report.deleted.length, 0);
    assert.equal((await compute().get('backendServices', 'storefront-backend')).securityPolicy ?? undefined, undefined);
  });

  it('Undo leaves a policy someone changed since, and says what it found', async () => {
    await compute().insert('securityPolicies', { name: 'other-policy' });
    const result = await applyPlan(await plan({ securityPolicy: 'office-allowlist' }), clients());
    assert.ok(result.ok);
    await compute().setSecurityPolicy('storefront-backend', `${POLICIES}/other-policy`);
    const report = await undoApply(result, compute());
    assert.equal(report.restored.length, 0);
    assert.match(report.kept[0]?.reason ?? '', /now uses Cloud Armor policy other-policy, not office-allowlist as this plan left it/);
    assert.equal(tail((await compute().get('backendServices', 'storefront-backend')).securityPolicy), 'other-policy');
  });

  it('a policy that does not exist, or an edge policy, is refused before anything is planned, with what to do', async () => {
    await assert.rejects(plan({ securityPolicy: 'nope' }), (err: Error & { remedy?: string }) => {
      assert.match(err.message, /Cloud Armor policy nope does not exist in project demo-project/);
      assert.match(err.remedy ?? '', /Pick one of office-allowlist, or none/);
      return true;
    });
    await assert.rejects(plan({ securityPolicy: 'edge-cache-policy' }), /cannot be used: it is of type CLOUD_ARMOR_EDGE/);
  });
});
