// Finish Domain Change in VS Code: the command (explorer row, lens, palette, argument object) and the
// notification that offers it once the model sees the new certificate ACTIVE.
import * as vscode from 'vscode';
import { finishDomainChange, newlyReady, type FinishArgs } from '../../core/flows/changeDomains';
import { CloudError } from '../../core/gcp/errors';
import type { ProjectModel } from '../../core/model/projectModel';
import { pendingDomainChanges } from '../../core/plan/changeDomains';
import type { CloudSession } from '../session/cloudSession';
import type { ExplorerItem } from '../../core/explorer/item';
import { vscodeFlowUi } from '../prompts/vscodeFlowUi';
import { registerCommand } from './runCommand';

export interface DomainChangeDeps {
  session: CloudSession;
  model: ProjectModel;
  log: vscode.LogOutputChannel;
}

function finishArgs(value: unknown): FinishArgs {
  const item = value as ExplorerItem | undefined;
  if (item && typeof item === 'object' && 'context' in item && 'id' in item) return { loadBalancerId: item.resource?.loadBalancerId };
  return (value ?? {}) as FinishArgs;
}

export function registerDomainChangeCommands({ session, model, log }: DomainChangeDeps): vscode.Disposable[] {
  const announced = new Set<string>();
  const subscription = model.onDidChange((change) => {
    if (change.reason === 'project') announced.clear();
    const topology = model.topology;
    if (!topology || !(change.parts.has('sslCertificates') || change.parts.has('targetHttpsProxies'))) return;
    for (const ready of newlyReady(pendingDomainChanges(topology), announced)) {
      const message = `Certificate ${ready.newCertificate.name} (${ready.newCertificate.domains.join(', ')}) is ACTIVE. Finish the domain change: ${ready.httpsProxy} keeps only it, and ${ready.oldCertificates.join(', ')} ${ready.oldCertificates.length === 1 ? 'is' : 'are'} deleted.`;
      void vscode.window.showInformationMessage(message, 'Finish Domain Change').then((choice) => {
        if (choice) return vscode.commands.executeCommand('cloudRunGlobal.finishDomainChange', { httpsProxy: ready.httpsProxy });
        return undefined;
      });
    }
  });
  return [
    subscription,
    registerCommand('cloudRunGlobal.finishDomainChange', log, async (raw?: unknown) => {
      const args = finishArgs(raw);
      const { connection, project } = session.require();
      if (!args.loadBalancerId && !args.httpsProxy) {
        const topology = await model.loadedTopology();
        const changes = topology ? pendingDomainChanges(topology) : [];
        if (!changes.length)
          throw new CloudError('No domain change is waiting to be finished in this project.', {
            kind: 'invalid',
            remedy: 'Run "Change Domains…" on a load balancer first.',
          });
        const picked =
          changes.length === 1
            ? changes[0]
            : (
                await vscode.window.showQuickPick(
                  changes.map((c) => ({
                    label: c.httpsProxy,
                    description: `${c.newCertificate.name} ${c.ready ? 'ACTIVE' : (c.newCertificate.status ?? '')} → replaces ${c.oldCertificates.join(', ')}`,
                    change: c,
                  })),
                  { placeHolder: 'Which domain change?' },
                )
              )?.change;
        if (!picked) return undefined;
        args.httpsProxy = picked.httpsProxy;
      }
      return finishDomainChange(args, { model, compute: connection.compute(project), ui: vscodeFlowUi(log) });
    }),
  ];
}
