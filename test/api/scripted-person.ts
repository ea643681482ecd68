// A person who answers the flows' questions from a script and remembers what they were asked and told.
import type { FlowUi } from '../../src/core/flows/flowUi';

export class ScriptedPerson implements FlowUi {
  readonly asked: { message: string; detail: string }[] = [];
  readonly said: string[] = [];
  /** `answers`: one per confirmation, in order; past the end, the person says no. */
  constructor(private readonly answers: boolean[] = []) {}
  async confirm(message: string, detail: string): Promise<boolean> {
    this.asked.push({ message, detail });
    return this.answers.shift() ?? false;
  }
  /** Each progress shown: its title and what it reported. */
  readonly progress: { title: string; reports: { message: string; increment?: number }[] }[] = [];
  withProgress<T>(
    title: string,
    task: (report: (message: string, increment?: number) => void, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const shown = { title, reports: [] as { message: string; increment?: number }[] };
    this.progress.push(shown);
    return task((message, increment) => void shown.reports.push({ message, increment }), new AbortController().signal);
  }
  info(message: string): void {
    this.said.push(`info: ${message}`);
  }
  warn(message: string): void {
    this.said.push(`warn: ${message}`);
  }
  log(): void {}
}
