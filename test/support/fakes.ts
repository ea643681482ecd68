// Fakes for the people and prompts the flows talk to, shared by the unit and emulator tests: a wizard
// that must not ask, a wizard answered from a script, and a person who confirms from a script.
import type { FlowUi } from '../../src/core/flows/flowUi';
import {
  WizardBack,
  WizardCancelled,
  type PickItem,
  type PickManyOptions,
  type PickOptions,
  type TextOptions,
  type WizardUi,
} from '../../src/core/flows/wizard';

/** A wizard that must not ask: every answer comes from the arguments. */
export const silentWizard: WizardUi = {
  setPosition: () => undefined,
  pick: () => {
    throw new Error('the wizard asked; the arguments should have answered');
  },
  text: () => {
    throw new Error('the wizard asked; the arguments should have answered');
  },
};

/** One scripted answer: a value, Back, Esc, or a function of the prompt that returns the value. */
export type Answer = unknown | 'BACK' | 'ESC' | ((prompt: Prompt) => unknown);

/** A prompt as the scripted wizard saw it. */
export interface Prompt {
  kind: 'pick' | 'text';
  title: string;
  items?: PickItem<unknown>[];
  validate?: (v: never) => string | undefined;
  position: string;
  value?: string;
  activeValue?: unknown;
}

/** Answers each prompt from a list; records what was asked, and what validation said of typed text. */
export class ScriptedUi implements WizardUi {
  readonly asked: Prompt[] = [];
  readonly refused: string[] = [];
  private position = '';
  constructor(private readonly answers: Answer[]) {}
  setPosition(step: number, total: number): void {
    this.position = `${step}/${total}`;
  }
  pick<T>(options: PickOptions<T> & { canPickMany?: false }): Promise<T>;
  pick<T>(options: PickManyOptions<T> & { canPickMany: true }): Promise<T[]>;
  async pick<T>(options: (PickOptions<T> | PickManyOptions<T>) & { canPickMany?: boolean }): Promise<T | T[]> {
    const items = await options.items;
    const prompt: Prompt = {
      kind: 'pick',
      title: options.placeholder,
      items,
      validate: 'validate' in options ? (options.validate as never) : undefined,
      position: this.position,
      activeValue: 'activeValue' in options ? options.activeValue : undefined,
    };
    return this.answer(prompt) as T;
  }
  async text(options: TextOptions): Promise<string> {
    const prompt: Prompt = {
      kind: 'text',
      title: options.prompt,
      validate: options.validate as never,
      position: this.position,
      value: options.value,
    };
    // Typed text that validation refuses stays in the box: the next scripted answer is typed instead.
    for (;;) {
      const value = this.answer(prompt) as string;
      const problem = options.validate(value);
      if (!problem) return value;
      this.refused.push(problem);
    }
  }
  private answer(prompt: Prompt): unknown {
    this.asked.push(prompt);
    if (!this.answers.length) throw new Error(`no scripted answer for "${prompt.title}"`);
    const answer = this.answers.shift();
    if (answer === 'BACK') throw new WizardBack();
    if (answer === 'ESC') throw new WizardCancelled();
    return typeof answer === 'function' ? (answer as (p: Prompt) => unknown)(prompt) : answer;
  }
}

/** A person who answers the flows' questions from a script and remembers what they were asked and told. */
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
