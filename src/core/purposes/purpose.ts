// What a plan's purpose (Make global, Add region, Change domains) decides, as plain data the editor
// renders: the titles of the preview, the exports and the progress, the document's name, what a
// conflict means and offers, and what Apply announces. One module per purpose; the table is table.ts.
import type { ApplyResult } from '../apply/applyTypes';
import type { Plan } from '../plan/types';

/** What a button does; the editor runs the command that does it. */
export type FollowUp =
  | { kind: 'copyDnsRecords'; records: string[] }
  | { kind: 'changeDomains'; project: string; httpsProxy: string; domains: string[] }
  | { kind: 'showInExplorer'; loadBalancerId?: string }
  | { kind: 'diagnoseCertificate'; certificateId: string }
  /** Undo a plan's runs: the plan shown at `planKey`, else the last applied. */
  | { kind: 'undo'; planKey?: string }
  | { kind: 'applyAgain'; planKey: string }
  | { kind: 'showLog' };

export interface Offer {
  /** The button's label. */
  label: string;
  followUp: FollowUp;
}

/** A notification: its message and its buttons, in order. */
export interface Notice {
  severity: 'error' | 'warning' | 'information';
  message: string;
  offers: Offer[];
}

export interface PurposeModule {
  /** The title of the wizard that makes such a plan. */
  wizardTitle: string;
  /** The plan document is `<prefix>-<service or proxy>.plan`. */
  documentPrefix: string;
  /** The preview's first line (plan/text.ts). */
  previewTitle(plan: Plan): string;
  /** Whether the preview's header lists the options (a domain change leaves them as they are). */
  showsOptions: boolean;
  /** What the gcloud script does, its first comment line without the full stop. */
  scriptTitle(plan: Plan): string;
  /** What the Terraform configuration describes, its first comment line without the full stop. */
  terraformTitle(plan: Plan): string;
  /** The title of the progress notification while the plan is applied, and of its log lines. */
  progressTitle(plan: Plan): string;
  /** What a plan with conflicts says: nothing was changed, what to resolve, and the command that may resolve it. */
  conflictNotice(plan: Plan): Notice;
  /** What a run that finished announces, and what it offers next. */
  announcement(plan: Plan, result: ApplyResult): Notice;
}
