// The notices of the core flows and purposes in VS Code: a notification with its buttons, and the
// command each button's follow-up runs.
import * as vscode from 'vscode';
import type { FollowUp, Notice } from '../../core/purposes/purpose';

/** Shows `notice` and, once the person picks a button, does what it offers. */
export async function showNotice(notice: Notice, log: { show(preserveFocus?: boolean): void }): Promise<void> {
  const labels = notice.offers.map((o) => o.label);
  const choice =
    notice.severity === 'error'
      ? await vscode.window.showErrorMessage(notice.message, ...labels)
      : notice.severity === 'warning'
        ? await vscode.window.showWarningMessage(notice.message, ...labels)
        : await vscode.window.showInformationMessage(notice.message, ...labels);
  const offer = notice.offers.find((o) => o.label === choice);
  if (offer) await followUp(offer.followUp, log);
}

async function followUp(action: FollowUp, log: { show(preserveFocus?: boolean): void }): Promise<void> {
  switch (action.kind) {
    case 'copyDnsRecords':
      await vscode.env.clipboard.writeText(action.records.join('\n'));
      return;
    case 'changeDomains':
      await vscode.commands.executeCommand('cloudRunGlobal.changeDomains', {
        project: action.project,
        httpsProxy: action.httpsProxy,
        domains: action.domains,
      });
      return;
    case 'showInExplorer':
      await vscode.commands.executeCommand('cloudRunGlobal.showInExplorer', { loadBalancerId: action.loadBalancerId });
      return;
    case 'diagnoseCertificate':
      await vscode.commands.executeCommand('cloudRunGlobal.diagnoseCertificate', { certificateId: action.certificateId });
      return;
    case 'undo':
      await vscode.commands.executeCommand('cloudRunGlobal.undoApply', ...(action.planKey ? [action.planKey] : []));
      return;
    case 'applyAgain':
      await vscode.commands.executeCommand('cloudRunGlobal.applyPlan', action.planKey);
      return;
    case 'showLog':
      log.show(true);
      return;
  }
}
