// "Issue the certificate before DNS moves", exported: the gcloud script (certificate-manager dns-authorizations,
// certificates, maps, maps entries, target-https-proxies --certificate-map), run by the real gcloud against one
// emulator, builds the same load balancer, map and certificate as Apply against another.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { loadInventory } from '../support/inventory';
import { buildPlan } from '../../src/core/plan/build';
import { exportGcloud } from '../../src/core/plan/gcloud';
import type { GlobalizeRequest } from '../../src/core/plan/types';
import { buildTopology } from '../../src/core/topology/build';
import { startEmulator, type Emulator } from '../emulator';
import type { SeedData } from '../emulator/store';
import {
  emulatorConnection,
  findOnPath,
  gcloudScriptRunner,
  normaliseLoadBalancers,
  skipWithoutGcloud,
  type ScriptRunner,
} from './helpers';

const PROJECT = 'demo-project';
const SEED: SeedData = {
  runServices: [
    { name: 'web', region: 'us-central1' },
    { name: 'web', region: 'europe-west1' },
  ],
};
const REQUEST: GlobalizeRequest = {
  project: PROJECT,
  service: 'web',
  regions: ['us-central1', 'europe-west1'],
  domains: ['www.example.com', 'example.com'],
  options: { cdn: false, httpsRedirect: false, ipv6: false, certificateManager: true },
};

describe('exported gcloud script with Certificate Manager against the emulator (same as Apply)', function () {
  this.timeout(600_000); // about fifteen gcloud starts on a shared machine
  const gcloudPath = findOnPath('gcloud');
  let viaGcloud: Emulator;
  let viaApply: Emulator;
  let scripts: ScriptRunner;

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    [viaGcloud, viaApply] = await Promise.all([startEmulator({ seed: SEED, dns: false }), startEmulator({ seed: SEED, dns: false })]);
    scripts = gcloudScriptRunner(PROJECT, {
      compute: `${viaGcloud.url}compute/v1/`,
      run: viaGcloud.url,
      certificatemanager: viaGcloud.url,
    });
  });

  after(async () => {
    await Promise.all([viaGcloud?.close(), viaApply?.close()]);
    scripts?.close();
  });

  it('builds the same load balancer, certificate map, entries, certificate and DNS authorizations', async () => {
    const gcloudSide = emulatorConnection(viaGcloud);
    const applySide = emulatorConnection(viaApply);
    const plan = buildPlan(REQUEST, await loadInventory(gcloudSide, PROJECT));
    assert.ok(plan.applicable);
    const script = exportGcloud(plan);
    assert.match(script, /--certificate-map=web-cert-map/);

    const [ran, applied] = await Promise.all([
      scripts.run(script),
      loadInventory(applySide, PROJECT).then((inventory) =>
        applyPlan(buildPlan(REQUEST, inventory), {
          compute: applySide.compute(PROJECT),
          run: applySide.run(PROJECT),
          certificateManager: applySide.certificateManager(PROJECT),
        }),
      ),
    ]);
    assert.equal(ran.code, 0, `the script failed:\n${ran.stderr}`);
    assert.ok(applied.ok, JSON.stringify(applied.steps.map((s) => [s.stepId, s.outcome, s.message])));

    const [fromGcloud, fromApply] = await Promise.all([loadInventory(gcloudSide, PROJECT), loadInventory(applySide, PROJECT)]);
    const a = normaliseLoadBalancers(buildTopology(fromGcloud));
    const b = normaliseLoadBalancers(buildTopology(fromApply));
    assert.equal(a.length, 1, 'the script built one load balancer');
    assert.deepEqual(a, b);
    assert.deepEqual(a[0].certificates, [], 'no classic certificate');
    const map = a[0].certificateMaps[0];
    assert.deepEqual(
      map.entries.map((e) => (e.primary ? 'primary' : e.hostname)),
      ['example.com', 'www.example.com', 'primary'],
    );
    // The script ends with the CNAME records to create, read back from the authorizations it made.
    assert.match(ran.stdout, /_acme-challenge\.example\.com\.\s+CNAME\s+\S+\.authorize\.certificatemanager\.goog\./);
    assert.match(ran.stdout, /_acme-challenge\.www\.example\.com\.\s+CNAME/);

    // The plan built from what gcloud made adopts everything.
    const replan = buildPlan(REQUEST, fromGcloud);
    assert.deepEqual(
      replan.steps.filter((s) => s.action !== 'exists').map((s) => [s.id, s.action, s.differences]),
      [],
    );
  });
});
