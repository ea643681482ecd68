// A wizard as data: each step asks for one answer and is skipped when the context already holds it
// (so a CodeLens, the palette, the explorer and tests share one wizard). Back and Cancel are typed
// errors. The prompts go through WizardUi: quick inputs in VS Code, a script in tests.

export class WizardBack extends Error {
  constructor() {
    super('back');
  }
}

export class WizardCancelled extends Error {
  readonly name = 'AbortError';
  constructor() {
    super('The wizard was cancelled.');
  }
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
  value: T;
}

export interface PickOptions<T> {
  placeholder: string;
  items: PickItem<T>[] | Promise<PickItem<T>[]>;
  activeValue?: T;
}

export interface PickManyOptions<T> {
  placeholder: string;
  items: PickItem<T>[] | Promise<PickItem<T>[]>;
  validate?: (picked: T[]) => string | undefined;
}

export interface TextOptions {
  prompt: string;
  value?: string;
  placeholder?: string;
  validate: (value: string) => string | undefined;
}

/** The prompts a step can use. Each rejects with WizardBack or WizardCancelled when the user says so. */
export interface WizardUi {
  setPosition(step: number, total: number): void;
  pick<T>(options: PickOptions<T> & { canPickMany?: false }): Promise<T>;
  pick<T>(options: PickManyOptions<T> & { canPickMany: true }): Promise<T[]>;
  text(options: TextOptions): Promise<string>;
}

export interface WizardStep<C> {
  /** False when the context already has what this step asks for. */
  shouldPrompt(context: C): boolean;
  /** `previous`: the context as this step last left it, when the person comes back to it (Back), so it offers that answer again. */
  prompt(context: C, ui: WizardUi, previous?: Readonly<C>): Promise<void>;
}

/**
 * Runs the steps in order, asking only where `shouldPrompt` says so (checked when the step is
 * reached, so an answer can make a later step necessary). Back returns to the previous prompted
 * step with the context as it was before it; that step, and each one after it, offers the answer it had.
 */
export async function runWizard<C extends object>(steps: readonly WizardStep<C>[], context: C, ui: WizardUi): Promise<C> {
  const history: { index: number; snapshot: C }[] = [];
  const answered = new Map<number, C>();
  for (let index = 0; index < steps.length;) {
    if (!steps[index].shouldPrompt(context)) {
      index++;
      continue;
    }
    const remaining = steps.slice(index).filter((s) => s.shouldPrompt(context)).length;
    ui.setPosition(history.length + 1, history.length + remaining);
    // Steps assign answers (never mutate them), so a shallow copy restores the context on Back.
    const snapshot = { ...context };
    try {
      await steps[index].prompt(context, ui, answered.get(index));
      answered.set(index, { ...context });
      history.push({ index, snapshot });
      index++;
    } catch (err) {
      if (!(err instanceof WizardBack)) throw err;
      const previous = history.pop();
      const restore = previous?.snapshot ?? snapshot;
      for (const key of Object.keys(context) as (keyof C)[]) if (!(key in restore)) delete context[key];
      Object.assign(context, restore);
      if (previous) index = previous.index;
    }
  }
  return context;
}
