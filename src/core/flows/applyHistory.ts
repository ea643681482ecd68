// What every run of a plan created, across "Run Again": what Undo may delete, and nothing else.
import type { AppliedDnsRecord, AppliedResource, ApplyResult, AttachedBackend, AttachedCertificate } from '../apply/applyTypes';
import type { Plan } from '../plan/types';

export interface PlanHistory {
  plan: Plan;
  created: AppliedResource[];
  attached: AttachedBackend[];
  /** Sent by a run without a known outcome and not settled since; a later run that adopts one made it. */
  uncertain: AppliedResource[];
  /** The same for NEG attachments: a later run that finds one attached made it, and Undo detaches it. */
  uncertainAttached: AttachedBackend[];
  /** Certificates a Change Domains run attached to a proxy (absent in histories stored before it existed). */
  attachedCertificates?: AttachedCertificate[];
  /** Cloud DNS records the runs created or changed (absent in histories stored by earlier versions). */
  dnsRecords?: AppliedDnsRecord[];
}

/** Adds one run's result to a plan's history. */
export function recordRun(history: PlanHistory, result: ApplyResult): void {
  const adopted = new Set(result.steps.filter((s) => s.outcome === 'adopted').map((s) => s.stepId));
  const byStep = <T extends { stepId: string }>(items: T[]) => [...new Map(items.map((i) => [i.stepId, i])).values()];
  history.created = byStep([...history.created, ...history.uncertain.filter((u) => adopted.has(u.stepId)), ...result.created]);
  history.attached = byStep([...history.attached, ...history.uncertainAttached.filter((u) => adopted.has(u.stepId)), ...result.attached]);
  // The first write of a record knows what was there before the plan: a later run's write must not replace it.
  history.dnsRecords = byStep([...(result.dnsRecords ?? []), ...(history.dnsRecords ?? [])]);
  // What this run did not settle stays uncertain: a later run that gets that far may still adopt it.
  const settled = new Set(
    result.steps.filter((s) => s.outcome === 'created' || s.outcome === 'adopted' || s.outcome === 'updated').map((s) => s.stepId),
  );
  history.uncertain = byStep([...history.uncertain.filter((u) => !settled.has(u.stepId)), ...result.uncertain]);
  history.uncertainAttached = byStep([...history.uncertainAttached.filter((u) => !settled.has(u.stepId)), ...result.uncertainAttached]);
  if (history.attachedCertificates?.length || result.attachedCertificates?.length) {
    history.attachedCertificates = byStep([...(history.attachedCertificates ?? []), ...(result.attachedCertificates ?? [])]);
  }
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
    const history = this.byPlan.get(key) ?? { plan, created: [], attached: [], uncertain: [], uncertainAttached: [] };
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
    Array.isArray(h.created) &&
    Array.isArray(h.attached) &&
    Array.isArray(h.uncertain) &&
    Array.isArray(h.uncertainAttached)
  );
}
