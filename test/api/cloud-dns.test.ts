// Cloud DNS against the emulator: the access layer (zones, record sets, atomic changes, Google's errors turned into
// messages that say what to do), and plans that write the load balancer's records there, with their Undo.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { summarizeUndo, undoApply } from '../../src/core/apply/applyUndo';
import { createDnsResolver } from '../../src/core/dns/resolver';
import { diagnoseService } from '../../src/core/findings/service';
import type { Finding } from '../../src/core/findings/finding';
import type { FlowUi } from '../../src/core/flows/flowUi';
import { planMakeGlobal } from '../../src/core/flows/makeGlobal';
import { undoPlan } from '../../src/core/flows/undoAndDelete';
import { writeDnsRecordFlow, type WriteDnsRecordDeps } from '../../src/core/flows/writeDnsRecord';
import { ApplyHistories } from '../../src/core/flows/applyHistory';
import { CloudError } from '../../src/core/gcp/errors';
import { silentWizard } from '../support/fakes';
import { loadInventory } from '../support/inventory';
import { INVENTORY_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import { buildPlan } from '../../src/core/plan/build';
import type { GlobalizeRequest, Plan } from '../../src/core/plan/types';
import { zoneFor, type DnsZone } from '../../src/core/gcp/cloudDns';
import { Harness, PROJECT, startHarness } from './setup';

const ZONE_SEED = {
  dnsZones: [
    {
      name: 'example-zone',
      dnsName: 'example.com.',
      records: [{ name: 'old.example.com.', type: 'A', ttl: 300, rrdatas: ['203.0.113.7'] }],
    },
    { name: 'shop-zone', dnsName: 'shop.example.com', records: [] },
    { name: 'internal', dnsName: 'corp.example.com.', visibility: 'private' as const },
    {
      project: 'dns-hub',
      name: 'hub-zone',
      dnsName: 'hub.example.org.',
      records: [{ name: 'www.hub.example.org.', type: 'CNAME', rrdatas: ['elsewhere.example.net.'] }],
    },
  ],
};

describe('Cloud DNS access layer (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('empty');
    await h.emulator.control.loadSeed(ZONE_SEED);
  });

  it('lists the public zones of each project, and picks the zone with the longest matching name', async () => {
    const dns = h.connection.cloudDns(PROJECT);
    const zones = await dns.listPublicZones();
    assert.deepEqual(zones.map((z) => `${z.name}:${z.dnsName}`).sort(), ['example-zone:example.com', 'shop-zone:shop.example.com']);
    const hub = await dns.listPublicZones('dns-hub');
    assert.deepEqual(
      hub.map((z) => `${z.project}/${z.name}`),
      ['dns-hub/hub-zone'],
    );
    const all = [...zones, ...hub];
    assert.equal(zoneFor('app.shop.example.com', all)?.name, 'shop-zone');
    assert.equal(zoneFor('Shop.Example.com.', all)?.name, 'shop-zone');
    assert.equal(zoneFor('api.example.com', all)?.name, 'example-zone');
    assert.equal(zoneFor('x.corp.example.com', all)?.name, 'example-zone', 'a private zone is not what the internet sees');
    assert.equal(zoneFor('example.net', all), undefined);
  });

  it('creates, replaces and removes record sets with atomic changes, and the DNS server answers them', async () => {
    const dns = h.connection.cloudDns(PROJECT);
    const zone = (await dns.listPublicZones()).find((z) => z.name === 'shop-zone')!;
    await dns.change(zone, { add: [{ name: 'app.shop.example.com', type: 'A', ttl: 300, rrdatas: ['34.120.0.1'] }] });
    const read = await dns.listRecordSets(zone, 'app.shop.example.com');
    assert.deepEqual(read, [
      { project: PROJECT, zone: 'shop-zone', name: 'app.shop.example.com', type: 'A', ttl: 300, rrdatas: ['34.120.0.1'] },
    ]);
    const state = await h.emulator.control.state();
    assert.deepEqual(
      state.dns.filter((d: { name: string }) => d.name === 'app.shop.example.com').map((d: { values: string[] }) => d.values),
      [['34.120.0.1']],
    );

    await dns.change(zone, { remove: read, add: [{ ...read[0], rrdatas: ['34.120.0.2'] }] });
    assert.deepEqual((await dns.getRecordSet(zone, 'app.shop.example.com', 'A'))?.rrdatas, ['34.120.0.2']);
    // A deletion that names the record as it was before is refused: someone changed it meanwhile.
    await assert.rejects(dns.change(zone, { remove: read }), (err: CloudError) => err.kind === 'conflict' && err.status === 412);
    await dns.change(zone, { remove: [{ ...read[0], rrdatas: ['34.120.0.2'] }] });
    assert.equal(await dns.getRecordSet(zone, 'app.shop.example.com', 'A'), undefined);
  });

  it('waits until a change is done', async () => {
    await h.emulator.control.setLatency({ operationLatencyMs: 300 });
    try {
      const dns = h.connection.cloudDns(PROJECT);
      const zone = (await dns.listPublicZones()).find((z) => z.name === 'shop-zone')!;
      const started = Date.now();
      await dns.change(zone, { add: [{ name: 'slow.shop.example.com', type: 'A', ttl: 60, rrdatas: ['34.120.0.9'] }] });
      assert.ok(Date.now() - started >= 300, 'returned only once the change was done');
      const requests = (await h.emulator.control.requests()).byRoute;
      assert.ok(requests['GET /dns/v1/projects/{project}/managedZones/{zone}/changes/{change}'] >= 1);
    } finally {
      await h.emulator.control.setLatency({ operationLatencyMs: 0 });
    }
  });

  it('says what to do for a disabled API, a missing permission and a zone that is gone', async () => {
    await h.emulator.control.addProject({ id: 'no-dns', disabledApis: ['dns.googleapis.com'] });
    await assert.rejects(h.connection.cloudDns('no-dns').listPublicZones(), (err: CloudError) => {
      assert.equal(err.kind, 'apiDisabled');
      assert.match(err.message, /the Cloud DNS API is not enabled in project \d+/);
      assert.match(err.message, /gcloud services enable dns\.googleapis\.com --project=no-dns/);
      return true;
    });

    await h.emulator.control.addProject({ id: PROJECT, deniedPermissions: ['dns.changes.create'] });
    const dns = h.connection.cloudDns(PROJECT);
    const zone = (await dns.listPublicZones()).find((z) => z.name === 'shop-zone')!;
    await assert.rejects(
      dns.change(zone, { add: [{ name: 'app.shop.example.com', type: 'A', ttl: 300, rrdatas: ['34.120.0.1'] }] }),
      (err: CloudError) => {
        assert.equal(err.kind, 'permission');
        assert.equal(err.permission, 'dns.changes.create');
        assert.match(
          err.message,
          /you lack one of the permissions dns\.changes\.create, dns\.resourceRecordSets\.create in project demo-project.*roles\/dns\.admin/,
        );
        return true;
      },
    );

    const gone: DnsZone = { ...zone, name: 'deleted-zone' };
    await assert.rejects(dns.listRecordSets(gone, 'app.shop.example.com'), (err: CloudError) => {
      assert.equal(err.kind, 'notFound');
      assert.match(err.message, /Cloud DNS zone deleted-zone does not exist in project demo-project.*refresh/);
      return true;
    });
  });

  it('reads the state the model needs: zones of every project, records of the domains in them, problems by project', async () => {
    await h.emulator.control.addProject({ id: 'locked', deniedPermissions: ['dns.managedZones.list'] });
    const state = await h.connection
      .cloudDns(PROJECT)
      .readState([PROJECT, 'dns-hub', 'locked'], ['old.example.com', 'www.hub.example.org', 'app.example.net']);
    assert.deepEqual(state.zones.map((z) => z.name).sort(), ['example-zone', 'hub-zone', 'shop-zone']);
    assert.deepEqual(state.domains, ['old.example.com', 'www.hub.example.org']);
    assert.deepEqual(
      state.records.map((r) => `${r.project}/${r.zone} ${r.name} ${r.type} ${r.rrdatas.join(',')}`),
      ['demo-project/example-zone old.example.com A 203.0.113.7', 'dns-hub/hub-zone www.hub.example.org CNAME elsewhere.example.net.'],
    );
    assert.equal(state.problems.length, 1);
    assert.equal(state.problems[0].project, 'locked');
    assert.match(state.problems[0].message, /dns\.managedZones\.list/);
  });
});

describe('plans that write Cloud DNS records (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;
  let resolver: Resolver;

  before(async () => {
    h = await startHarness({ seed: 'demo', certificates: { activationDelayMs: 0 } });
    resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([`127.0.0.1:${h.emulator.dnsPort}`]);
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('demo');
    await h.emulator.control.loadSeed({
      dnsZones: [
        {
          name: 'apps-zone',
          dnsName: 'apps.example.org.',
          records: [{ name: 'old.apps.example.org.', type: 'A', ttl: 600, rrdatas: ['203.0.113.7'] }],
        },
      ],
    });
  });

  const DOMAINS = ['new.apps.example.org', 'old.apps.example.org'];
  const clients = () => ({ compute: h.connection.compute(PROJECT), run: h.connection.run(PROJECT), dns: h.connection.cloudDns(PROJECT) });
  async function plan(extra: Partial<GlobalizeRequest> = {}): Promise<Plan> {
    const inventory = await loadInventory(h.connection, PROJECT);
    const cloudDns = await h.connection.cloudDns(PROJECT).readState([PROJECT], extra.domains ?? DOMAINS);
    return buildPlan(
      {
        project: PROJECT,
        service: 'my-global-app',
        regions: ['us-central1'],
        domains: DOMAINS,
        options: { httpsRedirect: false },
        ...extra,
      },
      { ...inventory, cloudDns },
    );
  }
  const a = (name: string) => resolver.resolve4(name).catch((err: NodeJS.ErrnoException) => err.code);

  it('creates one record and moves another in the same run; the certificate becomes ACTIVE with no manual step; Undo takes both back', async () => {
    const p = await plan();
    assert.deepEqual(
      p.steps.filter((s) => s.kind === 'dnsRecord').map((s) => [s.id, s.action]),
      [
        ['dns:A:new.apps.example.org', 'create'],
        ['dns:A:old.apps.example.org', 'update'],
      ],
    );
    const result = await applyPlan(p, clients());
    assert.ok(result.ok, JSON.stringify(result.steps.filter((s) => s.outcome === 'failed')));
    const ip = result.ip!;
    const written = [...result.dnsRecords!]
      .sort((x, y) => x.name.localeCompare(y.name))
      .map((r) => [r.name, r.previous?.rrdatas ?? null, r.written.rrdatas]);
    assert.deepEqual(written, [
      ['new.apps.example.org', null, [ip]],
      ['old.apps.example.org', ['203.0.113.7'], [ip]],
    ]);
    assert.deepEqual(await a('new.apps.example.org'), [ip]);
    assert.deepEqual(await a('old.apps.example.org'), [ip]);
    const cert = (await h.connection.compute(PROJECT).get('sslCertificates', p.names.certificate)).managed;
    assert.equal(cert?.status, 'ACTIVE', JSON.stringify(cert));

    const report = await undoApply(result, h.connection.compute(PROJECT), { dns: h.connection.cloudDns(PROJECT) });
    assert.deepEqual(
      [report.dnsRemoved.map((r) => r.name), report.dnsRestored.map((r) => r.name), report.failed.length],
      [['new.apps.example.org'], ['old.apps.example.org'], 0],
    );
    assert.equal(await a('new.apps.example.org'), 'ENOTFOUND');
    assert.deepEqual(await a('old.apps.example.org'), ['203.0.113.7']);
    const zone = (await h.connection.cloudDns(PROJECT).listPublicZones()).find((z) => z.name === 'apps-zone')!;
    assert.equal(
      (await h.connection.cloudDns(PROJECT).getRecordSet(zone, 'old.apps.example.org', 'A'))?.ttl,
      600,
      'restored as it was, TTL included',
    );
    assert.match(summarizeUndo(report), /removed 1 Cloud DNS record it had created, restored 1 Cloud DNS record it had changed/);
  });

  it('a second run adopts the records, and Undo over both runs still restores what was there before the first', async () => {
    const p = await plan();
    const histories = new ApplyHistories();
    const first = await applyPlan(p, clients());
    histories.record('k', p, first);
    const second = await applyPlan(await plan(), clients());
    assert.deepEqual(
      second.steps.filter((s) => s.kind === 'dnsRecord').map((s) => s.outcome),
      ['adopted', 'adopted'],
    );
    const history = histories.record('k', p, second);
    assert.deepEqual(history.dnsRecords?.find((r) => r.name === 'old.apps.example.org')?.previous?.rrdatas, ['203.0.113.7']);
    const report = await undoApply(history, h.connection.compute(PROJECT), { dns: h.connection.cloudDns(PROJECT) });
    assert.equal(report.failed.length, 0);
    assert.deepEqual(await a('old.apps.example.org'), ['203.0.113.7']);
  });

  it('Undo leaves a record someone changed after the plan wrote it, and says so', async () => {
    const result = await applyPlan(await plan({ domains: ['new.apps.example.org'] }), clients());
    assert.ok(result.ok);
    const dns = h.connection.cloudDns(PROJECT);
    const zone = (await dns.listPublicZones()).find((z) => z.name === 'apps-zone')!;
    const now = (await dns.getRecordSet(zone, 'new.apps.example.org', 'A'))!;
    await dns.change(zone, { remove: [now], add: [{ ...now, rrdatas: ['198.51.100.1'] }] });
    const report = await undoApply(result, h.connection.compute(PROJECT), { dns });
    assert.deepEqual(report.dnsRemoved, []);
    assert.match(
      report.kept.map((k) => k.reason).join(' '),
      /new\.apps\.example\.org .*changed after this plan wrote it \(it now holds 198\.51\.100\.1\); Undo leaves it/,
    );
    assert.deepEqual(await a('new.apps.example.org'), ['198.51.100.1']);
  });

  it('a missing dns.changes.create fails only the DNS steps, with what to do; the load balancer is built', async () => {
    await h.emulator.control.addProject({ id: PROJECT, deniedPermissions: ['dns.changes.create'] });
    const result = await applyPlan(await plan(), clients());
    const dnsResults = result.steps.filter((s) => s.kind === 'dnsRecord');
    assert.deepEqual(
      dnsResults.map((s) => s.outcome),
      ['failed', 'failed'],
    );
    assert.match(
      dnsResults[0].message,
      /you lack one of the permissions dns\.changes\.create, dns\.resourceRecordSets\.create in project demo-project\. Ask a project owner to grant you roles\/dns\.admin/,
    );
    assert.ok(
      result.steps
        .filter((s) => s.kind !== 'dnsRecord')
        .every((s) => s.outcome === 'created' || s.outcome === 'adopted' || s.outcome === 'updated'),
    );
    assert.deepEqual(result.dnsRecords, []);
    assert.deepEqual(await a('old.apps.example.org'), ['203.0.113.7'], 'nothing was written');
  });

  it('a CNAME put at the name after planning stops that step with what to do', async () => {
    const p = await plan({ domains: ['new.apps.example.org'] });
    const dns = h.connection.cloudDns(PROJECT);
    const zone = (await dns.listPublicZones()).find((z) => z.name === 'apps-zone')!;
    await dns.change(zone, { add: [{ name: 'new.apps.example.org', type: 'CNAME', ttl: 300, rrdatas: ['elsewhere.example.net.'] }] });
    const result = await applyPlan(p, clients());
    const step = result.steps.find((s) => s.kind === 'dnsRecord')!;
    assert.equal(step.outcome, 'failed');
    assert.match(
      step.message,
      /new\.apps\.example\.org is a CNAME to elsewhere\.example\.net\. in Cloud DNS zone apps-zone.*Remove the CNAME/,
    );
  });

  it("the live model reads the zones and the watched domains' records once per round, and plans read the domains they name", async () => {
    const dnsClient = h.connection.cloudDns(PROJECT);
    const model = new ProjectModel({
      connect: () => ({
        project: PROJECT,
        compute: h.connection.compute(PROJECT),
        run: h.connection.run(PROJECT),
        dns: dnsClient,
        dnsProjects: ['dns-hub'],
      }),
      resolver: () => createDnsResolver({ servers: [`127.0.0.1:${h.emulator.dnsPort}`], timeoutMs: 1000, tries: 1, negativeTtlMs: 0 }),
    });
    await h.emulator.control.loadSeed({
      dnsZones: [
        {
          project: 'dns-hub',
          name: 'hub',
          dnsName: 'example.net.',
          records: [{ name: 'a.example.net.', type: 'A', rrdatas: ['198.51.100.2'] }],
        },
      ],
    });
    model.watch({ visible: () => true, pending: () => true, domains: () => ['old.apps.example.org'] });
    await h.emulator.control.resetRequests();
    await model.read(['cloudDns'], 'round');
    const counts = (await h.emulator.control.requests()).byRoute;
    assert.deepEqual(
      Object.entries(counts)
        .filter(([r]) => r.includes('/dns/v1/'))
        .sort(),
      [
        ['GET /dns/v1/projects/{project}/managedZones', 2],
        ['GET /dns/v1/projects/{project}/managedZones/{zone}/rrsets', 1],
      ],
    );
    assert.deepEqual(
      model.cloudDns?.records.map((r) => `${r.name} ${r.rrdatas}`),
      ['old.apps.example.org 203.0.113.7'],
    );
    await model.readCloudDns(['a.example.net']);
    assert.deepEqual(model.cloudDns?.records.map((r) => `${r.project} ${r.name}`).sort(), [
      'demo-project old.apps.example.org',
      'dns-hub a.example.net',
    ]);
    await model.ensure();
    assert.equal(model.inventory?.cloudDns, model.cloudDns, 'plans get what the model read');
  });
});

describe("the DNS findings' Cloud DNS quick fix (emulator)", function () {
  this.timeout(30_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ seed: 'demo', certificates: { activationDelayMs: 0 } });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('demo');
    // The demo's api load balancer (34.120.10.30) waits for its A record; api.example.com gets a zone of its own.
    await h.emulator.control.loadSeed({ dnsZones: [{ name: 'api-zone', dnsName: 'api.example.com.' }] });
  });

  function ui(answer: boolean, said: string[] = []): FlowUi {
    return {
      confirm: async (message, detail) => {
        said.push(`confirm: ${message} ${detail}`);
        return answer;
      },
      withProgress: (_title, task) => task(() => undefined, new AbortController().signal),
      info: (m) => said.push(`info: ${m}`),
      warn: (m) => said.push(`warn: ${m}`),
      log: () => undefined,
    };
  }

  async function apiFindings(): Promise<Finding[]> {
    const dns = h.connection.cloudDns(PROJECT);
    const model = new ProjectModel({
      connect: () => ({ project: PROJECT, compute: h.connection.compute(PROJECT), run: h.connection.run(PROJECT), dns }),
      resolver: () => createDnsResolver({ servers: [`127.0.0.1:${h.emulator.dnsPort}`], timeoutMs: 1000, tries: 1, negativeTtlMs: 0 }),
    });
    model.watch({ visible: () => true, domains: () => ['api.example.com'] });
    await model.read([...INVENTORY_PARTS, 'operations', 'dns', 'cloudDns']);
    return diagnoseService({
      service: { name: 'api', region: 'us-central1' },
      topology: model.topology!,
      dns: model.dns,
      operations: model.operations,
      cloudDns: model.cloudDns,
      now: Date.now(),
    });
  }

  it('offers to create the missing record in the zone, writes it once confirmed, and the finding and the wait end', async () => {
    const missing = (await apiFindings()).find((f) => f.code === 'dns-missing-a')!;
    const fix = missing.fixes.find((f) => f.kind === 'writeCloudDnsRecord');
    assert.ok(fix && fix.kind === 'writeCloudDnsRecord', JSON.stringify(missing.fixes));
    assert.deepEqual(fix.record, {
      domain: 'api.example.com',
      type: 'A',
      ips: ['34.120.10.30'],
      zone: 'api-zone',
      zoneProject: PROJECT,
      zoneDnsName: 'api.example.com',
      current: undefined,
    });

    const deps = { model: { afterWrite: async () => undefined }, dns: h.connection.cloudDns(PROJECT) };
    assert.equal(await writeDnsRecordFlow(fix.record, { ...deps, ui: ui(false) }), 'declined');
    assert.equal((await apiFindings()).filter((f) => f.code === 'dns-missing-a').length, 1, 'declined: nothing written');
    const said: string[] = [];
    assert.equal(await writeDnsRecordFlow(fix.record, { ...deps, ui: ui(true, said) }), 'created');
    assert.match(
      said[0],
      /confirm: Create the A record of api\.example\.com in Cloud DNS zone api-zone \(project demo-project\)\? api\.example\.com A → 34\.120\.10\.30 \(TTL 300 s\)/,
    );
    const after = await apiFindings();
    assert.deepEqual(
      after.filter((f) => f.code.startsWith('dns-') || f.code.startsWith('cert-fail') || f.code === 'cert-provisioning').map((f) => f.code),
      [],
    );
    const cert = (await h.connection.compute(PROJECT).listAll('sslCertificates')).find((c) =>
      c.managed?.domains?.includes('api.example.com'),
    );
    assert.equal(cert?.managed?.status, 'ACTIVE');
    assert.equal(await writeDnsRecordFlow(fix.record, { ...deps, ui: ui(true) }), 'unchanged', 'a second run changes nothing');
  });

  it('shows a wrong record old → new and replaces it; refuses when the record changed since it was read', async () => {
    const dns = h.connection.cloudDns(PROJECT);
    const zone = (await dns.listPublicZones()).find((z) => z.name === 'api-zone')!;
    await dns.change(zone, { add: [{ name: 'api.example.com', type: 'A', ttl: 120, rrdatas: ['203.0.113.9'] }] });
    const wrong = (await apiFindings()).find((f) => f.code === 'dns-wrong-ip')!;
    const fix = wrong.fixes.find((f) => f.kind === 'writeCloudDnsRecord');
    assert.ok(fix && fix.kind === 'writeCloudDnsRecord');
    assert.deepEqual(fix.record.current, ['203.0.113.9']);
    const said: string[] = [];
    assert.equal(
      await writeDnsRecordFlow(fix.record, { model: { afterWrite: async () => undefined }, dns, ui: ui(true, said) }),
      'updated',
    );
    assert.match(said[0], /Change the A record of api\.example\.com .* api\.example\.com A 203\.0\.113\.9 → 34\.120\.10\.30 \(TTL 120 s\)/);
    assert.deepEqual((await dns.getRecordSet(zone, 'api.example.com', 'A'))?.rrdatas, ['34.120.10.30']);

    // Someone changes it between the read and the write: Cloud DNS refuses the stale deletion, and nothing is overwritten.
    await dns.change(zone, {
      remove: [{ name: 'api.example.com', type: 'A', ttl: 120, rrdatas: ['34.120.10.30'] }],
      add: [{ name: 'api.example.com', type: 'A', ttl: 120, rrdatas: ['203.0.113.10'] }],
    });
    const racing: WriteDnsRecordDeps['dns'] = Object.create(dns, {
      listRecordSets: {
        value: async () => [{ project: PROJECT, zone: 'api-zone', name: 'api.example.com', type: 'A', ttl: 120, rrdatas: ['203.0.113.9'] }],
      },
    });
    await assert.rejects(
      writeDnsRecordFlow(fix.record, { model: { afterWrite: async () => undefined }, dns: racing, ui: ui(true) }),
      (err: CloudError) => err.kind === 'conflict' && /refresh and try again/.test(err.message),
    );
    assert.deepEqual((await dns.getRecordSet(zone, 'api.example.com', 'A'))?.rrdatas, ['203.0.113.10']);
  });

  it('offers nothing for a domain no public zone holds', async () => {
    await h.emulator.control.reset('demo');
    const missing = (await apiFindings()).find((f) => f.code === 'dns-missing-a')!;
    assert.deepEqual(
      missing.fixes.map((f) => f.kind),
      ['copyDnsRecord', 'copyIp', 'recheck'],
    );
  });
});

describe('use cases with Cloud DNS: Make global reads the zones, Undo names the records it takes back (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ seed: 'demo' });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('demo');
    await h.emulator.control.loadSeed({
      dnsZones: [
        {
          name: 'apps-zone',
          dnsName: 'apps.example.org.',
          records: [{ name: 'old.apps.example.org.', type: 'A', ttl: 600, rrdatas: ['203.0.113.7'] }],
        },
      ],
    });
  });

  it("plans from the wizard's answers with the records, and Undo asks, then removes and restores them", async () => {
    const model = new ProjectModel({
      connect: () => ({
        project: PROJECT,
        compute: h.connection.compute(PROJECT),
        run: h.connection.run(PROJECT),
        dns: h.connection.cloudDns(PROJECT),
      }),
      resolver: () => createDnsResolver({ servers: [`127.0.0.1:${h.emulator.dnsPort}`], timeoutMs: 1000, tries: 1, negativeTtlMs: 0 }),
    });
    const { plan } = await planMakeGlobal(
      {
        service: 'my-global-app',
        regions: ['us-central1'],
        domains: ['new.apps.example.org', 'old.apps.example.org'],
        names: {},
        options: { httpsRedirect: false, cdn: false, ipv6: false },
      },
      undefined,
      { connection: h.connection, project: PROJECT, model, ui: silentWizard },
    );
    assert.deepEqual(
      plan.steps.filter((s) => s.kind === 'dnsRecord').map((s) => `${s.id} ${s.action}`),
      ['dns:A:new.apps.example.org create', 'dns:A:old.apps.example.org update'],
    );
    const histories = new ApplyHistories();
    const result = await applyPlan(plan, {
      compute: h.connection.compute(PROJECT),
      run: h.connection.run(PROJECT),
      dns: h.connection.cloudDns(PROJECT),
    });
    assert.ok(result.ok);
    const history = histories.record('plan', plan, result);

    const asked: string[] = [];
    const person: FlowUi = {
      confirm: async (_message, detail) => {
        asked.push(detail);
        return true;
      },
      withProgress: (_title, task) => task(() => undefined, new AbortController().signal),
      info: () => undefined,
      warn: (m) => asked.push(`warn: ${m}`),
      log: () => undefined,
    };
    const report = await undoPlan(history, histories, {
      model,
      compute: h.connection.compute(PROJECT),
      dns: h.connection.cloudDns(PROJECT),
      ui: person,
    });
    assert.match(asked[0], /remove A record new\.apps\.example\.org in Cloud DNS zone apps-zone/);
    assert.match(asked[0], /restore A record old\.apps\.example\.org in Cloud DNS zone apps-zone \(back to 203\.0\.113\.7\)/);
    assert.deepEqual([report?.dnsRemoved.length, report?.dnsRestored.length, report?.failed.length], [1, 1, 0]);
    assert.equal(histories.find('plan'), undefined, 'nothing left to undo');
    assert.deepEqual(
      model.cloudDns?.records.filter((r) => r.type === 'A').map((r) => `${r.name} ${r.rrdatas}`),
      ['old.apps.example.org 203.0.113.7'],
      'the model re-read Cloud DNS after Undo',
    );
  });
});
