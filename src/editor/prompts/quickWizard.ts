// The wizard's prompts as VS Code quick inputs: a step counter, a Back button after the first step,
// Esc (or closing) cancels. The steps themselves live in src/core/flows and never see vscode.
import * as vscode from 'vscode';
import { WizardBack, WizardCancelled, type PickItem, type WizardUi } from '../../core/flows/wizard';

export class QuickInputWizardUi implements WizardUi {
  constructor(
    readonly title: string,
    private step = 1,
    private total = 1,
  ) {}

  setPosition(step: number, total: number): void {
    this.step = step;
    this.total = total;
  }

  async pick<T>(options: {
    placeholder: string;
    items: PickItem<T>[] | Promise<PickItem<T>[]>;
    canPickMany?: false;
    activeValue?: T;
  }): Promise<T>;
  async pick<T>(options: {
    placeholder: string;
    items: PickItem<T>[] | Promise<PickItem<T>[]>;
    canPickMany: true;
    validate?: (picked: T[]) => string | undefined;
  }): Promise<T[]>;
  async pick<T>(options: {
    placeholder: string;
    items: PickItem<T>[] | Promise<PickItem<T>[]>;
    canPickMany?: boolean;
    activeValue?: T;
    validate?: (picked: T[]) => string | undefined;
  }): Promise<T | T[]> {
    const input = vscode.window.createQuickPick<PickItem<T>>();
    input.title = this.title;
    input.step = this.step;
    input.totalSteps = this.total;
    input.placeholder = options.placeholder;
    input.canSelectMany = !!options.canPickMany;
    input.ignoreFocusOut = true;
    input.matchOnDescription = true;
    input.buttons = this.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let loaded = false;
    // The items with their ticks (or highlight), and the end of loading, in one tick: VS Code sends the
    // widget what is set in one tick as one update, so the widget never shows the items without them.
    const place = (items: PickItem<T>[]) => {
      input.items = items;
      if (options.canPickMany) input.selectedItems = items.filter((i) => i.picked);
      else if (options.activeValue !== undefined) input.activeItems = items.filter((i) => i.value === options.activeValue);
      input.busy = false;
      input.enabled = true;
      loaded = true;
    };
    if (Array.isArray(options.items)) {
      // Items at hand: the picker is complete before it shows.
      place(options.items);
    } else {
      input.busy = true;
      // Enter on a multi-select widget that has no items yet accepts nothing ticked, and that empty
      // selection would overwrite the ticks set here when the items arrive: it takes no input until then.
      // A single pick stays open to typing: its filter applies to the items once they arrive.
      if (options.canPickMany) input.enabled = false;
    }
    try {
      return await new Promise<T | T[]>((resolve, reject) => {
        // Listen before the items arrive: Esc while they load cancels, and a failed load closes the pick.
        input.onDidHide(() => reject(new WizardCancelled()));
        input.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new WizardBack()));
        input.onDidAccept(() => {
          if (!loaded) return;
          // What the widget shows: it reports the ticks and the highlight before it reports the Enter.
          const picked = input.selectedItems.map((i) => i.value);
          if (options.canPickMany) {
            const problem = options.validate?.(picked);
            if (problem) {
              input.placeholder = `⚠ ${problem}`;
              return;
            }
            resolve(picked);
          } else if (picked.length) {
            resolve(picked[0]);
          }
        });
        input.show();
        if (!loaded) Promise.resolve(options.items).then(place, reject);
      });
    } finally {
      input.dispose();
    }
  }

  async text(options: {
    prompt: string;
    value?: string;
    placeholder?: string;
    validate: (value: string) => string | undefined;
  }): Promise<string> {
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
