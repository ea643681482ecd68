// What every run of a plan created, across "Run Again": what Undo may delete, and nothing else.
import type { ApplyResult, RunRecords } from '../apply/applyTypes';
import type { Plan } from '../plan/types';

/** A plan and what all its runs recorded: what Undo may delete, and what a later run may still settle. */
export interface PlanHistory extends RunRecords {
  plan: Plan;
}

/** Which steps one run settled, and which it found existing (a resource an earlier, uncertain write made). */
interface Outcomes {
  adopted: Set<string>;
  settled: Set<string>;
}

/** The name of one list of RunRecords. */
export type RunRecordList = keyof RunRecords;

/** A list of the history after one more run, from the history before it; undefined leaves the list as it was. */
type ListMerge<K extends RunRecordList> = (history: RunRecords, run: RunRecords, outcomes: Outcomes) => RunRecords[K] | undefined;

/** Later entries of a step replace earlier ones, in the place of the first. */
const byStep = <T extends { stepId: string }>(items: T[]) => [...new Map(items.map((i) => [i.stepId, i])).values()];

/** How each list takes in a run's: every list of RunRecords has its rule (the type demands one). */
const MERGES: { [K in RunRecordList]: ListMerge<K> } = {
  created: (h, run, o) => byStep([...h.created, ...h.uncertain.filter((u) => o.adopted.has(u.stepId)), ...run.created]),
  attached: (h, run, o) => byStep([...h.attached, ...h.uncertainAttached.filter((u) => o.adopted.has(u.stepId)), ...run.attached]),
  // What this run did not settle stays uncertain: a later run that gets that far may still adopt it.
  uncertain: (h, run, o) => byStep([...h.uncertain.filter((u) => !o.settled.has(u.stepId)), ...run.uncertain]),
  uncertainAttached: (h, run, o) => byStep([...h.uncertainAttached.filter((u) => !o.settled.has(u.stepId)), ...run.uncertainAttached]),
  attachedCertificates: (h, run) =>
    h.attachedCertificates?.length || run.attachedCertificates?.length
      ? byStep([...(h.attachedCertificates ?? []), ...(run.attachedCertificates ?? [])])
      : undefined,
  // The first write of a record knows what was there before the plan: a later run's write must not replace it.
  dnsRecords: (h, run) => byStep([...(run.dnsRecords ?? []), ...(h.dnsRecords ?? [])]),
  // Likewise, the first change of a setting knows what it replaced.
  amended: (h, run) => (h.amended?.length || run.amended?.length ? byStep([...(run.amended ?? []), ...(h.amended ?? [])]) : undefined),
};

/** The names of the lists a run records. */
export const RUN_RECORD_LISTS = Object.keys(MERGES) as RunRecordList[];

/** The lists every history has from its first run on (the others are absent in histories stored by earlier versions). */
export function emptyRunRecords(): Pick<RunRecords, 'created' | 'attached' | 'uncertain' | 'uncertainAttached'> {
  return { created: [], attached: [], uncertain: [], uncertainAttached: [] };
}

/** Adds one run's result to a plan's history. */
export function recordRun(history: PlanHistory, result: ApplyResult): void {
  const adopted = new Set(result.steps.filter((s) => s.outcome === 'adopted').map((s) => s.stepId));
  const settled = new Set(
    result.steps.filter((s) => s.outcome === 'created' || s.outcome === 'adopted' || s.outcome === 'updated').map((s) => s.stepId),
  );
  // Every list is merged from the history as it was before this run.
  const before: RunRecords = { ...history };
  const records: RunRecords = history;
  const merge = <K extends RunRecordList>(key: K) => {
    const rule: ListMerge<K> = MERGES[key];
    const merged = rule(before, result, { adopted, settled });
    if (merged !== undefined) records[key] = merged;
  };
  for (const key of RUN_RECORD_LISTS) merge(key);
}

/**
 * Where histories outlive a reload: a key-value store of plain JSON (the VS Code layer backs it with
 * the workspace's state, so Undo is kept per workspace).
 */
export interface HistoryStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void> | void;
}

const STORE_KEY = 'cloudRunGlobal.applyHistories';
/** Plans kept for Undo, the most recently applied first. */
const KEPT = 20;

interface Stored {
  version: 1;
  /** [plan key, history], oldest first. */
  entries: [string, PlanHistory][];
  last?: string;
}

/** The histories of the plans applied in this workspace, by plan key, and the last one applied. */
export class ApplyHistories {
  private readonly byPlan = new Map<string, PlanHistory>();
  private last?: PlanHistory;

  constructor(private readonly store?: HistoryStore) {
    const stored = store?.get<Stored>(STORE_KEY);
    if (stored?.version !== 1 || !Array.isArray(stored.entries)) return;
    for (const [key, history] of stored.entries) if (isHistory(history)) this.byPlan.set(key, history);
    this.last = stored.last ? this.byPlan.get(stored.last) : undefined;
  }

  record(key: string, plan: Plan, result: ApplyResult): PlanHistory {
    const history = this.byPlan.get(key) ?? { plan, ...emptyRunRecords() };
    recordRun(history, result);
    this.byPlan.delete(key);
    this.byPlan.set(key, history);
    while (this.byPlan.size > KEPT) this.byPlan.delete(this.byPlan.keys().next().value!);
    this.last = history;
    this.save();
    return history;
  }

  /** The history of a plan, else the last applied. */
  find(key?: string): PlanHistory | undefined {
    return (key ? this.byPlan.get(key) : undefined) ?? this.last;
  }

  /** Partly undone: what is left is kept (and stored) for the next Undo. */
  keep(history: PlanHistory): void {
    if (this.find() === history || [...this.byPlan.values()].includes(history)) this.save();
  }

  /** Undone: Undo cannot run on it again. */
  forget(history: PlanHistory): void {
    for (const [key, value] of this.byPlan) if (value === history) this.byPlan.delete(key);
    if (this.last === history) this.last = undefined;
    this.save();
  }

  private save(): void {
    if (!this.store) return;
    const last = [...this.byPlan].find(([, h]) => h === this.last)?.[0];
    const stored: Stored = { version: 1, entries: [...this.byPlan], ...(last ? { last } : {}) };
    // Plans are plain data: what is stored is what a reload reads back.
    void this.store.update(STORE_KEY, JSON.parse(JSON.stringify(stored)));
  }
}

function isHistory(value: unknown): value is PlanHistory {
  const h = value as PlanHistory | undefined;
  return (
    !!h &&
    typeof h === 'object' &&
    !!h.plan &&
    Array.isArray(h.plan.steps) &&
    Object.keys(emptyRunRecords()).every((key) => Array.isArray(h[key as RunRecordList]))
  );
}
