// "Issue the certificate before DNS moves" end to end against the emulator: Make global with Certificate Manager for a
// domain whose A record points elsewhere; the certificate turns ACTIVE through its _acme-challenge CNAME while the A
// record still points elsewhere; the diagnostics then say the A record can move; once it has moved, nothing remains.
// Also: deleting the load balancer in dependency order, keeping what another load balancer uses, and the messages
// for an API that is off or a permission that is missing.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { undoApply } from '../../src/core/apply/applyUndo';
import { deleteLoadBalancer } from '../../src/core/apply/deleteLoadBalancer';
import { NodeDnsResolver } from '../../src/core/dns/nodeResolver';
import { inspectDomain, type DomainInspection } from '../../src/core/dns/inspect';
import { diagnoseService, domainsToInspect, type ServiceToDiagnose } from '../../src/core/findings/service';
import type { Finding } from '../../src/core/findings/finding';
import { planMakeGlobal } from '../../src/core/flows/makeGlobal';
import { CloudError } from '../../src/core/gcp/errors';
import { ALL_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import { exportGcloud } from '../../src/core/plan/gcloud';
import type { Plan } from '../../src/core/plan/types';
import { planLoadBalancerDeletion } from '../../src/core/topology/deletePlan';
import type { CertificateManagerCertificateNode, Topology } from '../../src/core/topology/model';
import { silentWizard } from '../support/fakes';
import { Harness, PROJECT, startHarness } from './setup';

const DOMAIN = 'shop.example.com';
const ELSEWHERE = '203.0.113.10';
const SERVICE: ServiceToDiagnose = { name: 'shop', region: 'us-central1' };

describe('Certificate Manager: issue the certificate before DNS moves (emulator)', function () {
  this.timeout(60_000);
  let h: Harness;
  let resolver: NodeDnsResolver;
  let model: ProjectModel;

  before(async () => {
    h = await startHarness({ certificates: { activationDelayMs: 300 } });
    resolver = new NodeDnsResolver({ servers: [`127.0.0.1:${h.emulator.dnsPort}`], timeoutMs: 1000, tries: 1 });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('empty');
    await h.emulator.control.loadSeed({ runServices: [{ name: 'shop', region: 'us-central1' }] });
    await h.emulator.control.setDnsRecord({ name: DOMAIN, type: 'A', values: [ELSEWHERE] });
    model = new ProjectModel({
      connect: () => ({
        project: PROJECT,
        compute: h.connection.compute(PROJECT),
        run: h.connection.run(PROJECT),
        certificateManager: h.connection.certificateManager(PROJECT),
      }),
      resolver: () => resolver,
    });
  });

  const clients = () => ({
    compute: h.connection.compute(PROJECT),
    run: h.connection.run(PROJECT),
    certificateManager: h.connection.certificateManager(PROJECT),
  });

  async function makeGlobal(service = 'shop', domains = [DOMAIN]): Promise<{ plan: Plan; ip: string }> {
    const { plan } = await planMakeGlobal(
      {
        service,
        regions: ['us-central1'],
        domains,
        names: {},
        options: { httpsRedirect: false, cdn: false, ipv6: false, certificateManager: true },
      },
      undefined,
      { connection: h.connection, project: PROJECT, model, ui: silentWizard },
    );
    const result = await applyPlan(plan, clients());
    assert.ok(
      result.ok,
      result.steps
        .filter((s) => s.outcome !== 'created')
        .map((s) => `${s.stepId}: ${s.message}`)
        .join('\n'),
    );
    return { plan, ip: result.ip! };
  }

  /** What the editor shows for the service: the model read afresh, DNS as the diagnostics ask for it. */
  async function observe(): Promise<{ topology: Topology; findings: Finding[]; cert?: CertificateManagerCertificateNode }> {
    await model.read(ALL_PARTS, 'refresh');
    const topology = model.topology!;
    const dns = new Map<string, DomainInspection>();
    for (const name of domainsToInspect([SERVICE], topology)) dns.set(name, await inspectDomain(name, resolver));
    const cert = [...topology.nodes.values()].find(
      (n): n is CertificateManagerCertificateNode => n.kind === 'certificateManagerCertificate',
    );
    return { topology, findings: diagnoseService({ service: SERVICE, topology, dns, now: Date.now() }), cert };
  }

  async function until(check: (o: Awaited<ReturnType<typeof observe>>) => boolean): Promise<Awaited<ReturnType<typeof observe>>> {
    let last = await observe();
    for (let i = 0; i < 40 && !check(last); i++) {
      await new Promise((r) => setTimeout(r, 100));
      last = await observe();
    }
    return last;
  }

  const codes = (findings: Finding[]) => findings.map((f) => f.code).sort();
  const aRecord = async () => {
    const a = (await inspectDomain(DOMAIN, resolver)).a;
    return a.kind === 'records' ? a.values : [];
  };

  it('plans authorizations, a certificate, a map with an entry per domain and a primary entry, and a proxy on the map', async () => {
    const { plan } = await planMakeGlobal(
      {
        service: 'shop',
        regions: ['us-central1'],
        domains: [DOMAIN, 'www.example.com'],
        names: {},
        options: { httpsRedirect: false, cdn: false, ipv6: false, certificateManager: true },
      },
      undefined,
      { connection: h.connection, project: PROJECT, model, ui: silentWizard },
    );
    const ids = plan.steps.map((s) => s.id);
    assert.ok(!ids.includes('cert'), 'no classic certificate');
    for (const id of [
      'dns-auth:shop.example.com',
      'dns-auth:www.example.com',
      'cm-cert',
      'cert-map',
      'cert-map-entry:shop.example.com',
      'cert-map-entry:www.example.com',
      'cert-map-entry:primary',
    ])
      assert.ok(ids.includes(id), id);
    const proxy = plan.steps.find((s) => s.id === 'https-proxy')!;
    assert.equal(
      proxy.body.certificateMap,
      `//certificatemanager.googleapis.com/projects/${PROJECT}/locations/global/certificateMaps/${plan.names.certificateMap}`,
    );
    assert.equal(proxy.body.sslCertificates, undefined);
    // Every step comes after what it depends on: the script runs them as listed.
    for (const [i, s] of plan.steps.entries()) for (const d of s.dependsOn) assert.ok(ids.indexOf(d) < i, `${s.id} after ${d}`);
    assert.ok(
      plan.warnings.some((w) => w.startsWith('Create the DNS record _acme-challenge.shop.example.com. CNAME')),
      plan.warnings.join('\n'),
    );
    assert.ok(
      plan.warnings.some((w) => /Keep the A record of shop\.example\.com, www\.example\.com .* until certificate .* is ACTIVE/.test(w)),
    );
    assert.match(exportGcloud(plan), /gcloud certificate-manager dns-authorizations describe shop-example-com-dns-auth/);
  });

  it('the certificate turns ACTIVE while the A record points elsewhere; then "the A record can move"; then nothing', async () => {
    const { plan, ip } = await makeGlobal();

    // Before the CNAME exists: it is missing, and the certificate waits for it.
    const before = await observe();
    assert.deepEqual(codes(before.findings), ['cm-cname-missing', 'cm-provisioning'], before.findings.map((f) => f.message).join('\n'));
    const auth = [...before.topology.nodes.values()].find((n) => n.kind === 'dnsAuthorization');
    assert.ok(auth?.kind === 'dnsAuthorization' && auth.record);
    const missing = before.findings.find((f) => f.code === 'cm-cname-missing')!;
    assert.deepEqual(missing.fixes[0], { kind: 'copyDnsRecord', record: `${auth.record.name} 300 IN CNAME ${auth.record.data}` });
    assert.equal(before.cert?.state, 'PROVISIONING');

    // A CNAME to the wrong target is named as such.
    await h.emulator.control.setDnsRecord({ name: auth.record.name, type: 'CNAME', values: ['somewhere-else.example.net'] });
    const wrong = await observe();
    assert.ok(
      wrong.findings.some((f) => f.code === 'cm-cname-wrong' && f.message.includes('somewhere-else.example.net')),
      wrong.findings.map((f) => f.message).join('\n'),
    );

    // The right CNAME: ACTIVE, with the A record untouched.
    await h.emulator.control.setDnsRecord({ name: auth.record.name, type: 'CNAME', values: [auth.record.data] });
    const active = await until((o) => o.cert?.state === 'ACTIVE');
    assert.equal(active.cert?.state, 'ACTIVE');
    assert.deepEqual(await aRecord(), [ELSEWHERE], 'the A record still points elsewhere');
    assert.deepEqual(codes(active.findings), ['cm-a-can-move'], active.findings.map((f) => f.message).join('\n'));
    const canMove = active.findings[0];
    assert.match(canMove.message, new RegExp(`the A record of ${DOMAIN} can move now\\. It points to ${ELSEWHERE.replace(/\./g, '\\.')}`));
    assert.deepEqual(canMove.fixes[0], { kind: 'copyDnsRecord', record: `${DOMAIN}. 300 IN A ${ip}` });
    assert.equal(active.cert?.name, plan.names.certificate);

    // The A record moves: nothing is left to say.
    await h.emulator.control.setDnsRecord({ name: DOMAIN, type: 'A', values: [ip] });
    const moved = await observe();
    assert.deepEqual(codes(moved.findings), [], moved.findings.map((f) => f.message).join('\n'));
  });

  it('a second run adopts everything; deleting the load balancer removes the map, entries, certificate and authorization in order', async () => {
    const { plan } = await makeGlobal();
    const again = await applyPlan(plan, clients());
    assert.ok(again.ok);
    assert.deepEqual([...new Set(again.steps.map((s) => s.outcome))], ['adopted']);

    await model.read(ALL_PARTS, 'refresh');
    const lb = model.topology!.loadBalancers[0];
    const deletion = planLoadBalancerDeletion(model.topology!, lb.id)!;
    const order = deletion.steps.map((s) => s.kind);
    const at = (kind: string) => order.indexOf(kind as never);
    assert.ok(at('targetHttpsProxy') < at('certificateMapEntry') && at('certificateMapEntry') < at('certificateMap'), order.join(' '));
    assert.ok(
      at('certificateMapEntry') < at('certificateManagerCertificate') && at('certificateManagerCertificate') < at('dnsAuthorization'),
      order.join(' '),
    );
    assert.deepEqual(deletion.kept, []);
    const report = await deleteLoadBalancer(deletion, h.connection.compute(PROJECT), {
      certificateManager: h.connection.certificateManager(PROJECT),
    });
    assert.deepEqual(
      report.failed.map((f) => f.error.message),
      [],
    );
    const left = (await h.emulator.control.state()).certificateManager;
    assert.deepEqual(left, []);
  });

  it("Undo deletes what the run created, Certificate Manager's resources included, in dependency order", async () => {
    const { plan } = await planMakeGlobal(
      {
        service: 'shop',
        regions: ['us-central1'],
        domains: [DOMAIN],
        names: {},
        options: { httpsRedirect: false, cdn: false, ipv6: false, certificateManager: true },
      },
      undefined,
      { connection: h.connection, project: PROJECT, model, ui: silentWizard },
    );
    const result = await applyPlan(plan, clients());
    assert.ok(result.ok);
    const entries = result.created.filter((r) => r.kind === 'certificateMapEntry');
    assert.deepEqual(
      entries.map((r) => r.parent),
      [plan.names.certificateMap, plan.names.certificateMap],
    );
    const report = await undoApply(result, h.connection.compute(PROJECT), { certificateManager: h.connection.certificateManager(PROJECT) });
    assert.deepEqual(
      report.failed.map((f) => f.error.message),
      [],
    );
    assert.equal(report.deleted.length, result.created.length);
    const state = await h.emulator.control.state();
    assert.deepEqual(state.certificateManager, []);
    assert.deepEqual(Object.values(state.compute[PROJECT] as Record<string, unknown[]>).flat(), []);
  });

  it("keeps the certificate and its authorization when another load balancer's map still serves them", async () => {
    const { plan } = await makeGlobal();
    // A second load balancer whose own map serves the same certificate.
    const cm = h.connection.certificateManager(PROJECT);
    await cm.create('certificateMaps', 'other-map', {});
    await cm.create(
      'certificateMapEntries',
      'other-entry',
      { hostname: DOMAIN, certificates: [`projects/${PROJECT}/locations/global/certificates/${plan.names.certificate}`] },
      { map: 'other-map' },
    );
    const compute = h.connection.compute(PROJECT);
    const urlMap = (await compute.get('urlMaps', plan.names.urlMap)).selfLink!;
    const proxy = await compute.insert('targetHttpsProxies', {
      name: 'other-proxy',
      urlMap,
      certificateMap: `//certificatemanager.googleapis.com/projects/${PROJECT}/locations/global/certificateMaps/other-map`,
    });
    await compute.insert('forwardingRules', {
      name: 'other-rule',
      IPProtocol: 'TCP',
      portRange: '443',
      target: proxy.resource.selfLink!,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });

    await model.read(ALL_PARTS, 'refresh');
    const mine = model.topology!.loadBalancers.find((lb) => lb.rules.some((r) => r.name === plan.names.httpsRule))!;
    const deletion = planLoadBalancerDeletion(model.topology!, mine.id)!;
    const deleted = deletion.steps.map((s) => `${s.kind} ${s.name}`);
    assert.ok(deleted.includes(`certificateMap ${plan.names.certificateMap}`), deleted.join('\n'));
    assert.ok(!deleted.some((d) => d.startsWith('certificateManagerCertificate') || d.startsWith('dnsAuthorization')), deleted.join('\n'));
    const kept = deletion.kept.map((k) => k.reason).join('\n');
    assert.match(kept, new RegExp(`Certificate Manager certificate ${plan.names.certificate} is also used by load balancer`));
  });

  it('says what to do when Certificate Manager is off, or a permission is missing', async () => {
    await h.emulator.control.addProject({ id: PROJECT, disabledApis: ['certificatemanager.googleapis.com'] });
    const cm = h.connection.certificateManager(PROJECT);
    await assert.rejects(cm.create('certificateMaps', 'm', {}), (err: CloudError) => {
      assert.equal(err.kind, 'apiDisabled');
      assert.match(err.message, /Certificate Manager API is not enabled in project/);
      assert.match(err.remedy ?? '', /gcloud services enable certificatemanager\.googleapis\.com --project=demo-project/);
      return true;
    });
    // With the API off nothing of it can be read, and that is no error: the model shows the load balancers as usual.
    await model.read(ALL_PARTS, 'refresh');
    assert.equal(model.error('certificates'), undefined);
    assert.equal(model.certificateManager, undefined);
    assert.ok(model.topology);

    await h.emulator.control.addProject({ id: PROJECT, disabledApis: [], deniedPermissions: ['certificatemanager.certs.create'] });
    await assert.rejects(cm.create('certificates', 'c', { managed: { domains: [DOMAIN] } }), (err: CloudError) => {
      assert.equal(err.kind, 'permission');
      assert.match(err.message, /you lack the permission certificatemanager\.certs\.create/);
      assert.match(err.remedy ?? '', /roles\/certificatemanager\.editor/);
      return true;
    });
  });
});
