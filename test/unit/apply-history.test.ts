// Undo's history is kept per workspace across reloads: stored as plain JSON, read back by a new window.
import assert from 'node:assert/strict';
import type { ApplyResult, RunRecords } from '../../src/core/apply/applyTypes';
import { ApplyHistories, recordRun, RUN_RECORD_LISTS, type HistoryStore, type PlanHistory } from '../../src/core/flows/applyHistory';
import { buildPlan } from '../../src/core/plan/build';
import { emptyInventory, PROJECT } from './topology-fixtures';

class MemoryStore implements HistoryStore {
  readonly data = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  update(key: string, value: unknown): void {
    this.data.set(key, JSON.stringify(value));
  }
}

function result(plan: ReturnType<typeof buildPlan>, createdIds: string[]): ApplyResult {
  const steps = plan.steps.map((s) => ({
    stepId: s.id,
    kind: s.kind,
    name: s.name,
    region: s.region,
    outcome: createdIds.includes(s.id) ? ('created' as const) : ('skipped' as const),
    message: '',
  }));
  const created = plan.steps
    .filter((s) => createdIds.includes(s.id))
    .map((s) => ({ stepId: s.id, kind: s.kind, collection: s.collection, name: s.name, region: s.region }));
  return { ok: false, cancelled: false, steps, created, attached: [], uncertain: [], uncertainAttached: [], durationMs: 1 };
}

describe('Undo history across reloads', () => {
  const plan = buildPlan(
    { project: PROJECT, service: 'hello', regions: ['us-central1'], domains: ['a.example.com'] },
    { ...emptyInventory(), services: [] },
  );

  it('a new window over the same workspace state finds what the last runs created, by plan and as the last one', () => {
    const store = new MemoryStore();
    const first = new ApplyHistories(store);
    first.record('plan-1', plan, result(plan, ['backend', 'address']));
    first.record('plan-1', plan, result(plan, ['url-map']));
    const reloaded = new ApplyHistories(store);
    const history = reloaded.find('plan-1');
    assert.ok(history);
    assert.deepEqual(
      history.created.map((c) => c.stepId),
      ['backend', 'address', 'url-map'],
    );
    assert.deepEqual(
      history.plan,
      JSON.parse(JSON.stringify(plan)),
      'the plan comes back as it was (fields that were undefined stay absent)',
    );
    assert.equal(reloaded.find(), history, 'and it is the last applied');
    reloaded.forget(history);
    assert.equal(new ApplyHistories(store).find('plan-1'), undefined, 'undone is forgotten for good');
  });

  it('keeps the 20 most recently applied plans, and ignores what it cannot read', () => {
    const store = new MemoryStore();
    const histories = new ApplyHistories(store);
    for (let i = 0; i < 25; i++) histories.record(`plan-${i}`, plan, result(plan, ['backend']));
    const reloaded = new ApplyHistories(store);
    const kept = (store.get<{ entries: [string, unknown][] }>('cloudRunGlobal.applyHistories')?.entries ?? []).map(([key]) => key);
    assert.deepEqual(
      kept,
      Array.from({ length: 20 }, (_, i) => `plan-${i + 5}`),
    );
    assert.equal(reloaded.find(), reloaded.find('plan-24'));
    assert.notEqual(reloaded.find('plan-5'), reloaded.find());
    store.update('cloudRunGlobal.applyHistories', { version: 1, entries: [['x', { plan: 'nonsense' }]] });
    assert.equal(new ApplyHistories(store).find('x'), undefined);
    assert.equal(new ApplyHistories().find(), undefined, 'no store: a history of this window only');
  });

  it('every list a run records reaches the history and survives a reload: a list without a merge rule fails here', () => {
    // One entry per list, each on a step of its own (Required: a new list in RunRecords must be added here too).
    const entry = (stepId: string) => ({ stepId, kind: 'backendService' as const, collection: 'backendServices' as const, name: stepId });
    const records: Required<RunRecords> = {
      created: [entry('created')],
      attached: [{ stepId: 'attached', backendService: 'b', group: 'g' }],
      uncertain: [entry('uncertain')],
      uncertainAttached: [{ stepId: 'uncertain-attached', backendService: 'b', group: 'g' }],
      attachedCertificates: [{ stepId: 'attached-certificate', httpsProxy: 'p', certificate: 'c' }],
      dnsRecords: [
        {
          stepId: 'dns',
          zone: 'z',
          zoneProject: PROJECT,
          zoneDnsName: 'example.com.',
          name: 'a.example.com',
          type: 'A',
          written: { name: 'a.example.com.', type: 'A', ttl: 300, rrdatas: ['203.0.113.1'] },
        },
      ],
      amended: [{ stepId: 'security-policy', kind: 'attachSecurityPolicy', name: 'b', record: { previous: null } }],
    };
    assert.deepEqual([...RUN_RECORD_LISTS].sort(), Object.keys(records).sort(), 'recordRun merges every list');
    const run: ApplyResult = { ok: false, cancelled: true, steps: [], ...records, durationMs: 1 };
    const history: PlanHistory = { plan, created: [], attached: [], uncertain: [], uncertainAttached: [] };
    recordRun(history, run);
    for (const list of RUN_RECORD_LISTS) assert.deepEqual(history[list], records[list], `history.${list}`);

    const store = new MemoryStore();
    new ApplyHistories(store).record('plan', plan, run);
    const reloaded = new ApplyHistories(store).find('plan');
    assert.ok(reloaded);
    for (const list of RUN_RECORD_LISTS) assert.deepEqual(reloaded[list], records[list], `history.${list} after a reload`);
  });
});
