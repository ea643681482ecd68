// Quick fixes for the load-balancer diagnostics, from the fixes each finding carries.
import * as vscode from 'vscode';
import { setIngressEdit } from '../../core/knative/edits';
import type { KnativeService } from '../../core/knative/parse';
import type { QuickFix } from '../../core/findings/finding';
import { DIAGNOSTIC_SOURCE } from '../../contributes';
import { findingOf } from './loadBalancerDiagnostics';

export class LoadBalancerQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const entry = findingOf.get(diagnostic);
      if (!entry) continue;
      for (const fix of entry.finding.fixes) {
        const action = this.action(document, fix, entry.service, diagnostic);
        if (action) actions.push(action);
      }
    }
    return actions;
  }

  private action(
    document: vscode.TextDocument,
    fix: QuickFix,
    service: KnativeService,
    diagnostic: vscode.Diagnostic,
  ): vscode.CodeAction | undefined {
    const make = (title: string, command?: vscode.Command) => {
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = command;
      return action;
    };
    switch (fix.kind) {
      case 'copyDnsRecord':
        return make(`Copy DNS record: ${fix.record}`, {
          title: 'Copy',
          command: 'cloudRunGlobal.copyText',
          arguments: [fix.record, 'DNS record'],
        });
      case 'copyIp':
        return make(`Copy IP address ${fix.ip}`, { title: 'Copy', command: 'cloudRunGlobal.copyText', arguments: [fix.ip, 'IP address'] });
      case 'recheck':
        return make('Re-check now', { title: 'Re-check', command: 'cloudRunGlobal.recheck', arguments: [document.uri] });
      case 'openCertificate':
        return make('Open the certificate in the Cloud Console', {
          title: 'Open',
          command: 'vscode.open',
          arguments: [vscode.Uri.parse(fix.consoleUrl)],
        });
      case 'openTroubleshooting':
        return make('Open Google’s certificate troubleshooting guide', {
          title: 'Open',
          command: 'vscode.open',
          arguments: [vscode.Uri.parse(fix.url)],
        });
      case 'grantInvoker':
        return make(`Allow public access (roles/run.invoker for allUsers) in ${fix.regions.join(', ')}…`, {
          title: 'Allow public access',
          command: 'cloudRunGlobal.allowPublicAccess',
          arguments: [{ service: fix.service, regions: fix.regions }],
        });
      case 'writeCloudDnsRecord': {
        const { record } = fix;
        const verb = record.current
          ? `Point the ${record.type} record at ${record.ips.join(', ')}`
          : `Create the ${record.type} record → ${record.ips.join(', ')}`;
        const action = make(`${verb} in Cloud DNS zone ${record.zone}…`, {
          title: 'Write DNS record',
          command: 'cloudRunGlobal.writeDnsRecord',
          arguments: [record],
        });
        action.isPreferred = true;
        return action;
      }
      case 'setIngress': {
        const edit = setIngressEdit(document.getText(), service, fix.value);
        if (!edit) return undefined;
        const action = make(`Set ingress to ${fix.value}`);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.newText);
        action.isPreferred = true;
        return action;
      }
    }
  }
}
