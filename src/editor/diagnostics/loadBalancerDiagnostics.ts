// Diagnostics on Knative YAML: DNS, certificates and ingress, from the live model. Opening or saving a
// document reads only what the model lacks; the model's scheduler repeats reads while something is
// pending, and every observed change re-places the findings of every open document at once.
import * as vscode from 'vscode';
import { KnativeDocuments, ParsedDocument } from '../documents/knativeDocuments';
import { diagnoseService, domainsToInspect } from '../../core/findings/service';
import { Finding } from '../../core/findings/finding';
import type { KnativeService } from '../../core/knative/parse';
import { INVENTORY_PARTS, type ProjectModel } from '../../core/model/projectModel';
import { resourceUri } from '../documents/resourceDocuments';

import { checkable, DIAGNOSTIC_SOURCE } from '../../contributes';

/** The finding behind each diagnostic, for the quick fixes. */
export const findingOf = new WeakMap<vscode.Diagnostic, { finding: Finding; service: KnativeService; uri: vscode.Uri }>();

export class LoadBalancerDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('cloudRunGlobal');
  /** The findings last placed on each open document. */
  private readonly findings = new Map<string, Finding[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly checked = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after the findings of a document were placed (tests wait on it). */
  readonly onDidCheck = this.checked.event;

  constructor(
    private readonly documents: KnativeDocuments,
    private readonly model: ProjectModel,
  ) {
    this.subscriptions.push(
      this.collection,
      this.checked,
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.check(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.placeIfCheckable(e.document)),
      vscode.window.onDidChangeVisibleTextEditors(() => model.interestsUpdated()),
      model.onDidChange(() => this.placeAll()),
      model.watch({
        visible: () => vscode.window.visibleTextEditors.some((e) => this.findings.has(e.document.uri.toString())),
        pending: () => [...this.findings.values()].some((list) => list.some((f) => f.pending)),
        domains: () => this.domains(),
      }),
    );
    for (const document of vscode.workspace.textDocuments) void this.check(document);
  }

  /** Reads again what findings are made of, DNS included, and places the result: "Re-check now". */
  async recheck(): Promise<void> {
    if (!vscode.workspace.textDocuments.some((d) => this.knativeIn(d))) return;
    await this.model.recheck();
    this.placeAll();
  }

  /** Places findings on a document, reading first only what the model has never read for it. */
  async check(document: vscode.TextDocument): Promise<void> {
    if (!checkable(document)) return;
    if (!this.knativeIn(document)) {
      this.place(document);
      return;
    }
    this.findings.set(document.uri.toString(), this.findings.get(document.uri.toString()) ?? []);
    await this.model.ensure([...INVENTORY_PARTS, 'operations']);
    // Domains this document adds to what the model watches are looked up now, not at the next round.
    const known = this.model.dns;
    // Their Cloud DNS zones too (not read in rounds): a missing or wrong record's quick fix writes it there.
    const fresh = this.domainsOf(document).some((d) => !known.has(d));
    if (fresh || this.model.observedAt('cloudDns') === undefined) await this.model.read(fresh ? ['dns', 'cloudDns'] : ['cloudDns']);
    this.model.interestsUpdated();
    this.place(document);
    // Who may call the services behind the load balancers (found from the lists just read): its change places the findings again.
    void this.model.ensure(['iam']);
  }

  private knativeIn(document: vscode.TextDocument): boolean {
    return checkable(document) && this.documents.get(document).result.services.length > 0;
  }

  private domainsOf(document: vscode.TextDocument): string[] {
    const topology = this.model.topology;
    if (!topology) return [];
    return domainsToInspect(this.documents.get(document).result.services, topology);
  }

  /** Every domain the open documents' load balancers serve. */
  private domains(): string[] {
    const domains = new Set<string>();
    for (const document of vscode.workspace.textDocuments) {
      if (this.findings.has(document.uri.toString())) for (const d of this.domainsOf(document)) domains.add(d);
    }
    return [...domains];
  }

  private placeAll(): void {
    for (const document of vscode.workspace.textDocuments) this.placeIfCheckable(document);
    this.model.interestsUpdated();
  }

  private placeIfCheckable(document: vscode.TextDocument): void {
    if (checkable(document) && (this.findings.has(document.uri.toString()) || this.collection.has(document.uri))) this.place(document);
  }

  /** Findings → diagnostics on the current text of the document, from what the model holds now. */
  private place(document: vscode.TextDocument): void {
    const parsed = this.documents.get(document);
    const all: Finding[] = [];
    const diagnostics = yamlProblems(document, parsed);
    const { topology, dns, operations, invokers, cloudDns } = this.model;
    for (const service of parsed.result.services) {
      if (!topology) continue;
      const findings = diagnoseService({
        service: { name: service.name, region: service.region, ingress: service.ingress },
        topology,
        dns,
        operations,
        invokers,
        cloudDns,
        now: Date.now(),
      });
      all.push(...findings);
      for (const finding of findings) {
        const anchor = finding.anchor === 'ingress' && service.ranges.ingress ? service.ranges.ingress : service.ranges.name;
        const diagnostic = new vscode.Diagnostic(
          KnativeDocuments.range(parsed, anchor),
          `${finding.message} ${finding.remedy}`.trim(),
          severity(finding),
        );
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = finding.code;
        diagnostic.relatedInformation = finding.related.map(
          (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(resourceUri(r.id), new vscode.Position(0, 0)), r.message),
        );
        findingOf.set(diagnostic, { finding, service, uri: document.uri });
        diagnostics.push(diagnostic);
      }
    }
    if (parsed.result.services.length) this.findings.set(document.uri.toString(), all);
    else this.findings.delete(document.uri.toString());
    this.collection.set(document.uri, diagnostics);
    this.checked.fire(document.uri);
  }

  private forget(uri: vscode.Uri): void {
    this.findings.delete(uri.toString());
    this.collection.delete(uri);
    this.model.interestsUpdated();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * What keeps a Knative document from being understood (an apiVersion Cloud Run does not take, a
 * missing name, an unknown ingress value), and YAML syntax errors in files that hold Knative services.
 */
function yamlProblems(document: vscode.TextDocument, parsed: ParsedDocument): vscode.Diagnostic[] {
  const aboutKnative = parsed.result.services.length > 0 || document.getText().includes('serving.knative.dev');
  return parsed.result.errors
    .filter((e) => aboutKnative || (e.code !== 'yaml-syntax' && e.code !== 'yaml-warning'))
    .map((e) => {
      const diagnostic = new vscode.Diagnostic(
        KnativeDocuments.range(parsed, e.range),
        e.message,
        e.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = e.code;
      return diagnostic;
    });
}

function severity(finding: Finding): vscode.DiagnosticSeverity {
  return finding.severity === 'error'
    ? vscode.DiagnosticSeverity.Error
    : finding.severity === 'warning'
      ? vscode.DiagnosticSeverity.Warning
      : vscode.DiagnosticSeverity.Information;
}
