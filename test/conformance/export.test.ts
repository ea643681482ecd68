// The exported gcloud script, run by the real gcloud against one fresh emulator, builds the same
// load balancer as Apply against another: the export is a faithful account of the plan.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { GcpConnection } from '../../src/core/gcp/connection';
import { loadInventory } from '../support/inventory';
import { finishDomainChange } from '../../src/core/flows/changeDomains';
import { ProjectModel } from '../../src/core/model/projectModel';
import { buildChangeDomainsPlan, pendingDomainChanges } from '../../src/core/plan/changeDomains';
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
  scriptBesideApply,
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
  options: { cdn: true, httpsRedirect: true, ipv6: false },
};

describe('exported gcloud script against the emulator (same topology as Apply)', function () {
  this.timeout(120000);
  const gcloudPath = findOnPath('gcloud');
  let viaGcloud: Emulator;
  let viaApply: Emulator;
  let scripts: ScriptRunner;

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    [viaGcloud, viaApply] = await Promise.all([startEmulator({ seed: SEED, dns: false }), startEmulator({ seed: SEED, dns: false })]);
    scripts = gcloudScriptRunner(PROJECT, { compute: `${viaGcloud.url}compute/v1/`, run: viaGcloud.url });
  });

  after(async () => {
    await Promise.all([viaGcloud?.close(), viaApply?.close()]);
    scripts?.close();
  });

  it('builds the same load balancer: names, references, schemes, ports, certificate domains, NEG services', async () => {
    const gcloudSide = emulatorConnection(viaGcloud);
    const applySide = emulatorConnection(viaApply);
    const { ran } = await scriptBesideApply(PROJECT, { gcloud: gcloudSide, apply: applySide }, scripts, (inventory) =>
      buildPlan(REQUEST, inventory),
    );

    const [fromGcloud, fromApply] = await Promise.all([loadInventory(gcloudSide, PROJECT), loadInventory(applySide, PROJECT)]);
    const a = normaliseLoadBalancers(buildTopology(fromGcloud));
    const b = normaliseLoadBalancers(buildTopology(fromApply));
    assert.equal(a.length, 1, 'the script built one load balancer');
    assert.deepEqual(a, b);
    assert.equal(a[0].scheme, 'EXTERNAL_MANAGED');
    assert.deepEqual(
      a[0].rules.map((r) => `${r.name}:${r.ports}:${r.scheme}`),
      ['web-https-rule:443:EXTERNAL_MANAGED', 'web-http-rule:80:EXTERNAL_MANAGED'],
    );
    assert.deepEqual(a[0].services, [{ name: 'web', regions: ['europe-west1', 'us-central1'] }]);
    assert.match(ran.stdout, /Point the DNS records of www\.example\.com, example\.com at: \d+\.\d+\.\d+\.\d+/);

    // The plan built from what gcloud made adopts everything: nothing differs field by field either.
    const replan = buildPlan(REQUEST, fromGcloud);
    assert.deepEqual(
      replan.steps.filter((s) => s.action !== 'exists').map((s) => [s.id, s.action, s.differences]),
      [],
    );
  });

  it('Change Domains: the script attaches the new certificate beside the old one as Apply does; its finish waits for ACTIVE, then leaves what the finish step leaves', async () => {
    // Runs on the load balancer the previous test built on both sides.
    const gcloudSide = emulatorConnection(viaGcloud);
    const applySide = emulatorConnection(viaApply);
    const change = { project: PROJECT, httpsProxy: 'web-https-proxy', domains: ['www.example.com', 'example.com', 'shop.example.com'] };
    const plan = buildChangeDomainsPlan(change, await loadInventory(gcloudSide, PROJECT));
    assert.ok(plan.applicable, JSON.stringify(plan.steps));
    const script = exportGcloud(plan);
    const [ran, applied] = await Promise.all([
      scripts.run(script),
      loadInventory(applySide, PROJECT).then((inventory) =>
        applyPlan(buildChangeDomainsPlan(change, inventory), { compute: applySide.compute(PROJECT), run: applySide.run(PROJECT) }),
      ),
    ]);
    assert.equal(ran.code, 0, `the script failed:\n${ran.stderr}`);
    assert.ok(applied.ok, JSON.stringify(applied.steps.map((s) => [s.stepId, s.outcome, s.message])));
    const proxyCertificates = async (side: GcpConnection) =>
      ((await side.compute(PROJECT).get('targetHttpsProxies', 'web-https-proxy')).sslCertificates ?? []).map((c) => c.split('/').pop());
    const { oldCertificates, newCertificate } = plan.domainChange!;
    assert.deepEqual(await proxyCertificates(gcloudSide), [...oldCertificates, newCertificate]);
    assert.deepEqual(
      normaliseLoadBalancers(buildTopology(await loadInventory(gcloudSide, PROJECT))),
      normaliseLoadBalancers(buildTopology(await loadInventory(applySide, PROJECT))),
    );
    // gcloud's --description carries what the certificate replaces: the pending change is found from its live state.
    assert.deepEqual(
      pendingDomainChanges(buildTopology(await loadInventory(gcloudSide, PROJECT))).map((p) => [
        p.httpsProxy,
        p.newCertificate.name,
        p.oldCertificates,
        p.ready,
      ]),
      [['web-https-proxy', newCertificate, oldCertificates, false]],
    );

    // The finish the script leaves commented out, run as it stands: it stops while the new certificate provisions.
    const finish =
      [
        'set -euo pipefail',
        `PROJECT=${PROJECT}`,
        ...script
          .slice(script.indexOf('# Then, once'))
          .split('\n')
          .filter((l) => l.startsWith('#   '))
          .map((l) => l.slice(4)),
      ].join('\n') + '\n';
    const early = await scripts.run(finish);
    assert.notEqual(early.code, 0);
    assert.match(early.stderr, new RegExp(`${newCertificate} is not ACTIVE yet; the old certificate keeps serving`));
    assert.deepEqual(await proxyCertificates(gcloudSide), [...oldCertificates, newCertificate], 'nothing changed');

    // Both sides' certificates turn ACTIVE (DNS at the load balancer), then the script's finish and the finish step.
    for (const emulator of [viaGcloud, viaApply]) {
      const side = emulator === viaGcloud ? gcloudSide : applySide;
      const ip = (await side.compute(PROJECT).get('addresses', 'web-ip')).address!;
      await emulator.control.setCertificateTiming({ activationDelayMs: 0 });
      for (const name of change.domains) await emulator.control.setDnsRecord({ name, type: 'A', values: [ip] });
    }
    const model = new ProjectModel({
      connect: () => ({ project: PROJECT, compute: applySide.compute(PROJECT), run: applySide.run(PROJECT) }),
      resolver: () => {
        throw new Error('no DNS here');
      },
    });
    const quiet = {
      confirm: async () => true,
      withProgress: <T>(_t: string, task: (r: (m: string) => void, s: AbortSignal) => Promise<T>) =>
        task(() => undefined, new AbortController().signal),
      info: () => undefined,
      warn: () => undefined,
      log: () => undefined,
    };
    const [done, report] = await Promise.all([
      scripts.run(finish),
      finishDomainChange({ httpsProxy: 'web-https-proxy', confirmed: true }, { model, compute: applySide.compute(PROJECT), ui: quiet }),
    ]);
    assert.equal(done.code, 0, `the finish failed:\n${done.stderr}`);
    assert.deepEqual(report?.deleted, oldCertificates);
    assert.deepEqual(await proxyCertificates(gcloudSide), [newCertificate]);
    const [fromGcloud, fromApply] = await Promise.all([loadInventory(gcloudSide, PROJECT), loadInventory(applySide, PROJECT)]);
    assert.deepEqual(normaliseLoadBalancers(buildTopology(fromGcloud)), normaliseLoadBalancers(buildTopology(fromApply)));
    assert.deepEqual(
      fromGcloud.sslCertificates.map((c) => c.name),
      [newCertificate],
      'the old certificate is deleted',
    );
  });
});
