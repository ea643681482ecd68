// The Cloud DNS quick fix's command: confirm, then write the record through the use case.
import * as vscode from 'vscode';
import type { CloudDnsRecordFix } from '../../core/findings/finding';
import { writeDnsRecordFlow } from '../../core/flows/writeDnsRecord';
import type { ProjectModel } from '../../core/model/projectModel';
import type { CloudSession } from '../session/cloudSession';
import { vscodeFlowUi } from '../prompts/vscodeFlowUi';
import { registerCommand } from './runCommand';

export function registerDnsCommands(deps: {
  session: CloudSession;
  model: ProjectModel;
  log: vscode.LogOutputChannel;
}): vscode.Disposable[] {
  const { session, model, log } = deps;
  return [
    registerCommand('cloudRunGlobal.writeDnsRecord', log, async (fix: CloudDnsRecordFix & { confirmed?: boolean }) => {
      const { connection, project } = session.require();
      return writeDnsRecordFlow(
        fix,
        { model, dns: connection.cloudDns(project), ui: vscodeFlowUi(log) },
        { confirmed: fix?.confirmed === true },
      );
    }),
  ];
}
