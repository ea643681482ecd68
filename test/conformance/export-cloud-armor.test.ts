// Cloud Armor in the exported gcloud script: run by the real gcloud against one emulator, it attaches the policy as Apply
// does against another (`backend-services update --security-policy`), and a plan made afterwards adopts everything.
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/core/plan/build';
import type { GlobalizeRequest } from '../../src/core/plan/types';
import { buildTopology } from '../../src/core/topology/build';
import { startEmulator, type Emulator } from '../emulator';
import type { SeedData } from '../emulator/store';
import { loadInventory } from '../support/inventory';
import {
  emulatorConnection,
  findOnPath,
  gcloudScriptRunner,
  normaliseLoadBalancers,
  scriptBesideApply,
  skipWithoutGcloud,
  type ScriptRunner,
} from './helpers';

const PROJECT = 'demo-project';
const SEED: SeedData = {
  runServices: [{ name: 'web', region: 'us-central1' }],
  compute: [{ project: PROJECT, securityPolicies: [{ name: 'office-allowlist', type: 'CLOUD_ARMOR', rules: [] }] }],
};
const REQUEST: GlobalizeRequest = {
  project: PROJECT,
  service: 'web',
  regions: ['us-central1'],
  domains: ['www.example.com'],
  options: { cdn: false, httpsRedirect: false, ipv6: false },
  choices: { securityPolicy: 'office-allowlist' },
};

describe('exported gcloud script with a Cloud Armor policy (same backend service as Apply)', function () {
  this.timeout(120000);
  let viaGcloud: Emulator;
  let viaApply: Emulator;
  let scripts: ScriptRunner;

  before(async function () {
    if (!findOnPath('gcloud')) skipWithoutGcloud(this);
    [viaGcloud, viaApply] = await Promise.all([startEmulator({ seed: SEED, dns: false }), startEmulator({ seed: SEED, dns: false })]);
    scripts = gcloudScriptRunner(PROJECT, { compute: `${viaGcloud.url}compute/v1/`, run: viaGcloud.url });
  });

  after(async () => {
    await Promise.all([viaGcloud?.close(), viaApply?.close()]);
    scripts?.close();
  });

  it('the script and Apply leave the same load balancer, the policy on its backend service', async () => {
    const gcloudSide = emulatorConnection(viaGcloud);
    const applySide = emulatorConnection(viaApply);
    const { script } = await scriptBesideApply(PROJECT, { gcloud: gcloudSide, apply: applySide }, scripts, (inventory) =>
      buildPlan(REQUEST, inventory),
    );
    assert.match(script, /backend-services update web-backend/);

    const policyOf = async (side: ReturnType<typeof emulatorConnection>) =>
      (await side.compute(PROJECT).get('backendServices', 'web-backend')).securityPolicy?.split('/compute/v1/').pop();
    assert.equal(await policyOf(gcloudSide), `projects/${PROJECT}/global/securityPolicies/office-allowlist`);
    assert.equal(await policyOf(applySide), await policyOf(gcloudSide));

    const [fromGcloud, fromApply] = await Promise.all([loadInventory(gcloudSide, PROJECT), loadInventory(applySide, PROJECT)]);
    assert.deepEqual(normaliseLoadBalancers(buildTopology(fromGcloud)), normaliseLoadBalancers(buildTopology(fromApply)));
    assert.deepEqual(
      buildPlan(REQUEST, fromGcloud)
        .steps.filter((s) => s.action !== 'exists')
        .map((s) => [s.id, s.action, s.differences]),
      [],
      'a plan made from what gcloud built adopts everything, the policy included',
    );
  });
});
