// A multi-step quick input: steps are data, each skipped when the context already holds its answer
// (so a CodeLens, the palette, the explorer and tests share one wizard). Back and Cancel are typed.
import * as vscode from 'vscode';

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

export interface WizardStep<C> {
  /** False when the context already has what this step asks for. */
  shouldPrompt(context: C): boolean;
  prompt(context: C, ui: WizardUi): Promise<void>;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** The prompts a step can use; each shows the step counter and a Back button after the first step. */
export class WizardUi {
  constructor(readonly title: string, private step: number, private total: number) {}

  setPosition(step: number, total: number): void {
    this.step = step;
    this.total = total;
  }

  async pick<T>(options: { placeholder: string; items: PickItem<T>[] | Promise<PickItem<T>[]>; canPickMany?: false; activeValue?: T }): Promise<T>;
  async pick<T>(options: { placeholder: string; items: PickItem<T>[] | Promise<PickItem<T>[]>; canPickMany: true; validate?: (picked: T[]) => string | undefined }): Promise<T[]>;
  async pick<T>(options: { placeholder: string; items: PickItem<T>[] | Promise<PickItem<T>[]>; canPickMany?: boolean; activeValue?: T; validate?: (picked: T[]) => string | undefined }): Promise<T | T[]> {
    const input = vscode.window.createQuickPick<PickItem<T>>();
    input.title = this.title;
    input.step = this.step;
    input.totalSteps = this.total;
    input.placeholder = options.placeholder;
    input.canSelectMany = !!options.canPickMany;
    input.ignoreFocusOut = true;
    input.matchOnDescription = true;
    input.buttons = this.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    input.busy = true;
    input.show();
    try {
      return await new Promise<T | T[]>((resolve, reject) => {
        // Listen before the items arrive: Esc while they load cancels, and a failed load closes the pick.
        let loaded = false;
        input.onDidHide(() => reject(new WizardCancelled()));
        input.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new WizardBack()));
        input.onDidAccept(() => {
          if (!loaded) return;
          if (options.canPickMany) {
            const picked = input.selectedItems.map((i) => i.value);
            const problem = options.validate?.(picked);
            if (problem) {
              input.placeholder = `⚠ ${problem}`;
              return;
            }
            resolve(picked);
          } else if (input.selectedItems[0]) {
            resolve(input.selectedItems[0].value);
          }
        });
        Promise.resolve(options.items).then((items) => {
          loaded = true;
          input.items = items;
          input.busy = false;
          if (options.canPickMany) input.selectedItems = items.filter((i) => i.picked);
          else if (options.activeValue !== undefined) input.activeItems = items.filter((i) => i.value === options.activeValue);
        }, reject);
      });
    } finally {
      input.dispose();
    }
  }

  async text(options: { prompt: string; value?: string; placeholder?: string; validate: (value: string) => string | undefined }): Promise<string> {
    const input = vscode.window.createInputBox();
    input.title = this.title;
    input.step = this.step;
    input.totalSteps = this.total;
    input.prompt = options.prompt;
    input.placeholder = options.placeholder;
    input.value = options.value ?? '';
    input.ignoreFocusOut = true;
    input.buttons = this.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    input.validationMessage = options.value ? options.validate(options.value) : undefined;
    input.show();
    try {
      return await new Promise<string>((resolve, reject) => {
        input.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new WizardBack()));
        input.onDidChangeValue((value) => (input.validationMessage = options.validate(value)));
        input.onDidAccept(() => {
          const problem = options.validate(input.value);
          input.validationMessage = problem;
          if (!problem) resolve(input.value);
        });
        input.onDidHide(() => reject(new WizardCancelled()));
      });
    } finally {
      input.dispose();
    }
  }
}

/**
 * Runs the steps in order, asking only where `shouldPrompt` says so (checked when the step is
 * reached, so an answer can make a later step necessary). Back returns to the previous prompted
 * step with the context as it was before it.
 */
export async function runWizard<C extends object>(title: string, steps: WizardStep<C>[], context: C): Promise<C> {
  const ui = new WizardUi(title, 1, 1);
  const history: { index: number; snapshot: C }[] = [];
  for (let index = 0; index < steps.length; ) {
    if (!steps[index].shouldPrompt(context)) {
      index++;
      continue;
    }
    const remaining = steps.slice(index).filter((s) => s.shouldPrompt(context)).length;
    ui.setPosition(history.length + 1, history.length + remaining);
    // Steps assign answers (never mutate them), so a shallow copy restores the context on Back.
    const snapshot = { ...context };
    try {
      await steps[index].prompt(context, ui);
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
