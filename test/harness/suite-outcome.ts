// What each stage of the VS Code run reports, and the one line test/run.mjs reads at the end.

export interface SuiteOutcome {
  name: string;
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  /** Why a suite failed without a test to blame (timeout, crash, leftover processes). */
  problems: string[];
}

export function emptyOutcome(name: string): SuiteOutcome {
  return { name, passed: 0, failed: 0, pending: 0, durationMs: 0, problems: [] };
}

/** A stage that could not count its tests still counts once as failed: never silence. */
export function failedOutcome(name: string, problem: string, durationMs = 0): SuiteOutcome {
  return { ...emptyOutcome(name), failed: 1, durationMs, problems: [problem] };
}

/** Per-suite lines say passing/failing so that only the final line has the `N passed, N failed` shape. */
export function describeOutcome(outcome: SuiteOutcome): string {
  const pending = outcome.pending ? `, ${outcome.pending} pending` : '';
  const problems = outcome.problems.length ? ` — ${outcome.problems.join('; ')}` : '';
  return `${outcome.name}: ${outcome.passed} passing, ${outcome.failed} failing${pending} (${(outcome.durationMs / 1000).toFixed(1)} s)${problems}`;
}

export function totalLine(outcomes: readonly SuiteOutcome[]): string {
  const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
  const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
  return `${passed} passed, ${failed} failed`;
}

export function anyFailed(outcomes: readonly SuiteOutcome[]): boolean {
  return outcomes.some((o) => o.failed > 0);
}
