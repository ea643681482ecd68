// "Make global" on every Knative Service document; once a load balancer fronts the service, a summary
// lens with "Add region" and "Show in explorer". Ranges come from the parse, state from the live model.
import * as vscode from 'vscode';
import type { KnativeService } from '../../core/knative/parse';
import { INVENTORY_PARTS, type ProjectModel } from '../../core/model/projectModel';
import { pendingDomainChanges, type PendingDomainChange } from '../../core/plan/changeDomains';
import { pendingDomainChangesOf } from '../../core/plan/changeDomains';
import { frontingLoadBalancers } from '../../core/topology/queries';
import type { LoadBalancer } from '../../core/topology/model';
import { mapCertificates } from '../../core/explorer/certificateMapItems';
import { certificateState } from '../../core/explorer/explorerItems';
import { KnativeDocuments } from '../documents/knativeDocuments';

type LensRole = 'makeGlobal' | 'summary' | 'changeDomains' | 'finishDomains' | 'addRegion' | 'diagnose' | 'showInExplorer';

class ServiceLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: vscode.Uri,
    readonly service: KnativeService,
    readonly role: LensRole,
    readonly loadBalancer?: LoadBalancer,
    readonly change?: PendingDomainChange,
  ) {
    super(range);
  }
}

export class KnativeCodeLensProvider implements vscode.CodeLensProvider<ServiceLens>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** An editor has asked for lenses: from then on every change of the model is news to the editors. */
  private asked = false;

  constructor(
    private readonly documents: KnativeDocuments,
    private readonly model: ProjectModel,
  ) {
    // An editor asks for lenses a moment (≥ 250 ms) after the provider appears or changes, and every
    // change event restarts that wait. Before any editor has asked, the model's first reads coming in
    // one by one would only keep postponing the first lenses, which read the latest model anyway.
    // The lenses show nothing of the IAM policies: a change of those alone does not redraw them.
    this.subscription = model.onDidChange((change) => {
      if (this.asked && (change.reason === 'project' || [...change.parts].some((part) => part !== 'iam'))) this.changed.fire();
    });
  }

  provideCodeLenses(document: vscode.TextDocument): ServiceLens[] {
    this.asked = true;
    // Titles cost nothing once the document is parsed: they come with the lenses, so the editor paints
    // them at once instead of after its resolve pass (another ≥ 250 ms).
    return this.lenses(document).map((lens) => this.resolveCodeLens(lens));
  }

  private lenses(document: vscode.TextDocument): ServiceLens[] {
    const parsed = this.documents.get(document);
    if (!parsed.result.services.length) return [];
    const topology = this.model.topology;
    // The model reads once; its change event brings us back. A failed read does not repeat by itself.
    if (!topology) void this.model.ensure(INVENTORY_PARTS);
    const changes = topology ? pendingDomainChanges(topology) : [];
    return parsed.result.services.flatMap((service) => {
      const range = KnativeDocuments.range(parsed, service.ranges.contents);
      const fronting = topology ? frontingLoadBalancers(topology, service) : [];
      if (!fronting.length) return [new ServiceLens(range, document.uri, service, 'makeGlobal')];
      return fronting.flatMap(({ loadBalancer: lb }) => [
        new ServiceLens(range, document.uri, service, 'summary', lb),
        ...changes
          .filter((c) => c.loadBalancerId === lb.id)
          .map((c) => new ServiceLens(range, document.uri, service, 'finishDomains', lb, c)),
        ...(lb.https ? [new ServiceLens(range, document.uri, service, 'changeDomains', lb)] : []),
        new ServiceLens(range, document.uri, service, 'addRegion', lb),
        ...(lb.certificates.length || mapCertificates(lb).length ? [new ServiceLens(range, document.uri, service, 'diagnose', lb)] : []),
        new ServiceLens(range, document.uri, service, 'showInExplorer', lb),
      ]);
    });
  }

  resolveCodeLens(lens: ServiceLens): ServiceLens {
    const lb = lens.loadBalancer;
    // Regions are asked, with the YAML's location label picked by default.
    const args = {
      service: lens.service.name,
      documentUri: lens.uri.toString(),
      documentIndex: lens.service.documentIndex,
      loadBalancerId: lb?.id,
    };
    switch (lens.role) {
      case 'makeGlobal':
        lens.command = {
          title: '$(globe) Make global',
          tooltip: 'Put this service behind a Global External HTTPS Load Balancer',
          command: 'cloudRunGlobal.makeGlobal',
          arguments: [args],
        };
        break;
      case 'summary':
        lens.command = {
          title: lb ? summaryTitle(lb, this.model.topology ? pendingDomainChangesOf(this.model.topology, lb.id) : []) : '$(globe) Global',
          tooltip: 'Show this load balancer in the Cloud Run Global explorer',
          command: 'cloudRunGlobal.showInExplorer',
          arguments: [args],
        };
        break;
      case 'changeDomains':
        lens.command = {
          title: '$(edit) Change domains',
          tooltip: 'Serve other domains: a new managed certificate beside the old one until it is ACTIVE',
          command: 'cloudRunGlobal.changeDomains',
          arguments: [{ loadBalancerId: lb?.id }],
        };
        break;
      case 'finishDomains': {
        const change = lens.change!;
        lens.command = change.ready
          ? {
              title: `$(check) Finish domain change (remove ${change.oldCertificates.join(', ')})`,
              tooltip: `${change.newCertificate.name} is ACTIVE: keep only it on ${change.httpsProxy} and delete the old certificate`,
              command: 'cloudRunGlobal.finishDomainChange',
              arguments: [{ httpsProxy: change.httpsProxy }],
            }
          : {
              title: `$(watch) Domain change: ${change.newCertificate.name} ${change.newCertificate.status ?? 'PROVISIONING'}`,
              tooltip: 'The old certificate serves until the new one is ACTIVE; Finish is offered then',
              command: 'cloudRunGlobal.diagnoseCertificate',
              arguments: [{ certificateId: change.newCertificate.id }],
            };
        break;
      }
      case 'addRegion':
        lens.command = {
          title: '$(add) Add region',
          tooltip: 'Serve this service from another region through the same load balancer',
          command: 'cloudRunGlobal.addRegion',
          arguments: [args],
        };
        break;
      case 'diagnose':
        lens.command = {
          title: '$(pulse) Diagnose certificate',
          tooltip: 'Walk every check between this certificate and ACTIVE',
          command: 'cloudRunGlobal.diagnoseCertificate',
          arguments: [{ loadBalancerId: lb?.id }],
        };
        break;
      case 'showInExplorer':
        lens.command = { title: 'Show in explorer', command: 'cloudRunGlobal.showInExplorer', arguments: [args] };
        break;
    }
    return lens;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function summaryTitle(lb: LoadBalancer, changes: readonly PendingDomainChange[]): string {
  const state = certificateState(
    lb,
    changes.map((c) => c.newCertificate.name),
  );
  const cert =
    state === 'none'
      ? 'no certificate'
      : `certificate ${state === 'active' ? 'ACTIVE' : state === 'provisioning' ? 'PROVISIONING' : 'FAILED'}`;
  const icon = state === 'active' ? '$(pass)' : state === 'failed' ? '$(error)' : state === 'provisioning' ? '$(watch)' : '$(globe)';
  return `${icon} Global: ${lb.ip ?? 'no IP'} · ${lb.domains.join(', ') || 'no domain'} · ${cert}`;
}
