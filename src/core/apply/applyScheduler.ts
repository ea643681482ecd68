// Runs a dependency graph with bounded concurrency: a node starts once everything it depends on
// is done; the nodes on the longest remaining chain start first; a failure skips its dependents
// only; cancellation starts nothing new.

export interface DagNode {
  id: string;
  dependsOn: readonly string[];
  /** Nodes with the same key never run at the same time. */
  serializeWith?: string;
}

export type NodeState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface DagOptions<N extends DagNode> {
  concurrency: number;
  signal?: AbortSignal;
  /** Runs one node; resolves 'done' or 'failed' ('cancelled' when it was aborted). Rejections count as failed. */
  run: (node: N) => Promise<'done' | 'failed' | 'cancelled'>;
  /** A node that will not run: a dependency failed (skipped) or the run was cancelled. */
  onNotRun?: (node: N, state: 'skipped' | 'cancelled', because?: string) => void;
}

/**
 * Longest chain of dependents below each node (0 for a node nothing depends on). Nodes serialized
 * with each other run one after another, so a group of k counts as a chain of k: two add-backends to
 * one backend service must start as early as a chain of two.
 */
export function heights<N extends DagNode>(nodes: readonly N[]): Map<string, number> {
  const dependents = new Map<string, string[]>();
  for (const n of nodes) for (const d of n.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), n.id]);
  const groupSize = new Map<string, number>();
  for (const n of nodes) if (n.serializeWith) groupSize.set(n.serializeWith, (groupSize.get(n.serializeWith) ?? 0) + 1);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const queued = (id: string) => {
    const key = byId.get(id)?.serializeWith;
    return key ? groupSize.get(key)! - 1 : 0;
  };
  const memo = new Map<string, number>();
  const height = (id: string, seen: Set<string>): number => {
    if (memo.has(id)) return memo.get(id)!;
    if (seen.has(id)) return 0; // a cycle: reported by runDag as never ready
    seen.add(id);
    const h = Math.max(-1, ...(dependents.get(id) ?? []).map((c) => height(c, seen))) + 1 + queued(id);
    memo.set(id, h);
    return h;
  };
  for (const n of nodes) height(n.id, new Set());
  return memo;
}

export function runDag<N extends DagNode>(nodes: readonly N[], options: DagOptions<N>): Promise<Map<string, NodeState>> {
  const state = new Map<string, NodeState>(nodes.map((n) => [n.id, 'pending']));
  const height = heights(nodes);
  const order = [...nodes].sort((a, b) => height.get(b.id)! - height.get(a.id)!);
  const locks = new Set<string>();
  const concurrency = Math.max(1, options.concurrency);
  let running = 0;

  return new Promise((resolve) => {
    let finished = false;
    const settle = (node: N, next: NodeState, because?: string) => {
      state.set(node.id, next);
      if (next === 'skipped' || next === 'cancelled') options.onNotRun?.(node, next, because);
    };
    const pump = () => {
      if (finished) return;
      // Nodes that can no longer run, until nothing changes.
      for (let changed = true; changed;) {
        changed = false;
        for (const node of nodes) {
          if (state.get(node.id) !== 'pending') continue;
          const blocker = node.dependsOn.find((d) => ['failed', 'skipped', 'cancelled'].includes(state.get(d) ?? 'done'));
          if (blocker) {
            settle(node, state.get(blocker) === 'cancelled' ? 'cancelled' : 'skipped', blocker);
            changed = true;
          }
        }
      }
      if (options.signal?.aborted) {
        for (const node of nodes) if (state.get(node.id) === 'pending') settle(node, 'cancelled');
      } else {
        for (const node of order) {
          if (running >= concurrency) break;
          if (state.get(node.id) !== 'pending') continue;
          if (!node.dependsOn.every((d) => (state.get(d) ?? 'done') === 'done')) continue;
          if (node.serializeWith && locks.has(node.serializeWith)) continue;
          start(node);
        }
      }
      if (running === 0) {
        // Whatever is still pending waits on a cycle: it can never run.
        for (const node of nodes) if (state.get(node.id) === 'pending') settle(node, 'skipped', 'a dependency cycle');
        finished = true;
        options.signal?.removeEventListener('abort', pump);
        resolve(state);
      }
    };
    const start = (node: N) => {
      state.set(node.id, 'running');
      running++;
      if (node.serializeWith) locks.add(node.serializeWith);
      let outcome: Promise<'done' | 'failed' | 'cancelled'>;
      try {
        outcome = options.run(node);
      } catch {
        outcome = Promise.resolve('failed');
      }
      outcome
        .catch(() => 'failed' as const)
        .then((result) => {
          state.set(node.id, result);
          running--;
          if (node.serializeWith) locks.delete(node.serializeWith);
          pump();
        });
    };
    options.signal?.addEventListener('abort', pump);
    pump();
  });
}
