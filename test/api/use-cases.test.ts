// Make global, Undo and Delete load balancer as use cases in plain Node: the flows with a scripted
// person (wizard answers, confirmations) against the emulator, the live model watching.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { ApplyHistories } from '../../src/core/flows/applyHistory';
import { planMakeGlobal } from '../../src/core/flows/makeGlobal';
import { deleteLoadBalancerFlow, undoPlan } from '../../src/core/flows/undoAndDelete';
import { INVENTORY_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import { ScriptedPerson, silentWizard } from '../support/fakes';
import { Harness, PROJECT, startHarness } from './setup';

describe('use cases: Make global, Undo, Delete load balancer (emulator)', function () {
  this.timeout(30_000);
  let h: Harness;
  let model: ProjectModel;

  before(async () => {
    h = await startHarness({ seed: 'demo' });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('demo');
    model = new ProjectModel({
      connect: () => ({ project: PROJECT, compute: h.connection.compute(PROJECT), run: h.connection.run(PROJECT) }),
      resolver: () => {
        throw new Error('no DNS here');
      },
    });
  });

  async function makeGlobal(histories: ApplyHistories) {
    const { plan } = await planMakeGlobal(
      {
        service: 'my-global-app',
        regions: ['us-central1'],
        domains: ['app.example.com'],
        names: {},
        options: { httpsRedirect: true, cdn: false, ipv6: false },
      },
      undefined,
      { connection: h.connection, project: PROJECT, model, ui: silentWizard },
    );
    const result = await applyPlan(plan, { compute: h.connection.compute(PROJECT), run: h.connection.run(PROJECT) });
    assert.ok(result.ok);
    await model.afterWrite(INVENTORY_PARTS);
    return histories.record('plan', plan, result);
  }

  const fronted = () => model.topology!.loadBalancers.some((lb) => lb.services.some((s) => s.name === 'my-global-app'));

  it('undoes exactly what the plan created once the person confirms, and the model shows it', async () => {
    const histories = new ApplyHistories();
    const history = await makeGlobal(histories);
    assert.ok(fronted());
    const person = new ScriptedPerson([false, true]);
    assert.equal(
      await undoPlan(history, histories, { model, compute: h.connection.compute(PROJECT), ui: person }),
      undefined,
      'declined: nothing happens',
    );
    assert.ok(fronted());
    const report = await undoPlan(history, histories, { model, compute: h.connection.compute(PROJECT), ui: person });
    assert.equal(report?.failed.length, 0);
    assert.match(person.asked[1].detail, /my-global-app-backend/);
    assert.equal(fronted(), false, 'the model re-read after the write');
    assert.equal(histories.find('plan'), undefined, 'nothing left to undo');
  });

  it('keeps what Undo could not delete, so a second Undo finishes it', async () => {
    const histories = new ApplyHistories();
    const history = await makeGlobal(histories);
    await h.emulator.control.addFault({
      method: 'DELETE',
      path: '/global/urlMaps/my-global-app-url-map$',
      count: 1,
      status: 503,
      message: 'Injected.',
    });
    await h.emulator.control.addFault({
      method: 'DELETE',
      path: '/global/urlMaps/my-global-app-url-map$',
      count: 10,
      status: 403,
      reason: 'forbidden',
      message: 'Injected: permission denied.',
    });
    const person = new ScriptedPerson([true, true]);
    const first = await undoPlan(history, histories, { model, compute: h.connection.compute(PROJECT), ui: person });
    assert.ok(first!.failed.length > 0);
    assert.ok(
      person.said.some((s) => /^warn: .*Run Undo again/.test(s)),
      person.said.join('\n'),
    );
    assert.ok(histories.find('plan'), 'the history keeps what is left');
    assert.ok(history.created.length > 0 && history.created.length < 10, history.created.map((r) => r.name).join(', '));
    await h.emulator.control.clearFaults();
    const second = await undoPlan(history, histories, { model, compute: h.connection.compute(PROJECT), ui: person });
    assert.equal(second!.failed.length, 0);
    const state = (await h.emulator.control.state()) as { compute: Record<string, Record<string, { name: string }[]>> };
    const names = Object.values(state.compute[PROJECT])
      .flat()
      .map((r) => r.name);
    assert.deepEqual(
      names.filter((n) => n.startsWith('my-global-app')),
      [],
    );
  });

  it('deletes a load balancer after showing what goes in order and what is kept', async () => {
    await model.ensure(INVENTORY_PARTS);
    const api = model.topology!.loadBalancers.find((lb) => lb.name === 'api-url-map')!;
    const person = new ScriptedPerson([false, true]);
    assert.equal(await deleteLoadBalancerFlow(api.id, { model, compute: h.connection.compute(PROJECT), ui: person }), undefined);
    assert.ok(
      model.topology!.loadBalancers.some((lb) => lb.name === 'api-url-map'),
      'declined: still there',
    );
    const report = await deleteLoadBalancerFlow(api.id, { model, compute: h.connection.compute(PROJECT), ui: person });
    assert.equal(report?.failed.length, 0);
    assert.match(person.asked[0].detail, /forwarding rule api-https-rule[\s\S]*target HTTPS proxy[\s\S]*address api-ip/);
    assert.ok(!model.topology!.loadBalancers.some((lb) => lb.name === 'api-url-map'), 'the model re-read after the write');
  });
});
