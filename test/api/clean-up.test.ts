// Clean Up Unattached as a use case in plain Node: a scripted person picks and confirms, the flow
// re-reads, deletes in dependency order against the emulator and keeps what is still used.
import assert from 'node:assert/strict';
import { cleanUpUnattachedFlow, type CleanUpChoice, type CleanUpUi } from '../../src/core/flows/cleanUp';
import { COMPUTE_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import type { SeedData } from '../emulator/store';
import { ScriptedPerson } from '../support/fakes';
import { Harness, PROJECT, startHarness } from './setup';

class ScriptedPicker extends ScriptedPerson implements CleanUpUi {
  readonly offered: CleanUpChoice[][] = [];
  constructor(
    private readonly picks: (choices: CleanUpChoice[]) => string[] | undefined,
    answers: boolean[],
  ) {
    super(answers);
  }
  async pickMany(_title: string, choices: CleanUpChoice[]): Promise<string[] | undefined> {
    this.offered.push(choices);
    return this.picks(choices);
  }
}

const g = (collection: string, name: string) => `projects/${PROJECT}/global/${collection}/${name}`;

/** Left over from an abandoned set-up: proxy → URL map → backend service → NEG, a certificate and an address. */
const LEFTOVERS: SeedData = {
  compute: [
    {
      project: PROJECT,
      networkEndpointGroups: [
        { name: 'old-neg', region: 'us-central1', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'reports' } },
      ],
      backendServices: [
        {
          name: 'old-backend',
          loadBalancingScheme: 'EXTERNAL_MANAGED',
          protocol: 'HTTPS',
          backends: [{ group: `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/old-neg` }],
        },
      ],
      urlMaps: [{ name: 'old-url-map', defaultService: g('backendServices', 'old-backend') }],
      sslCertificates: [{ name: 'old-cert', type: 'MANAGED', managed: { domains: ['old.example.com'] } }],
      targetHttpsProxies: [
        { name: 'old-https-proxy', urlMap: g('urlMaps', 'old-url-map'), sslCertificates: [g('sslCertificates', 'old-cert')] },
      ],
      addresses: [{ name: 'old-ip', address: '34.120.10.99', ipVersion: 'IPV4' }],
    },
  ],
};

describe('use case: Clean Up Unattached (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;
  let model: ProjectModel;
  const deps = (ui: CleanUpUi) => ({ model, compute: h.connection.compute(PROJECT), ui });
  const names = async () => {
    const state = (await h.emulator.control.state()) as { compute: Record<string, Record<string, { name: string }[]>> };
    return Object.values(state.compute[PROJECT])
      .flat()
      .map((r) => r.name);
  };

  before(async () => {
    h = await startHarness({ seed: 'demo' });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('demo');
    await h.emulator.control.loadSeed(LEFTOVERS);
    model = new ProjectModel({
      connect: () => ({ project: PROJECT, compute: h.connection.compute(PROJECT), run: h.connection.run(PROJECT) }),
      resolver: () => {
        throw new Error('no DNS here');
      },
    });
  });

  it('lists every unattached resource, deletes the ones picked in dependency order, and the model shows it', async () => {
    const person = new ScriptedPicker((choices) => choices.map((c) => c.id), [false, true]);
    assert.equal(await cleanUpUnattachedFlow(deps(person)), undefined, 'declined: nothing happens');
    assert.deepEqual(
      person.offered[0].map((c) => c.label),
      ['old-https-proxy', 'old-cert', 'old-url-map', 'old-backend', 'old-neg', 'old-ip'],
    );
    assert.ok((await names()).includes('old-neg'));
    const result = await cleanUpUnattachedFlow(deps(person));
    assert.equal(result?.report.failed.length, 0);
    assert.deepEqual(result!.report.deleted.map((s) => s.name).sort(), [
      'old-backend',
      'old-cert',
      'old-https-proxy',
      'old-ip',
      'old-neg',
      'old-url-map',
    ]);
    assert.match(
      person.asked[1].detail,
      /target HTTPS proxy old-https-proxy[\s\S]*URL map old-url-map[\s\S]*backend service old-backend[\s\S]*network endpoint group old-neg \(us-central1\)[\s\S]*address old-ip/,
    );
    const left = await names();
    assert.deepEqual(
      left.filter((n) => n.startsWith('old-')),
      [],
    );
    assert.ok(left.includes('storefront-backend') && left.includes('api-ip'), 'load balancers untouched');
    assert.deepEqual(Object.values(model.topology!.unattached).flat(), [], 'the model re-read after the write');
  });

  it('keeps a chosen resource that something not chosen still references', async () => {
    await model.ensure(COMPUTE_PARTS);
    const id = (name: string) => [...model.topology!.nodes.values()].find((n) => n.name === name)!.id;
    const person = new ScriptedPicker(() => undefined, [true]);
    const result = await cleanUpUnattachedFlow(deps(person), [id('old-url-map'), id('old-ip')]);
    assert.deepEqual(
      result!.report.deleted.map((s) => s.name),
      ['old-ip'],
    );
    assert.match(
      person.asked[0].detail,
      /Kept:\n {2}• URL map old-url-map is still used by target HTTPS proxy old-https-proxy, which is not being deleted/,
    );
    assert.ok((await names()).includes('old-url-map'));
  });

  it('judges on a fresh read: what a load balancer uses by now is kept, what is gone is said', async () => {
    await model.ensure(COMPUTE_PARTS);
    const stale = [...model.topology!.unattached.addresses, ...model.topology!.unattached.sslCertificates].map((n) => n.id);
    // Meanwhile someone else deletes the address and puts the certificate on a load balancer's proxy.
    await h.connection.compute(PROJECT).delete('addresses', 'old-ip');
    await h.connection.compute(PROJECT).delete('targetHttpsProxies', 'old-https-proxy');
    const res = await fetch(`${h.emulator.url}compute/v1/projects/${PROJECT}/targetHttpsProxies/api-https-proxy/setSslCertificates`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ sslCertificates: [g('sslCertificates', 'api-cert'), g('sslCertificates', 'old-cert')] }),
    });
    assert.equal(res.status, 200, await res.text());
    const person = new ScriptedPicker(() => undefined, [true]);
    assert.equal(await cleanUpUnattachedFlow(deps(person), stale), undefined);
    assert.equal(person.asked.length, 0, 'nothing left to confirm');
    assert.match(
      person.said[0],
      /^info: Nothing to delete: SSL certificate old-cert is now used by load balancer api-url-map; old-ip no longer exists\.$/,
    );
    assert.ok((await names()).includes('old-cert'));
  });
});
