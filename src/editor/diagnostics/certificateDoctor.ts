// "Diagnose certificate…": every check of a managed certificate's path to ACTIVE, in order, as a
// read-only report from the live model. An open report follows the model: it changes with the views.
import * as vscode from 'vscode';
import { CommandLog, registerCommand } from '../commands/runCommand';
import { certificateReport, renderCertificateReport } from '../../core/findings/report';
import { CloudError } from '../../core/gcp/errors';
import { type ProjectModel } from '../../core/model/projectModel';
import { mapCertificates } from '../../core/explorer/certificateMapItems';
import type { ExplorerItem } from '../../core/explorer/item';
import { resourceUri } from '../documents/resourceDocuments';

import { REPORT_SCHEME } from '../../contributes';

export class CertificateDoctor implements vscode.TextDocumentContentProvider, vscode.Disposable {
  /** Open reports: URI → the certificate they are about. */
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: ProjectModel,
    private readonly log: CommandLog & vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      this.changed,
      model.onDidChange(() => {
        for (const uri of this.reports.keys()) this.changed.fire(vscode.Uri.parse(uri));
      }),
      model.watch({
        visible: () => vscode.window.visibleTextEditors.some((e) => this.reports.has(e.document.uri.toString())),
        domains: () => [...this.reports.values()].flatMap((id) => this.domainsOf(id)),
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.reports.delete(d.uri.toString())) model.interestsUpdated();
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const certificateId = this.reports.get(uri.toString());
    if (!certificateId) return 'This report is gone. Run "Diagnose Certificate…" again.\n';
    const topology = this.model.topology;
    if (!topology)
      return `The load balancers could not be listed${this.model.loadBalancingError ? `: ${this.model.loadBalancingError.message}` : ''}.\n`;
    const report = certificateReport({
      certificateId,
      topology,
      dns: this.model.dns,
      operations: this.model.operations,
      now: Date.now(),
      topologyObservedAt: this.model.observedAt('sslCertificates') ?? Date.now(),
      operationsObservedAt: this.model.observedAt('operations') ?? Date.now(),
    });
    return renderCertificateReport(report, { linkFor: (id) => (topology.nodes.has(id) ? resourceUri(id).toString() : undefined) });
  }

  register(): vscode.Disposable[] {
    return [
      registerCommand('cloudRunGlobal.diagnoseCertificate', this.log, (arg?: unknown) => this.diagnose(arg)),
      registerCommand('cloudRunGlobal.refreshReport', this.log, (uri?: vscode.Uri) =>
        this.refresh(uri ?? vscode.window.activeTextEditor?.document.uri),
      ),
    ];
  }

  /** Opens the report for a certificate: from an explorer row, `{ certificateId }`, `{ loadBalancerId }`, or a pick. */
  async diagnose(arg?: unknown): Promise<string | undefined> {
    const certificateId = await this.certificateFrom(arg);
    if (!certificateId) return undefined;
    const name = certificateId.split('/').pop();
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/certificate-${name}.md` });
    this.reports.set(uri.toString(), certificateId);
    await this.readFresh();
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: false });
    this.changed.fire(uri);
    return uri.toString();
  }

  async refresh(uri?: vscode.Uri): Promise<void> {
    if (!uri || !this.reports.has(uri.toString())) throw new CloudError('Open a certificate report first.', { kind: 'invalid' });
    await this.readFresh();
    this.changed.fire(uri);
  }

  /** Every check reads the project as it is now: the lists, recent operations and the DNS answers. */
  private async readFresh(): Promise<void> {
    this.model.interestsUpdated();
    await this.model.recheck();
    if (this.model.problem) throw this.model.problem;
    if (!this.model.topology) throw new CloudError('The load balancers could not be listed; see the log.', { kind: 'unknown' });
  }

  private domainsOf(certificateId: string): string[] {
    const node = this.model.topology?.nodes.get(certificateId);
    if (node?.kind === 'certificateManagerCertificate') {
      // The domains and their authorizations' _acme-challenge names.
      return [
        ...node.domains.filter((d) => !d.startsWith('*')),
        ...node.authorizations.flatMap((a) => (a.kind === 'dnsAuthorization' && a.record ? [a.record.name.replace(/\.$/, '')] : [])),
      ];
    }
    return node?.kind === 'sslCertificate' ? node.domains.filter((d) => !d.startsWith('*')) : [];
  }

  private async certificateFrom(arg: unknown): Promise<string | undefined> {
    const item = arg as (ExplorerItem & { certificateId?: string; loadBalancerId?: string }) | undefined;
    if ((item?.resource?.kind === 'sslCertificate' || item?.resource?.kind === 'certificateManagerCertificate') && item.resource.id)
      return item.resource.id;
    if (item?.certificateId) return item.certificateId;
    const topology = await this.model.loadedTopology();
    if (this.model.problem) throw this.model.problem;
    if (!topology) throw new CloudError('The load balancers could not be listed; see the log.', { kind: 'unknown' });
    const lbId = item?.loadBalancerId ?? item?.resource?.loadBalancerId;
    const lb = lbId ? topology.loadBalancers.find((l) => l.id === lbId) : undefined;
    const candidates = lbId
      ? [...(lb?.certificates ?? []), ...(lb ? mapCertificates(lb) : [])]
      : [...topology.nodes.values()].filter((n) => n.kind === 'sslCertificate' || n.kind === 'certificateManagerCertificate');
    if (candidates.length === 1) return candidates[0].id;
    if (!candidates.length) throw new CloudError(`Project ${topology.project} has no SSL certificates.`, { kind: 'notFound' });
    const picked = await vscode.window.showQuickPick(
      candidates.map((c) => ({
        label: c.name,
        description:
          c.kind === 'sslCertificate'
            ? `${c.status ?? 'self-managed'} · ${c.domains.join(', ')}`
            : c.kind === 'certificateManagerCertificate'
              ? `Certificate Manager · ${c.state ?? 'self-managed'} · ${c.domains.join(', ')}`
              : '',
        id: c.id,
      })),
      { placeHolder: 'Which certificate?', ignoreFocusOut: true },
    );
    return picked?.id;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
