// The Make-global wizard's steps driven by a script, as a person answers them: Back, Esc and
// validation at each step, without VS Code.
import assert from 'node:assert/strict';
import type { GcpConnection } from '../../src/core/gcp/connection';
import type { RunService } from '../../src/core/gcp/types';
import { MAKE_GLOBAL_STEPS, type MakeGlobalContext } from '../../src/core/flows/makeGlobalSteps';
import { runWizard, WizardCancelled } from '../../src/core/flows/wizard';
import { ProjectModel } from '../../src/core/model/projectModel';
import { ScriptedUi, type Answer, type Prompt } from '../support/fakes';

const service = (name: string, region: string): RunService => ({
  name,
  region,
  project: 'p',
  ingress: 'all',
  ready: 'true',
  resourceName: `projects/p/locations/${region}/services/${name}`,
});

function context(extra: Partial<MakeGlobalContext> = {}): MakeGlobalContext {
  const compute = {
    listAll: async () => [],
    listNetworkEndpointGroupsEverywhere: async function* () {
      yield* [];
    },
    listOperations: async () => [],
  };
  const run = {
    listServices: async () => [service('shop', 'us-central1'), service('shop', 'europe-west1'), service('api', 'us-central1')],
    listRegions: async () => ['asia-east1', 'europe-west1', 'us-central1'],
  };
  const model = new ProjectModel({
    connect: () => ({ project: 'p', compute: compute as never, run: run as never }),
    resolver: () => {
      throw new Error('no DNS');
    },
  });
  return { project: 'p', connection: {} as GcpConnection, model, ...extra };
}

describe('Make-global wizard steps (scripted)', () => {
  it('asks service, regions, domains, names and options in order, with the step counter', async () => {
    const ui = new ScriptedUi(['shop', ['us-central1', 'europe-west1'], 'shop.example.com, www.example.com', 'done', ['httpsRedirect']]);
    const c = await runWizard(MAKE_GLOBAL_STEPS, context(), ui);
    assert.deepEqual(
      ui.asked.map((p) => p.position),
      ['1/5', '2/5', '3/5', '4/5', '5/5'],
      'no deploy step: shop runs in both regions',
    );
    assert.equal(c.service, 'shop');
    assert.deepEqual(c.regions, ['us-central1', 'europe-west1']);
    assert.deepEqual(c.domains, ['shop.example.com', 'www.example.com']);
    assert.deepEqual(c.options, { cdn: false, httpsRedirect: true, ipv6: false, cloudDns: false, certificateManager: false });
    assert.deepEqual(
      ui.asked[1]
        .items!.filter((i) => i.picked)
        .map((i) => i.label)
        .sort(),
      ['europe-west1', 'us-central1'],
      'where it runs is picked by default',
    );
  });

  it('goes Back from each step to the one before, with the answer it had undone', async () => {
    const ui = new ScriptedUi([
      'api',
      'BACK',
      'shop',
      ['us-central1'],
      'BACK',
      ['europe-west1'],
      'a.example.com',
      'BACK',
      'b.example.com',
      'BACK',
      'BACK',
      ['us-central1'],
      'c.example.com',
      'done',
      [],
    ]);
    const c = await runWizard(MAKE_GLOBAL_STEPS, context(), ui);
    assert.deepEqual(
      ui.asked.map((p) => p.title.split(' ')[0]),
      [
        'Which',
        'Regions',
        'Which',
        'Regions',
        'Domains',
        'Regions',
        'Domains',
        'Resource',
        'Domains',
        'Resource',
        'Domains',
        'Regions',
        'Domains',
        'Resource',
        'Options',
      ],
    );
    assert.equal(c.service, 'shop');
    assert.deepEqual(c.regions, ['us-central1']);
    assert.deepEqual(c.domains, ['c.example.com']);
  });

  it('offers the answer a step had when Back returns to it, and again when the person goes forward', async () => {
    const picked = (p: Prompt) => p.items!.filter((i) => i.picked).map((i) => i.value);
    const ui = new ScriptedUi([
      'shop',
      ['europe-west1'],
      'a.example.com',
      { key: 'urlMap' },
      'my-map',
      'done',
      'BACK',
      'BACK',
      'BACK',
      'BACK',
      (p: Prompt) => p.activeValue,
      picked,
      (p: Prompt) => p.value,
      'done',
      picked,
    ]);
    const c = await runWizard(MAKE_GLOBAL_STEPS, context(), ui);
    const [, , , , , , options, names, domains, regions, service, regionsAgain, domainsAgain, namesAgain, optionsAgain] = ui.asked;
    assert.match(options.title, /^Options/);
    assert.ok(
      names.items!.some((i) => i.label === 'my-map' && i.description === 'URL map'),
      'the name changed by hand is still in the list',
    );
    assert.equal(domains.value, 'a.example.com');
    assert.deepEqual(picked(regions), ['europe-west1'], 'the regions picked, not the default');
    assert.equal(service.activeValue, 'shop');
    assert.deepEqual([picked(regionsAgain), domainsAgain.value], [['europe-west1'], 'a.example.com']);
    assert.ok(namesAgain.items!.some((i) => i.label === 'my-map'));
    assert.deepEqual(picked(optionsAgain), picked(options), 'the options as first offered');
    assert.equal(c.service, 'shop');
    assert.deepEqual(c.regions, ['europe-west1']);
    assert.deepEqual(c.domains, ['a.example.com']);
    assert.equal(c.names?.urlMap, 'my-map');
  });

  it('asks whether to deploy where the service does not run, only when it started from YAML', async () => {
    const fromYaml = new ScriptedUi([['us-central1', 'asia-east1'], true, 'x.example.com', 'done', []]);
    const c = await runWizard(MAKE_GLOBAL_STEPS, context({ service: 'shop', manifest: { kind: 'Service' } }), fromYaml);
    assert.deepEqual(c.missingRegions, ['asia-east1']);
    assert.equal(c.deployMissing, true);
    assert.match(fromYaml.asked[1].items![0].label, /Deploy this YAML to asia-east1 first/);

    let offered: string[] = [];
    let negs: string[] = [];
    const fromPalette = new ScriptedUi([
      ['us-central1', 'asia-east1'],
      (p: Prompt) => {
        offered = p.items!.map((i) => i.label);
        return false;
      },
      'x.example.com',
      (p: Prompt) => {
        negs = p.items!.filter((i) => i.description?.startsWith('serverless NEG')).map((i) => i.label);
        return 'done';
      },
      [],
    ]);
    const d = await runWizard(MAKE_GLOBAL_STEPS, context({ service: 'shop' }), fromPalette);
    assert.deepEqual(offered, ['Leave asia-east1 out'], 'without YAML there is nothing to deploy');
    assert.deepEqual(negs, ['shop-neg-us-central1'], 'no NEG is named for the region left out');
    assert.equal(d.deployMissing, false);
  });

  it('refuses bad domains and names with a message that says what to type', async () => {
    const ui = new ScriptedUi([
      'not a domain',
      'https://shop.example.com',
      'shop.example.com',
      { key: 'urlMap' },
      'Bad_Name',
      'shop-map',
      'done',
      [],
    ]);
    const c = await runWizard(MAKE_GLOBAL_STEPS, context({ service: 'shop', regions: ['us-central1'] }), ui);
    assert.equal(ui.refused.length, 3, ui.refused.join('\n'));
    assert.match(ui.refused[2], /lower-case letters, digits and hyphens/);
    assert.equal(c.names?.urlMap, 'shop-map');
  });

  it('stops at Esc on any step, and skips every step the arguments answer', async () => {
    for (let at = 0; at < 5; at++) {
      const answers: Answer[] = ['shop', ['us-central1'], 'shop.example.com', 'done', []];
      answers[at] = 'ESC';
      await assert.rejects(runWizard(MAKE_GLOBAL_STEPS, context(), new ScriptedUi(answers)), WizardCancelled, `Esc at step ${at + 1}`);
    }
    const none = new ScriptedUi([]);
    await runWizard(
      MAKE_GLOBAL_STEPS,
      context({ service: 'shop', regions: ['us-central1'], domains: ['a.example.com'], names: {}, options: {} }),
      none,
    );
    assert.equal(none.asked.length, 0);
  });
});
