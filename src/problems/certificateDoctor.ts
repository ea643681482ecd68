// "Diagnose certificate…": every check of a managed certificate's path to ACTIVE, in order, as a
// read-only report that can be refreshed and links back to the resources it names.
import * as vscode from 'vscode';
import { CommandLog, registerCommand } from '../commands/runCommand';
import { certificateReport, renderCertificateReport } from '../diagnostics';
import { CloudError } from '../gcp/errors';
import type { CloudSession } from '../session/cloudSession';
import type { ExplorerItem } from '../views/explorerItems';
import type { ExplorerProvider } from '../views/explorerProvider';
import { resourceUri } from '../views/resourceDocuments';
import type { LoadBalancerDiagnostics } from './loadBalancerDiagnostics';

export const REPORT_SCHEME = 'cloudrun-report';

export class CertificateDoctor implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, { certificateId: string; text: string }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly explorer: ExplorerProvider,
    private readonly session: CloudSession,
    private readonly diagnostics: LoadBalancerDiagnostics,
    private readonly log: CommandLog & vscode.LogOutputChannel,
  ) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString())?.text ?? 'This report is gone. Run "Diagnose Certificate…" again.\n';
  }

  register(): vscode.Disposable[] {
    return [
      registerCommand('cloudRunGlobal.diagnoseCertificate', this.log, (arg?: unknown) => this.diagnose(arg)),
      registerCommand('cloudRunGlobal.refreshReport', this.log, (uri?: vscode.Uri) => this.refresh(uri ?? vscode.window.activeTextEditor?.document.uri)),
    ];
  }

  /** Opens the report for a certificate: from an explorer row, `{ certificateId }`, `{ loadBalancerId }`, or a pick. */
  async diagnose(arg?: unknown): Promise<string | undefined> {
    const certificateId = await this.certificateFrom(arg);
    if (!certificateId) return undefined;
    const name = certificateId.split('/').pop();
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/certificate-${name}.md` });
    await this.render(uri, certificateId);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: false });
    return uri.toString();
  }

  async refresh(uri?: vscode.Uri): Promise<void> {
    const entry = uri ? this.reports.get(uri.toString()) : undefined;
    if (!uri || !entry) throw new CloudError('Open a certificate report first.', { kind: 'invalid' });
    await this.render(uri, entry.certificateId);
  }

  private async render(uri: vscode.Uri, certificateId: string): Promise<void> {
    this.session.require(); // says what to do when there is no connection or project
    const topology = await this.explorer.reloadLoadBalancing();
    if (!topology) throw new CloudError('The load balancers could not be listed; see the log.', { kind: 'unknown' });
    const topologyObservedAt = Date.now();
    const node = topology.nodes.get(certificateId);
    const domains = node?.kind === 'sslCertificate' ? node.domains.filter((d) => !d.startsWith('*')) : [];
    const [dns, operations] = await Promise.all([this.diagnostics.inspect(domains), this.diagnostics.recentOperations()]);
    const report = certificateReport({ certificateId, topology, dns, operations, now: Date.now(), topologyObservedAt, operationsObservedAt: Date.now() });
    const text = renderCertificateReport(report, { linkFor: (id) => (topology.nodes.has(id) ? resourceUri(id).toString() : undefined) });
    this.reports.set(uri.toString(), { certificateId, text });
    this.changed.fire(uri);
  }

  private async certificateFrom(arg: unknown): Promise<string | undefined> {
    const item = arg as (ExplorerItem & { certificateId?: string; loadBalancerId?: string }) | undefined;
    if (item?.resource?.kind === 'sslCertificate' && item.resource.id) return item.resource.id;
    if (item?.certificateId) return item.certificateId;
    const topology = await this.explorer.load();
    if (!topology) throw new CloudError('The load balancers could not be listed; see the log.', { kind: 'unknown' });
    const lbId = item?.loadBalancerId ?? item?.resource?.loadBalancerId;
    const candidates = lbId ? topology.loadBalancers.find((lb) => lb.id === lbId)?.certificates ?? [] : [...topology.nodes.values()].filter((n) => n.kind === 'sslCertificate');
    if (candidates.length === 1) return candidates[0].id;
    if (!candidates.length) throw new CloudError(`Project ${topology.project} has no SSL certificates.`, { kind: 'notFound' });
    const picked = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: c.name, description: c.kind === 'sslCertificate' ? `${c.status ?? 'self-managed'} · ${c.domains.join(', ')}` : '', id: c.id })),
      { placeHolder: 'Which certificate?' },
    );
    return picked?.id;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
