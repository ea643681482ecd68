// When the model reads on its own: only while something is pending (a certificate provisioning, a
// finding that waits on DNS), sooner while a view that shows it is on screen, backing off while
// nothing changes, and not at all once the window has been in the background for a while.
import type { Disposable } from './emitter';
import { type ProjectModel } from './projectModel';

export interface RoundPolicy {
  /** First delay while a view that shows the pending state is visible. */
  visibleMs: number;
  /** First delay while nothing that shows it is visible. */
  hiddenMs: number;
  /** The longest delay between rounds. */
  maxMs: number;
  /** After this long unfocused, rounds wait until the window is focused again. */
  unfocusedPauseMs: number;
}

export const DEFAULT_ROUND_POLICY: RoundPolicy = { visibleMs: 10_000, hiddenMs: 30_000, maxMs: 5 * 60_000, unfocusedPauseMs: 2 * 60_000 };

/** The delay before the next round: doubling from the first delay with each round that changed nothing. */
export function nextRoundDelay(policy: RoundPolicy, state: { visible: boolean; unchangedRounds: number }): number {
  const first = state.visible ? policy.visibleMs : policy.hiddenMs;
  return Math.min(policy.maxMs, first * 2 ** Math.min(Math.max(0, state.unchangedRounds), 20));
}

export interface SchedulerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: SchedulerClock = {
  now: Date.now,
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class RefreshScheduler implements Disposable {
  private timer?: unknown;
  private dueAt?: number;
  private unchangedRounds = 0;
  private focused = true;
  private unfocusedSince?: number;
  /** A round came due while the window was in the background. */
  private overdue = false;
  private running?: Promise<void>;
  private readonly subscriptions: Disposable[];

  constructor(
    private readonly model: ProjectModel,
    private readonly policy: RoundPolicy = DEFAULT_ROUND_POLICY,
    private readonly clock: SchedulerClock = realClock,
  ) {
    this.subscriptions = [
      // Any observed change restarts the backoff: things are moving.
      model.onDidChange(() => {
        this.unchangedRounds = 0;
        this.plan();
      }),
      model.onDidChangeInterest(() => this.plan()),
    ];
  }

  /** The window gained or lost focus. */
  setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    this.unfocusedSince = focused ? undefined : this.clock.now();
    if (focused && this.overdue) {
      this.overdue = false;
      void this.round();
    }
  }

  /** When the next round is due, if one is planned (tests and the log read it). */
  get nextRoundAt(): number | undefined {
    return this.dueAt;
  }

  /** Runs one round now (what a timer does). */
  round(): Promise<void> {
    this.running ??= this.model.read(this.model.roundParts(), 'round').finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** (Re)plans the next round from what is pending and visible now. */
  plan(): void {
    if (this.running) return; // the round re-plans when it ends
    const wanted = this.model.project !== undefined && this.model.pending;
    if (!wanted) {
      this.cancel();
      return;
    }
    const delay = nextRoundDelay(this.policy, { visible: this.model.anyVisible, unchangedRounds: this.unchangedRounds });
    const dueAt = this.clock.now() + delay;
    // Keep an earlier timer; move a later one forward (a view just became visible, say).
    if (this.timer !== undefined && this.dueAt !== undefined && this.dueAt <= dueAt) return;
    this.cancel();
    this.dueAt = dueAt;
    this.timer = this.clock.setTimeout(() => void this.fire(), delay);
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    this.dueAt = undefined;
    if (!this.focused && this.unfocusedSince !== undefined && this.clock.now() - this.unfocusedSince >= this.policy.unfocusedPauseMs) {
      this.overdue = true;
      return;
    }
    const version = this.model.version;
    await this.round();
    if (this.model.version === version) this.unchangedRounds++;
    this.plan();
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = undefined;
  }

  dispose(): void {
    this.cancel();
    for (const s of this.subscriptions) s.dispose();
  }
}
