// The exported gcloud script, run by the real gcloud against one fresh emulator, builds the same
// load balancer as Apply against another: the export is a faithful account of the plan.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/applyPlan';
import { GcpConnection } from '../../src/gcp/connection';
import { loadInventory } from '../../src/gcp/inventory';
import { finishDomainChange } from '../../src/flows/changeDomains';
import { ProjectModel } from '../../src/model/projectModel';
import { buildChangeDomainsPlan, buildPlan, exportGcloud, pendingDomainChanges, type GlobalizeRequest } from '../../src/plan';
import { buildTopology, type Topology } from '../../src/topology';
import { startEmulator, type Emulator, type SeedData } from '../emulator';
import { emulatorConnection, findOnPath, skipWithoutGcloud } from './helpers';

const PROJECT = 'demo-project';
const SEED: SeedData = { runServices: [{ name: 'web', region: 'us-central1' }, { name: 'web', region: 'europe-west1' }] };
const REQUEST: GlobalizeRequest = {
  project: PROJECT, service: 'web', regions: ['us-central1', 'europe-west1'], domains: ['www.example.com', 'example.com'],
  options: { cdn: true, httpsRedirect: true, ipv6: false },
};



/** What makes two load balancers the same, without the IPs and ids each emulator hands out. */
function normalise(topology: Topology) {
  const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
  return topology.loadBalancers.map((lb) => ({
    scheme: lb.scheme, https: lb.https, httpsRedirect: lb.httpsRedirect, ipVersion: lb.ipVersion, address: lb.address?.name, domains: lb.domains,
    rules: lb.rules.map((r) => ({ name: r.name, ports: r.ports, scheme: r.scheme, protocol: r.protocol, targetKind: r.targetKind, target: r.target?.name })),
    certificates: byName(lb.certificates).map((c) => ({ name: c.name, managed: c.managed, domains: [...c.domains].sort() })),
    urlMaps: byName(lb.urlMaps).map((m) => ({ name: m.name, redirectOnly: m.redirectOnly, httpsRedirect: m.httpsRedirect, backends: m.backends.map((b) => b.name) })),
    backendServices: byName(lb.backendServices).map((b) => ({ name: b.name, scheme: b.scheme, cdn: b.cdn, protocol: b.protocol, groups: b.groups.map((g) => g.name).sort() })),
    negs: byName(lb.networkEndpointGroups).map((n) => ({ name: n.name, region: n.region, type: n.endpointType, service: n.cloudRun?.service })),
    services: lb.services.map((s) => ({ name: s.name, regions: s.regions.map((r) => r.region).sort() })),
    missing: lb.missing.map((m) => m.id), unmodelled: lb.unmodelled.map((u) => u.id),
  }));
}

describe('exported gcloud script against the emulator (same topology as Apply)', function () {
  this.timeout(120000);
  const gcloudPath = findOnPath('gcloud');
  let viaGcloud: Emulator;
  let viaApply: Emulator;
  let dir: string;

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    [viaGcloud, viaApply] = await Promise.all([startEmulator({ seed: SEED, dns: false }), startEmulator({ seed: SEED, dns: false })]);
    dir = mkdtempSync(join(tmpdir(), 'crg-export-'));
  });

  after(async () => {
    await Promise.all([viaGcloud?.close(), viaApply?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function runScript(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const config = join(dir, 'config');
    mkdirSync(join(config, 'configurations'), { recursive: true });
    mkdirSync(join(dir, 'home'), { recursive: true });
    writeFileSync(join(dir, 'token'), 'conformance-token\n');
    // What `gcloud config set …` writes, written at once (every gcloud start costs a second).
    writeFileSync(join(config, 'active_config'), 'default');
    writeFileSync(join(config, 'configurations', 'config_default'), [
      '[core]', `project = ${PROJECT}`, 'disable_usage_reporting = true', '',
      '[component_manager]', 'disable_update_check = true', '',
      '[auth]', `access_token_file = ${join(dir, 'token')}`, '',
      '[api_endpoint_overrides]', `compute = ${viaGcloud.url}compute/v1/`, `run = ${viaGcloud.url}`, '',
    ].join('\n'));
    writeFileSync(join(dir, 'export.sh'), script);
    const proxy = 'http://127.0.0.1:9';
    const env = {
      PATH: process.env.PATH, HOME: join(dir, 'home'), CLOUDSDK_CONFIG: config, CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
      HTTPS_PROXY: proxy, HTTP_PROXY: proxy, https_proxy: proxy, http_proxy: proxy, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost',
      GCE_METADATA_HOST: '127.0.0.1:9', GCE_METADATA_IP: '127.0.0.1:9',
    };
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [join(dir, 'export.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  it('builds the same load balancer: names, references, schemes, ports, certificate domains, NEG services', async () => {
    const gcloudSide = emulatorConnection(viaGcloud);
    const applySide = emulatorConnection(viaApply);
    const plan = buildPlan(REQUEST, await loadInventory(gcloudSide, PROJECT));
    assert.ok(plan.applicable);
    const script = exportGcloud(plan);

    const [ran, applied] = await Promise.all([
      runScript(script),
      loadInventory(applySide, PROJECT).then((inventory) => applyPlan(buildPlan(REQUEST, inventory), { compute: applySide.compute(PROJECT), run: applySide.run(PROJECT) })),
    ]);
    assert.equal(ran.code, 0, `the script failed:\n${ran.stderr}`);
    assert.ok(applied.ok, JSON.stringify(applied.steps.map((s) => [s.stepId, s.outcome, s.message])));

    const [fromGcloud, fromApply] = await Promise.all([loadInventory(gcloudSide, PROJECT), loadInventory(applySide, PROJECT)]);
    const a = normalise(buildTopology(fromGcloud));
    const b = normalise(buildTopology(fromApply));
    assert.equal(a.length, 1, 'the script built one load balancer');
    assert.deepEqual(a, b);
    assert.equal(a[0].scheme, 'EXTERNAL_MANAGED');
    assert.deepEqual(a[0].rules.map((r) => `${r.name}:${r.ports}:${r.scheme}`), ['web-https-rule:443:EXTERNAL_MANAGED', 'web-http-rule:80:EXTERNAL_MANAGED']);
    assert.deepEqual(a[0].services, [{ name: 'web', regions: ['europe-west1', 'us-central1'] }]);
    assert.match(ran.stdout, /Point the DNS records of www\.example\.com, example\.com at: \d+\.\d+\.\d+\.\d+/);

    // The plan built from what gcloud made adopts everything: nothing differs field by field either.
    const replan = buildPlan(REQUEST, fromGcloud);
    assert.deepEqual(replan.steps.filter((s) => s.action !== 'exists').map((s) => [s.id, s.action, s.differences]), []);
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
      runScript(script),
      loadInventory(applySide, PROJECT).then((inventory) => applyPlan(buildChangeDomainsPlan(change, inventory), { compute: applySide.compute(PROJECT), run: applySide.run(PROJECT) })),
    ]);
    assert.equal(ran.code, 0, `the script failed:\n${ran.stderr}`);
    assert.ok(applied.ok, JSON.stringify(applied.steps.map((s) => [s.stepId, s.outcome, s.message])));
    const proxyCertificates = async (side: GcpConnection) => ((await side.compute(PROJECT).get('targetHttpsProxies', 'web-https-proxy')).sslCertificates ?? []).map((c) => c.split('/').pop());
    const { oldCertificates, newCertificate } = plan.domainChange!;
    assert.deepEqual(await proxyCertificates(gcloudSide), [...oldCertificates, newCertificate]);
    assert.deepEqual(normalise(buildTopology(await loadInventory(gcloudSide, PROJECT))), normalise(buildTopology(await loadInventory(applySide, PROJECT))));
    // gcloud's --description carries what the certificate replaces: the pending change is found from its live state.
    assert.deepEqual(pendingDomainChanges(buildTopology(await loadInventory(gcloudSide, PROJECT))).map((p) => [p.httpsProxy, p.newCertificate.name, p.oldCertificates, p.ready]),
      [['web-https-proxy', newCertificate, oldCertificates, false]]);

    // The finish the script leaves commented out, run as it stands: it stops while the new certificate provisions.
    const finish = ['set -euo pipefail', `PROJECT=${PROJECT}`, ...script.slice(script.indexOf('# Then, once')).split('\n').filter((l) => l.startsWith('#   ')).map((l) => l.slice(4))].join('\n') + '\n';
    const early = await runScript(finish);
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
    const model = new ProjectModel({ connect: () => ({ project: PROJECT, compute: applySide.compute(PROJECT), run: applySide.run(PROJECT) }), resolver: () => { throw new Error('no DNS here'); } });
    const quiet = { confirm: async () => true, withProgress: <T>(_t: string, task: (r: (m: string) => void, s: AbortSignal) => Promise<T>) => task(() => undefined, new AbortController().signal), info: () => undefined, warn: () => undefined, log: () => undefined };
    const [done, report] = await Promise.all([runScript(finish), finishDomainChange({ httpsProxy: 'web-https-proxy', confirmed: true }, { model, compute: applySide.compute(PROJECT), ui: quiet })]);
    assert.equal(done.code, 0, `the finish failed:\n${done.stderr}`);
    assert.deepEqual(report?.deleted, oldCertificates);
    assert.deepEqual(await proxyCertificates(gcloudSide), [newCertificate]);
    const [fromGcloud, fromApply] = await Promise.all([loadInventory(gcloudSide, PROJECT), loadInventory(applySide, PROJECT)]);
    assert.deepEqual(normalise(buildTopology(fromGcloud)), normalise(buildTopology(fromApply)));
    assert.deepEqual(fromGcloud.sslCertificates.map((c) => c.name), [newCertificate], 'the old certificate is deleted');
  });
});
