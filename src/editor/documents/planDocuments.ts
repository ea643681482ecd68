// Plan previews: read-only documents in the cloudrun-plan language, each tied to the plan it shows,
// with Apply / Export / Cancel lenses on the first line.
import * as vscode from 'vscode';
import { Plan } from '../../core/plan/types';
import { PLAN_LANGUAGE_ID, planText } from '../../core/plan/text';
import { purposeOf } from '../../core/purposes/table';

import { PLAN_SCHEME } from '../../contributes';

export interface PendingPlan {
  uri: vscode.Uri;
  plan: Plan;
  /** Where the YAML came from, for the deploy step's gcloud command. */
  manifestFile?: string;
  manifest?: Record<string, unknown>;
}

export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly plans = new Map<string, PendingPlan>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    const pending = this.plans.get(uri.toString());
    return pending
      ? planText(pending.plan, { manifestFile: pending.manifestFile })
      : '# This plan was applied or cancelled. Run "Make global" again for a fresh one.\n';
  }

  get(uri: vscode.Uri | string | undefined): PendingPlan | undefined {
    return uri ? this.plans.get(uri.toString()) : undefined;
  }

  /** The plan of the active editor, when it shows one. */
  active(): PendingPlan | undefined {
    return this.get(vscode.window.activeTextEditor?.document.uri);
  }

  async open(plan: Plan, extra: Omit<PendingPlan, 'uri' | 'plan'> = {}): Promise<PendingPlan> {
    const purpose = purposeOf(plan).documentPrefix;
    const subject = plan.domainChange?.httpsProxy ?? plan.service;
    const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${purpose}-${subject}.plan`, query: String(++this.counter) });
    const pending = { uri, plan, ...extra };
    this.plans.set(uri.toString(), pending);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, PLAN_LANGUAGE_ID);
    await vscode.window.showTextDocument(document, { preview: false });
    return pending;
  }

  /** Forgets a plan and closes its editors. */
  async close(pending: PendingPlan): Promise<void> {
    this.plans.delete(pending.uri.toString());
    this.changed.fire(pending.uri);
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === pending.uri.toString());
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const pending = this.get(document.uri);
    if (!pending) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const arg = [pending.uri.toString()];
    return [
      ...(pending.plan.applicable
        ? [
            new vscode.CodeLens(top, {
              title: '$(play) Apply',
              tooltip: 'Create what the plan lists, in parallel where it can',
              command: 'cloudRunGlobal.applyPlan',
              arguments: arg,
            }),
          ]
        : [
            new vscode.CodeLens(top, {
              title: '$(error) Conflicts: cannot apply',
              tooltip: 'Resolve the conflicts listed below, then run the wizard again',
              command: '',
            }),
          ]),
      new vscode.CodeLens(top, {
        title: '$(export) Export gcloud script',
        command: 'cloudRunGlobal.exportPlan',
        arguments: [...arg, 'gcloud'],
      }),
      new vscode.CodeLens(top, {
        title: '$(export) Export Terraform',
        command: 'cloudRunGlobal.exportPlan',
        arguments: [...arg, 'terraform'],
      }),
      new vscode.CodeLens(top, { title: '$(close) Cancel', command: 'cloudRunGlobal.cancelPlan', arguments: arg }),
    ];
  }

  dispose(): void {
    this.plans.clear();
    this.changed.dispose();
  }
}
