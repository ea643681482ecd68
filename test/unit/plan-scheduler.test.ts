import assert from 'node:assert/strict';
import { heights, runDag, type DagNode } from '../../src/core/apply/applyScheduler';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('plan scheduler (dependency graph with bounded concurrency)', () => {
  const diamond: DagNode[] = [
    { id: 'a', dependsOn: [] },
    { id: 'b', dependsOn: ['a'] },
    { id: 'c', dependsOn: ['a'] },
    { id: 'd', dependsOn: ['b', 'c'] },
    { id: 'e', dependsOn: [] },
  ];

  it('runs each node after its dependencies, never more than the bound at once', async () => {
    const order: string[] = [];
    let running = 0,
      most = 0;
    const state = await runDag(diamond, {
      concurrency: 2,
      run: async (node) => {
        for (const d of node.dependsOn) assert.ok(order.includes(d), `${node.id} after ${d}`);
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        order.push(node.id);
        return 'done';
      },
    });
    assert.equal(most, 2);
    assert.deepEqual([...state.values()], ['done', 'done', 'done', 'done', 'done']);
  });

  it('starts the longest chain first', async () => {
    assert.deepEqual(Object.fromEntries(heights(diamond)), { a: 2, b: 1, c: 1, d: 0, e: 0 });
    const started: string[] = [];
    await runDag(
      [
        { id: 'short', dependsOn: [] },
        { id: 'long', dependsOn: [] },
        { id: 'next', dependsOn: ['long'] },
      ],
      {
        concurrency: 1,
        run: async (node) => {
          started.push(node.id);
          return 'done';
        },
      },
    );
    assert.deepEqual(started, ['long', 'short', 'next']);
  });

  it('counts nodes that must run one after another as a chain when choosing what starts first', async () => {
    // Two add-backends to one backend service run in turn: their NEGs outrank a single short chain.
    const nodes: DagNode[] = [
      { id: 'proxy', dependsOn: [] },
      { id: 'rule', dependsOn: ['proxy'] },
      { id: 'neg', dependsOn: [] },
      { id: 'attach-1', dependsOn: ['neg'], serializeWith: 'backend' },
      { id: 'attach-2', dependsOn: [], serializeWith: 'backend' },
    ];
    assert.deepEqual(Object.fromEntries(heights(nodes)), { proxy: 1, rule: 0, neg: 2, 'attach-1': 1, 'attach-2': 1 });
    const started: string[] = [];
    await runDag(nodes, {
      concurrency: 1,
      run: async (node) => {
        started.push(node.id);
        return 'done';
      },
    });
    assert.equal(started[0], 'neg');
  });

  it('skips only what depends on a failure', async () => {
    const notRun: string[] = [];
    const state = await runDag(diamond, {
      concurrency: 4,
      run: async (node) => (node.id === 'b' ? 'failed' : 'done'),
      onNotRun: (node, why, because) => notRun.push(`${node.id}:${why}:${because}`),
    });
    assert.deepEqual(Object.fromEntries(state), { a: 'done', b: 'failed', c: 'done', d: 'skipped', e: 'done' });
    assert.deepEqual(notRun, ['d:skipped:b']);
  });

  it('counts a rejected run as failed', async () => {
    const state = await runDag([{ id: 'x', dependsOn: [] }], {
      concurrency: 1,
      run: async () => {
        throw new Error('boom');
      },
    });
    assert.equal(state.get('x'), 'failed');
  });

  it('never runs two nodes with the same serialisation key together', async () => {
    let together = 0,
      most = 0;
    await runDag(
      [
        { id: 'p', dependsOn: [], serializeWith: 'k' },
        { id: 'q', dependsOn: [], serializeWith: 'k' },
        { id: 'r', dependsOn: [] },
      ],
      {
        concurrency: 3,
        run: async (node) => {
          if (node.serializeWith) {
            together++;
            most = Math.max(most, together);
          }
          await tick();
          if (node.serializeWith) together--;
          return 'done';
        },
      },
    );
    assert.equal(most, 1);
  });

  it('starts nothing new after a cancel, and waits for what runs', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const state = await runDag(diamond, {
      concurrency: 1,
      signal: controller.signal,
      run: async (node) => {
        started.push(node.id);
        controller.abort();
        await tick();
        return 'cancelled';
      },
    });
    assert.deepEqual(started, ['a']);
    assert.deepEqual([...new Set(state.values())], ['cancelled']);
  });

  it('reports a cycle instead of hanging', async () => {
    const state = await runDag(
      [
        { id: 'x', dependsOn: ['y'] },
        { id: 'y', dependsOn: ['x'] },
      ],
      { concurrency: 2, run: async () => 'done' },
    );
    assert.deepEqual(Object.fromEntries(state), { x: 'skipped', y: 'skipped' });
  });
});
