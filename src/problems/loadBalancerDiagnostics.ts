// Diagnostics on Knative YAML: DNS, certificates and ingress, checked against the live project.
// Checks run on open, on save and on demand, repeat with backoff while something is pending, and stop
// when the document closes. Editing only re-places the last findings: it never waits on the network.
import * as vscode from 'vscode';
import { KnativeDocuments, ParsedDocument } from '../codelens/knativeDocuments';
import { diagnoseService, domainsToInspect, Finding, nextCheckDelay } from '../diagnostics';
import { CachingDnsResolver, createDnsResolver, DomainInspection, inspectDomain } from '../dns';
import { toCloudError } from '../gcp/errors';
import type { Operation } from '../gcp/types';
import type { KnativeService } from '../knative';
import type { Topology } from '../topology';
import type { ExplorerProvider } from '../views/explorerProvider';
import type { CloudSession } from '../session/cloudSession';
import { SECTION } from '../session/cloudSession';
import { resourceUri } from '../views/resourceDocuments';

export const DIAGNOSTIC_SOURCE = 'Cloud Run Global';

/**
 * What a check reads: 'loaded' uses what the explorer holds; 'certificates' re-reads them first (one
 * request: how provisioning progresses); undefined picks 'certificates' once a document was checked.
 */
type Freshness = 'loaded' | 'certificates';

interface Observation {
  topology: Topology;
  dns: Map<string, DomainInspection>;
  /** Undefined when they could not be read: "no recent change" would then be a guess. */
  operations?: Operation[];
}

interface DocumentState {
  attempt: number;
  timer?: NodeJS.Timeout;
  checking?: Promise<void>;
  observation?: Observation;
}

/** The finding behind each diagnostic, for the quick fixes. */
export const findingOf = new WeakMap<vscode.Diagnostic, { finding: Finding; service: KnativeService; uri: vscode.Uri }>();

export class LoadBalancerDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('cloudRunGlobal');
  private readonly states = new Map<string, DocumentState>();
  private resolver: CachingDnsResolver;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly checked = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after each check of a document (tests wait on it). */
  readonly onDidCheck = this.checked.event;

  constructor(
    private readonly documents: KnativeDocuments,
    private readonly explorer: ExplorerProvider,
    private readonly session: CloudSession,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.resolver = this.createResolver();
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.check(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.replace(e.document)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.dnsServers`)) this.resolver = this.createResolver();
      }),
    );
    for (const document of vscode.workspace.textDocuments) void this.check(document);
  }

  private createResolver(): CachingDnsResolver {
    const servers = vscode.workspace.getConfiguration(SECTION).get<string[]>('dnsServers', []);
    try {
      return createDnsResolver({ servers });
    } catch (err) {
      void vscode.window.showErrorMessage(`cloudRunGlobal.dnsServers: ${err instanceof Error ? err.message : String(err)} Using the system's DNS servers.`);
      return createDnsResolver({});
    }
  }

  /** DNS inspections of the given domains, through the configured resolver and its cache. */
  async inspect(domains: readonly string[]): Promise<Map<string, DomainInspection>> {
    const inspections = await Promise.all(domains.map((d) => inspectDomain(d, this.resolver)));
    return new Map(inspections.map((i) => [i.domain, i]));
  }

  /** The project's recent Compute operations, newest first; undefined when they could not be read. */
  async recentOperations(): Promise<Operation[] | undefined> {
    const { connection, project } = this.session.require();
    try {
      return await connection.compute(project).listOperations({ maxResults: 200 });
    } catch (err) {
      this.log.warn(`Could not read recent operations: ${toCloudError(err).message}`);
      return undefined;
    }
  }

  /** Checks now, against fresh data (the "Re-check" quick fix and command). */
  async recheck(uri?: vscode.Uri): Promise<void> {
    this.resolver.invalidate();
    const targets = uri ? vscode.workspace.textDocuments.filter((d) => d.uri.toString() === uri.toString()) : vscode.workspace.textDocuments;
    if (!targets.some(checkable)) return;
    // One full re-read serves every document.
    if (!this.session.current.problem) await this.explorer.reloadLoadBalancing();
    await Promise.all(targets.map((d) => this.check(d, 'loaded')));
  }

  async check(document: vscode.TextDocument, fresh?: Freshness): Promise<void> {
    if (!checkable(document)) return;
    const parsed = this.documents.get(document);
    const key = document.uri.toString();
    if (!parsed.result.services.length) {
      this.place(document, parsed, undefined);
      return;
    }
    const state = this.states.get(key) ?? { attempt: 0 };
    this.states.set(key, state);
    if (state.checking) return state.checking;
    state.checking = this.observe(parsed, fresh ?? (state.observation ? 'certificates' : 'loaded')).then(
      (observation) => {
        if (this.states.get(key) !== state) return; // closed (and maybe reopened) meanwhile
        state.observation = observation;
        // The user may have typed while we were on the network: place on the text as it is now.
        const findings = this.place(document, this.documents.get(document), observation);
        this.schedule(document, state, findings);
      },
      (err) => {
        const error = toCloudError(err);
        this.log.warn(`Checks for ${vscode.workspace.asRelativePath(document.uri)} did not run: ${error.message}`);
      },
    ).finally(() => {
      state.checking = undefined;
      this.checked.fire(document.uri);
    });
    return state.checking;
  }

  private async observe(parsed: ParsedDocument, fresh: Freshness): Promise<Observation | undefined> {
    if (this.session.current.problem) return undefined;
    // Repeated checks follow certificate states (one request); "Re-check now" re-reads everything.
    const topology = fresh === 'certificates' ? await this.explorer.withFreshCertificates() : await this.explorer.load();
    if (!topology) return undefined;
    const services = parsed.result.services.map((s) => ({ name: s.name, region: s.region }));
    const domains = domainsToInspect(services, topology);
    const [dns, operations] = await Promise.all([this.inspect(domains), this.recentOperations()]);
    return { topology, dns, operations };
  }

  /** Findings → diagnostics on the current text of the document. */
  private place(document: vscode.TextDocument, parsed: ParsedDocument, observation: Observation | undefined): Finding[] {
    const all: Finding[] = [];
    const diagnostics = yamlProblems(document, parsed);
    for (const service of parsed.result.services) {
      if (!observation) continue;
      const findings = diagnoseService({
        service: { name: service.name, region: service.region, ingress: service.ingress },
        topology: observation.topology, dns: observation.dns, operations: observation.operations, now: Date.now(),
      });
      all.push(...findings);
      for (const finding of findings) {
        const anchor = finding.anchor === 'ingress' && service.ranges.ingress ? service.ranges.ingress : service.ranges.name;
        const diagnostic = new vscode.Diagnostic(KnativeDocuments.range(parsed, anchor), `${finding.message} ${finding.remedy}`.trim(), severity(finding));
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = finding.code;
        diagnostic.relatedInformation = finding.related.map((r) => new vscode.DiagnosticRelatedInformation(
          new vscode.Location(resourceUri(r.id), new vscode.Position(0, 0)), r.message));
        findingOf.set(diagnostic, { finding, service, uri: document.uri });
        diagnostics.push(diagnostic);
      }
    }
    this.collection.set(document.uri, diagnostics);
    return all;
  }

  private schedule(document: vscode.TextDocument, state: DocumentState, findings: Finding[]): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    const delay = nextCheckDelay(findings, state.attempt);
    if (delay === undefined) {
      state.attempt = 0;
      return;
    }
    state.attempt++;
    state.timer = setTimeout(() => void this.check(document, 'certificates'), delay);
  }

  /** After an edit: the last findings on the new text, without the network. */
  private replace(document: vscode.TextDocument): void {
    if (!checkable(document)) return;
    const state = this.states.get(document.uri.toString());
    this.place(document, this.documents.get(document), state?.observation);
  }

  private forget(uri: vscode.Uri): void {
    const state = this.states.get(uri.toString());
    if (state?.timer) clearTimeout(state.timer);
    this.states.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const state of this.states.values()) if (state.timer) clearTimeout(state.timer);
    this.states.clear();
    this.collection.dispose();
    this.checked.dispose();
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
      const diagnostic = new vscode.Diagnostic(KnativeDocuments.range(parsed, e.range), e.message, e.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = e.code;
      return diagnostic;
    });
}

/** YAML the user edits: files and unsaved documents, not diff sides or other virtual views. */
function checkable(document: vscode.TextDocument): boolean {
  return document.languageId === 'yaml' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled' || document.uri.scheme === 'vscode-remote');
}

function severity(finding: Finding): vscode.DiagnosticSeverity {
  return finding.severity === 'error' ? vscode.DiagnosticSeverity.Error : finding.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}
