// "Make global" on every Knative Service document; once a load balancer fronts the service, a summary
// lens with "Add region" and "Show in explorer". Ranges come from the parse; commands resolve lazily.
import * as vscode from 'vscode';
import type { KnativeService } from '../knative';
import { certificateState } from '../views/explorerItems';
import type { ExplorerProvider } from '../views/explorerProvider';
import { LoadBalancer, Topology } from '../topology';
import { KnativeDocuments } from './knativeDocuments';

type LensRole = 'makeGlobal' | 'summary' | 'addRegion' | 'diagnose' | 'showInExplorer';

class ServiceLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly uri: vscode.Uri, readonly service: KnativeService, readonly role: LensRole, readonly loadBalancerId?: string) {
    super(range);
  }
}

/** The load balancers fronting a YAML service: by region when the YAML names one, else in any region. */
export function loadBalancersForYamlService(topology: Topology, service: Pick<KnativeService, 'name' | 'region'>): LoadBalancer[] {
  // From the NEGs' targets, so that it holds even when the Cloud Run list could not be read.
  return topology.loadBalancers.filter((lb) => lb.services.some((s) => s.name === service.name && (!service.region || s.regions.some((r) => r.region === service.region))));
}

export class KnativeCodeLensProvider implements vscode.CodeLensProvider<ServiceLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private loading?: Promise<void>;

  constructor(private readonly documents: KnativeDocuments, private readonly explorer: ExplorerProvider) {
    explorer.onDidChangeTreeData(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): ServiceLens[] {
    const parsed = this.documents.get(document);
    const topology = this.explorer.topology;
    // Once per load: a failed or impossible load must not make VS Code ask again and again.
    if (!topology && parsed.result.services.length && !this.loading) {
      this.loading = this.explorer.load().then((loaded) => {
        if (loaded) this.changed.fire();
      }).finally(() => setTimeout(() => (this.loading = undefined), 5000));
    }
    return parsed.result.services.flatMap((service) => {
      const range = KnativeDocuments.range(parsed, service.ranges.contents);
      const lenses = topology ? loadBalancersForYamlService(topology, service) : [];
      if (!lenses.length) return [new ServiceLens(range, document.uri, service, 'makeGlobal')];
      return lenses.flatMap((lb) => [
        new ServiceLens(range, document.uri, service, 'summary', lb.id),
        new ServiceLens(range, document.uri, service, 'addRegion', lb.id),
        ...(lb.certificates.length ? [new ServiceLens(range, document.uri, service, 'diagnose', lb.id)] : []),
        new ServiceLens(range, document.uri, service, 'showInExplorer', lb.id),
      ]);
    });
  }

  resolveCodeLens(lens: ServiceLens): ServiceLens {
    // Regions are asked, with the YAML's location label picked by default.
    const args = { service: lens.service.name, documentUri: lens.uri.toString(), documentIndex: lens.service.documentIndex, loadBalancerId: lens.loadBalancerId };
    const lb = lens.loadBalancerId ? this.explorer.topology?.loadBalancers.find((l) => l.id === lens.loadBalancerId) : undefined;
    switch (lens.role) {
      case 'makeGlobal':
        lens.command = { title: '$(globe) Make global', tooltip: 'Put this service behind a Global External HTTPS Load Balancer', command: 'cloudRunGlobal.makeGlobal', arguments: [args] };
        break;
      case 'summary':
        lens.command = { title: lb ? summaryTitle(lb) : '$(globe) Global', tooltip: 'Show this load balancer in the Cloud Run Global explorer', command: 'cloudRunGlobal.showInExplorer', arguments: [args] };
        break;
      case 'addRegion':
        lens.command = { title: '$(add) Add region', tooltip: 'Serve this service from another region through the same load balancer', command: 'cloudRunGlobal.addRegion', arguments: [args] };
        break;
      case 'diagnose':
        lens.command = { title: '$(pulse) Diagnose certificate', tooltip: 'Walk every check between this certificate and ACTIVE', command: 'cloudRunGlobal.diagnoseCertificate', arguments: [{ loadBalancerId: lens.loadBalancerId }] };
        break;
      case 'showInExplorer':
        lens.command = { title: 'Show in explorer', command: 'cloudRunGlobal.showInExplorer', arguments: [args] };
        break;
    }
    return lens;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function summaryTitle(lb: LoadBalancer): string {
  const state = certificateState(lb);
  const cert = state === 'none' ? 'no certificate' : `certificate ${state === 'active' ? 'ACTIVE' : state === 'provisioning' ? 'PROVISIONING' : 'FAILED'}`;
  const icon = state === 'active' ? '$(pass)' : state === 'failed' ? '$(error)' : state === 'provisioning' ? '$(watch)' : '$(globe)';
  return `${icon} Global: ${lb.ip ?? 'no IP'} · ${lb.domains.join(', ') || 'no domain'} · ${cert}`;
}
