// Make global, Apply, Undo and Delete load balancer as use cases in plain Node: the flows with a scripted
// person (wizard answers, confirmations) against the emulator, the live model watching.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { ApplyHistories } from '../../src/core/flows/applyHistory';
import { applyPlanFlow } from '../../src/core/flows/applyPlanFlow';
import { planMakeGlobal } from '../../src/core/flows/makeGlobal';
import { deleteLoadBalancerFlow, undoPlan } from '../../src/core/flows/undoAndDelete';
import { INVENTORY_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import { ScriptedPerson, silentWizard } from '../support/fakes';
import { Harness, PROJECT, startHarness } from './setup';

describe('use cases: Make global, Apply, Undo, Delete load balancer (emulator)', function () {
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

  it('Apply as a flow: once at a time, with progress; the history and the model take in the run, and Make global announces the DNS records', async () => {
    const { plan } = await planMakeGlobal(
      { service: 'my-global-app', regions: ['us-central1'], domains: ['app.example.com'], names: {}, options: { httpsRedirect: false } },
      undefined,
      { connection: h.connection, project: PROJECT, model, ui: silentWizard },
    );
    const histories = new ApplyHistories();
    const applying = new Set<string>();
    const person = new ScriptedPerson();
    const deps = {
      clients: (project: string) => ({ compute: h.connection.compute(project), run: h.connection.run(project) }),
      model,
      histories,
      applying,
      ui: person,
    };
    const running = applyPlanFlow('plan', plan, deps);
    await assert.rejects(applyPlanFlow('plan', plan, deps), /being applied already/);
    const { result, notice } = await running;
    assert.ok(result.ok);
    assert.equal(applying.size, 0);
    assert.deepEqual(
      person.progress.map((p) => p.title),
      ['Making my-global-app global'],
    );
    const reports = person.progress[0].reports;
    assert.equal(
      reports.reduce((sum, r) => sum + (r.increment ?? 0), 0).toFixed(6),
      (100).toFixed(6),
      'every finished step advances the bar, to 100 %',
    );
    assert.match(reports.at(-1)!.message, /^(\d+)\/\1 · finishing$/);
    assert.deepEqual(
      histories.find('plan')?.created.map((c) => c.stepId),
      result.created.map((c) => c.stepId),
    );
    assert.ok(fronted(), 'the model re-read after the run');
    assert.equal(notice.severity, 'information');
    assert.match(notice.message, /^my-global-app is behind a global load balancer at [\d.]+\. Create this DNS record/);
    assert.deepEqual(
      notice.offers.map((o) => o.label),
      ['Copy DNS Records', 'Show in Explorer', 'Undo'],
    );
    await assert.rejects(applyPlanFlow('other', { ...plan, applicable: false }, deps), /has conflicts and cannot be applied/);
  });

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
