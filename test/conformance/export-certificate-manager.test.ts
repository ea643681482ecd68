// "Issue the certificate before DNS moves", exported: the gcloud script (certificate-manager dns-authorizations,
// certificates, maps, maps entries, target-https-proxies --certificate-map), run by the real gcloud against one
// emulator, builds the same load balancer, map and certificate as Apply against another.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/applyPlan';
import { loadInventory } from '../../src/gcp/inventory';
import { buildPlan, exportGcloud, type GlobalizeRequest } from '../../src/plan';
import { buildTopology, type Topology } from '../../src/topology';
import { startEmulator, type Emulator, type SeedData } from '../emulator';
import { emulatorConnection, findOnPath, skipWithoutGcloud } from './helpers';

const PROJECT = 'demo-project';
const SEED: SeedData = { runServices: [{ name: 'web', region: 'us-central1' }, { name: 'web', region: 'europe-west1' }] };
const REQUEST: GlobalizeRequest = {
  project: PROJECT, service: 'web', regions: ['us-central1', 'europe-west1'], domains: ['www.example.com', 'example.com'],
  options: { cdn: false, httpsRedirect: false, ipv6: false, certificateManager: true },
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
    certificateMaps: lb.rules.flatMap((r) => (r.target?.kind === 'targetHttpsProxy' && r.target.certificateMap?.kind === 'certificateMap' ? [r.target.certificateMap] : [])).map((m) => ({
      name: m.name,
      entries: m.entries.map((e) => ({
        name: e.name, hostname: e.hostname, primary: e.primary,
        certificates: e.certificates.map((c) => (c.kind === 'certificateManagerCertificate'
          ? { name: c.name, domains: [...c.domains].sort(), authorizations: c.authorizations.map((a) => (a.kind === 'dnsAuthorization' ? `${a.name}:${a.domain}:${a.record?.name}` : a.id)) }
          : c.id)),
      })),
    })),
  }));
}

describe('exported gcloud script with Certificate Manager against the emulator (same as Apply)', function () {
  this.timeout(600_000); // about fifteen gcloud starts on a shared machine
  const gcloudPath = findOnPath('gcloud');
  let viaGcloud: Emulator;
  let viaApply: Emulator;
  let dir: string;

  before(async function () {
    if (!gcloudPath) skipWithoutGcloud(this);
    [viaGcloud, viaApply] = await Promise.all([startEmulator({ seed: SEED, dns: false }), startEmulator({ seed: SEED, dns: false })]);
    dir = mkdtempSync(join(tmpdir(), 'crg-export-cm-'));
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
    writeFileSync(join(config, 'active_config'), 'default');
    writeFileSync(join(config, 'configurations', 'config_default'), [
      '[core]', `project = ${PROJECT}`, 'disable_usage_reporting = true', '',
      '[component_manager]', 'disable_update_check = true', '',
      '[auth]', `access_token_file = ${join(dir, 'token')}`, '',
      '[api_endpoint_overrides]', `compute = ${viaGcloud.url}compute/v1/`, `run = ${viaGcloud.url}`, `certificatemanager = ${viaGcloud.url}`, '',
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

  it('builds the same load balancer, certificate map, entries, certificate and DNS authorizations', async () => {
    const gcloudSide = emulatorConnection(viaGcloud);
    const applySide = emulatorConnection(viaApply);
    const plan = buildPlan(REQUEST, await loadInventory(gcloudSide, PROJECT));
    assert.ok(plan.applicable);
    const script = exportGcloud(plan);
    assert.match(script, /--certificate-map=web-cert-map/);

    const [ran, applied] = await Promise.all([
      runScript(script),
      loadInventory(applySide, PROJECT).then((inventory) => applyPlan(buildPlan(REQUEST, inventory), {
        compute: applySide.compute(PROJECT), run: applySide.run(PROJECT), certificateManager: applySide.certificateManager(PROJECT),
      })),
    ]);
    assert.equal(ran.code, 0, `the script failed:\n${ran.stderr}`);
    assert.ok(applied.ok, JSON.stringify(applied.steps.map((s) => [s.stepId, s.outcome, s.message])));

    const [fromGcloud, fromApply] = await Promise.all([loadInventory(gcloudSide, PROJECT), loadInventory(applySide, PROJECT)]);
    const a = normalise(buildTopology(fromGcloud));
    const b = normalise(buildTopology(fromApply));
    assert.equal(a.length, 1, 'the script built one load balancer');
    assert.deepEqual(a, b);
    assert.deepEqual(a[0].certificates, [], 'no classic certificate');
    const map = a[0].certificateMaps[0];
    assert.deepEqual(map.entries.map((e) => e.primary ? 'primary' : e.hostname), ['example.com', 'www.example.com', 'primary']);
    // The script ends with the CNAME records to create, read back from the authorizations it made.
    assert.match(ran.stdout, /_acme-challenge\.example\.com\.\s+CNAME\s+\S+\.authorize\.certificatemanager\.goog\./);
    assert.match(ran.stdout, /_acme-challenge\.www\.example\.com\.\s+CNAME/);

    // The plan built from what gcloud made adopts everything.
    const replan = buildPlan(REQUEST, fromGcloud);
    assert.deepEqual(replan.steps.filter((s) => s.action !== 'exists').map((s) => [s.id, s.action, s.differences]), []);
  });
});
