// The exported gcloud script of a plan that writes Cloud DNS records, run by the real gcloud against one fresh emulator,
// leaves the same records (pointing at that emulator's load balancer) as Apply against another; and the plan built
// afterwards from what gcloud made has nothing left to do.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { GcpConnection } from '../../src/core/gcp/connection';
import { loadInventory } from '../support/inventory';
import { buildPlan } from '../../src/core/plan/build';
import { exportGcloud } from '../../src/core/plan/gcloud';
import type { GlobalizeRequest } from '../../src/core/plan/types';
import { startEmulator, type Emulator } from '../emulator';
import type { SeedData } from '../emulator/store';
import { emulatorConnection, findOnPath, gcloudScriptRunner, skipWithoutGcloud, type ScriptRunner } from './helpers';

const PROJECT = 'demo-project';
const DOMAINS = ['example.com', 'shop.example.org'];
const SEED: SeedData = {
  projects: [{ id: PROJECT }, { id: 'dns-hub' }],
  runServices: [{ name: 'web', region: 'us-central1', project: PROJECT }],
  dnsZones: [
    {
      project: PROJECT,
      name: 'example-zone',
      dnsName: 'example.com.',
      records: [{ name: 'example.com.', type: 'A', ttl: 3600, rrdatas: ['203.0.113.7'] }],
    },
    { project: 'dns-hub', name: 'hub-zone', dnsName: 'example.org.' },
  ],
};
const REQUEST: GlobalizeRequest = {
  project: PROJECT,
  service: 'web',
  regions: ['us-central1'],
  domains: DOMAINS,
  options: { cdn: false, httpsRedirect: false, ipv6: true },
};

async function planOn(connection: GcpConnection) {
  const inventory = await loadInventory(connection, PROJECT);
  const cloudDns = await connection.cloudDns(PROJECT).readState([PROJECT, 'dns-hub'], DOMAINS);
  return buildPlan(REQUEST, { ...inventory, cloudDns });
}

/** Every A and AAAA record of the domains, with the address it names replaced by `v4` / `v6`. */
async function records(connection: GcpConnection): Promise<string[]> {
  const [addresses, state] = await Promise.all([
    connection.compute(PROJECT).listAll('addresses'),
    connection.cloudDns(PROJECT).readState([PROJECT, 'dns-hub'], DOMAINS),
  ]);
  const names = new Map(addresses.map((a) => [a.address, a.ipVersion === 'IPV6' ? 'v6' : 'v4']));
  return state.records
    .filter((r) => r.type === 'A' || r.type === 'AAAA')
    .map((r) => `${r.project}/${r.zone} ${r.name} ${r.type} ${r.ttl} ${r.rrdatas.map((d) => names.get(d) ?? d).join(',')}`)
    .sort();
}

describe('exported gcloud script with Cloud DNS records (same records as Apply)', function () {
  // The script starts about fifteen gcloud processes, each seconds long on a busy machine.
  this.timeout(300_000);
  const gcloudPath = findOnPath('gcloud');
  let viaGcloud: Emulator;
  let viaApply: Emulator;
  let scripts: ScriptRunner;

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    [viaGcloud, viaApply] = await Promise.all([startEmulator({ seed: SEED }), startEmulator({ seed: SEED })]);
    scripts = gcloudScriptRunner(PROJECT, { compute: `${viaGcloud.url}compute/v1/`, run: viaGcloud.url, dns: `${viaGcloud.url}dns/v1/` });
  });
  after(async () => {
    await Promise.all([viaGcloud?.close(), viaApply?.close()]);
    scripts?.close();
  });

  it('creates and updates the same records in both zones, and a re-plan adopts them', async () => {
    const gcloudSide = emulatorConnection(viaGcloud);
    const applySide = emulatorConnection(viaApply);
    const plan = await planOn(gcloudSide);
    assert.deepEqual(
      plan.steps.filter((s) => s.kind === 'dnsRecord').map((s) => `${s.id} ${s.action}`),
      ['dns:A:example.com update', 'dns:AAAA:example.com create', 'dns:A:shop.example.org create', 'dns:AAAA:shop.example.org create'],
    );
    const script = exportGcloud(plan);
    const [ran, applied] = await Promise.all([
      scripts.run(script),
      planOn(applySide).then((p) =>
        applyPlan(p, { compute: applySide.compute(PROJECT), run: applySide.run(PROJECT), dns: applySide.cloudDns(PROJECT) }),
      ),
    ]);
    assert.equal(ran.code, 0, `the script failed:\n${ran.stderr}`);
    assert.ok(applied.ok, JSON.stringify(applied.steps.filter((s) => s.outcome === 'failed')));

    const [fromGcloud, fromApply] = await Promise.all([records(gcloudSide), records(applySide)]);
    assert.deepEqual(fromGcloud, fromApply);
    assert.deepEqual(fromGcloud, [
      'demo-project/example-zone example.com A 300 v4',
      'demo-project/example-zone example.com AAAA 300 v6',
      'dns-hub/hub-zone shop.example.org A 300 v4',
      'dns-hub/hub-zone shop.example.org AAAA 300 v6',
    ]);
    const replan = await planOn(gcloudSide);
    assert.deepEqual(
      replan.steps.filter((s) => s.action !== 'exists').map((s) => [s.id, s.action]),
      [],
    );
  });
});
