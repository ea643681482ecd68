// The Cloud Run Global explorer: a thin TreeDataProvider over the rows explorerItems.ts builds.
import * as vscode from 'vscode';
import { CloudError, toCloudError } from '../gcp/errors';
import type { Inventory, RunService } from '../gcp/types';
import { buildTopology, Topology } from '../topology';
import {
  errorItem, ExplorerItem, ExplorerTopology, loadBalancerItems, placeholder, SECTION_LOAD_BALANCERS, SECTION_SERVICES, SECTION_UNATTACHED,
  serviceItems, unattachedCount, unattachedItems,
} from './explorerItems';
import type { CloudSession } from '../session/cloudSession';

type LoadBalancing = Omit<Inventory, 'project' | 'services'>;

interface Part<T> {
  value?: T;
  error?: CloudError;
  promise?: Promise<void>;
}

export const VIEW_ID = 'cloudRunGlobal.explorer';
/** Context key for the welcome views: `ready`, `noProject`, `noCredentials`, `badSettings`. */
export const STATE_CONTEXT = 'cloudRunGlobal.state';

const FIRST_POLL_MS = 10_000;
const MAX_POLL_MS = 5 * 60_000;

export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private services: Part<RunService[]> = {};
  private loadBalancing: Part<LoadBalancing> = {};
  private project?: string;
  private topologyCache?: { services?: RunService[]; loadBalancing?: LoadBalancing; topology: Topology };
  private readonly parents = new Map<string, ExplorerItem | undefined>();
  private readonly items = new Map<string, ExplorerItem>();
  private view?: vscode.TreeView<ExplorerItem>;
  private pollTimer?: NodeJS.Timeout;
  private pollDelay = FIRST_POLL_MS;
  private generation = 0;

  constructor(private readonly session: CloudSession, private readonly log: vscode.LogOutputChannel) {
    session.onDidChange(() => this.refresh());
  }

  attach(view: vscode.TreeView<ExplorerItem>): void {
    this.view = view;
    view.onDidChangeVisibility((e) => (e.visible ? this.schedulePoll() : this.stopPolling()));
  }

  /** The topology as last loaded, for commands (delete, make global) that act on it. */
  get topology(): Topology | undefined {
    return this.currentTopology();
  }

  get currentProject(): string | undefined {
    return this.project;
  }

  refresh(): void {
    this.generation++;
    this.services = {};
    this.loadBalancing = {};
    this.topologyCache = undefined;
    this.stopPolling();
    this.pollDelay = FIRST_POLL_MS;
    this.changed.fire(undefined);
  }

  /** Reloads the part of the tree a row belongs to. */
  refreshItem(item: ExplorerItem): void {
    this.generation++;
    if (item.id.startsWith(SECTION_SERVICES)) this.services = {};
    else this.loadBalancing = {};
    this.topologyCache = undefined;
    this.changed.fire(undefined);
  }

  /** Re-reads the load-balancing resources (fresh certificate states), keeping the services list. */
  async reloadLoadBalancing(): Promise<Topology | undefined> {
    this.generation++;
    this.loadBalancing = {};
    this.topologyCache = undefined;
    this.changed.fire(undefined);
    return this.load();
  }

  /** A listed resource or Cloud Run service by id, as Google returned it. */
  resourceById(id: string): unknown {
    const topology = this.currentTopology();
    return topology?.nodes.get(id)?.resource ?? topology?.services.find((s) => s.resourceName === id);
  }

  /** Loads everything (used by tests and by commands that need the topology now). */
  async load(): Promise<Topology | undefined> {
    // A refresh or reload while we waited replaces the parts: wait for the new ones instead.
    for (let round = 0; round < 5; round++) {
      if (!this.ensureSession()) return undefined;
      this.startLoads();
      const { services, loadBalancing } = this;
      await Promise.all([services.promise, loadBalancing.promise]);
      if (services === this.services && loadBalancing === this.loadBalancing) break;
    }
    return this.currentTopology();
  }

  getTreeItem(item: ExplorerItem): vscode.TreeItem {
    const state = item.children ? (item.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None;
    const treeItem = new vscode.TreeItem(item.label, state);
    treeItem.id = item.id;
    treeItem.description = item.description;
    if (item.tooltip) treeItem.tooltip = new vscode.MarkdownString(item.tooltip);
    if (item.icon) treeItem.iconPath = new vscode.ThemeIcon(item.icon.codicon, item.icon.color ? new vscode.ThemeColor(item.icon.color) : undefined);
    treeItem.contextValue = item.context.join(';');
    if (item.link) treeItem.command = { command: 'cloudRunGlobal.openLink', title: 'Open', arguments: [item] };
    else if (item.context.includes('error')) treeItem.command = { command: 'cloudRunGlobal.showLog', title: 'Show Log' };
    return treeItem;
  }

  getParent(item: ExplorerItem): ExplorerItem | undefined {
    return this.parents.get(item.id);
  }

  /** A row by id, once it has been shown (for reveal). */
  findItem(id: string): ExplorerItem | undefined {
    return this.items.get(id);
  }

  async getChildren(parent?: ExplorerItem): Promise<ExplorerItem[]> {
    const children = parent ? await this.childrenOf(parent) : this.roots();
    for (const child of children) {
      this.parents.set(child.id, parent);
      this.items.set(child.id, child);
    }
    return children;
  }

  private roots(): ExplorerItem[] {
    if (!this.ensureSession()) return [];
    this.startLoads();
    if (this.signedOut()) {
      // The welcome view explains how to sign in; Refresh tries again.
      void vscode.commands.executeCommand('setContext', STATE_CONTEXT, 'noCredentials');
      return [];
    }
    const servicesCount = this.services.value ? String(this.services.value.length) : this.services.error ? 'error' : 'loading…';
    const lbCount = this.loadBalancing.value ? String(this.currentTopology()?.loadBalancers.length ?? 0) : this.loadBalancing.error ? 'error' : 'loading…';
    const roots: ExplorerItem[] = [
      { id: SECTION_SERVICES, label: 'Cloud Run services', description: servicesCount, context: ['section', 'services'], icon: { codicon: 'cloud' }, expanded: true, children: () => [] },
      { id: SECTION_LOAD_BALANCERS, label: 'Global load balancers', description: lbCount, context: ['section', 'loadBalancers'], icon: { codicon: 'globe' }, expanded: true, children: () => [] },
    ];
    const topology = this.currentTopology();
    if (topology && unattachedCount(topology) > 0) {
      roots.push({ id: SECTION_UNATTACHED, label: 'Unattached resources', description: String(unattachedCount(topology)), context: ['section', 'unattached'], icon: { codicon: 'debug-disconnect' }, children: () => [] });
    }
    return roots;
  }

  private async childrenOf(parent: ExplorerItem): Promise<ExplorerItem[]> {
    switch (parent.id) {
      case SECTION_SERVICES: {
        await this.services.promise;
        if (this.services.error) return [errorItem(parent.id, this.services.error.message)];
        const list = this.services.value ?? [];
        return list.length ? serviceItems(this.currentTopology(), list) : [placeholder(parent.id, 'No Cloud Run services in this project')];
      }
      case SECTION_LOAD_BALANCERS: {
        await this.loadBalancing.promise;
        if (this.loadBalancing.error) return [errorItem(parent.id, this.loadBalancing.error.message)];
        const topology = this.currentTopology();
        const items = topology ? loadBalancerItems(topology) : [];
        return items.length ? items : [placeholder(parent.id, 'No global load balancers yet — use "Make global" on a service')];
      }
      case SECTION_UNATTACHED: {
        const topology = this.currentTopology();
        return topology ? unattachedItems(topology) : [];
      }
      default:
        return parent.children?.() ?? [];
    }
  }

  /** False (and the welcome view shows) when there is no usable connection or project. */
  private ensureSession(): boolean {
    const state = this.session.current;
    if (state.project !== this.project) {
      this.project = state.project;
      this.services = {};
      this.loadBalancing = {};
      this.topologyCache = undefined;
      if (this.view) this.view.description = state.project;
    }
    // Without a connection the settings are at fault (signing in would not help).
    const context = !state.problem ? 'ready' : !state.connection ? 'badSettings' : state.problem.kind === 'unauthenticated' ? 'noCredentials' : 'noProject';
    void vscode.commands.executeCommand('setContext', STATE_CONTEXT, context);
    return !state.problem;
  }

  private startLoads(): void {
    const { connection, project } = this.session.require();
    const generation = this.generation;
    const track = (promise: Promise<void>) => {
      void vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => promise);
      return promise;
    };
    if (!this.services.promise) {
      const part: Part<RunService[]> = {};
      this.services = part;
      part.promise = track(connection.run(project).listServices().then(
        (value) => { part.value = value; },
        (err) => { part.error = this.failed('list Cloud Run services', err); },
      ).finally(() => this.afterLoad(generation)));
    }
    if (!this.loadBalancing.promise) {
      const part: Part<LoadBalancing> = {};
      this.loadBalancing = part;
      part.promise = track(connection.compute(project).loadLoadBalancing().then(
        (value) => { part.value = value; },
        (err) => { part.error = this.failed('list load balancers', err); },
      ).finally(() => this.afterLoad(generation)));
    }
  }

  /** Both lists failed for want of credentials. */
  private signedOut(): boolean {
    return this.services.error?.kind === 'unauthenticated' && this.loadBalancing.error?.kind === 'unauthenticated';
  }

  private failed(what: string, err: unknown): CloudError {
    const error = toCloudError(err);
    this.log.error(`${what}: ${error.message}`);
    return error;
  }

  private afterLoad(generation: number): void {
    if (generation !== this.generation) return;
    // Section descriptions (counts) and the unattached section depend on both parts; a sign-in
    // failure turns the tree into the welcome view.
    this.changed.fire(undefined);
    this.schedulePoll();
  }

  private currentTopology(): Topology | undefined {
    const services = this.services.value;
    const loadBalancing = this.loadBalancing.value;
    if (!loadBalancing || !this.project) return undefined;
    const cached = this.topologyCache;
    if (cached && cached.services === services && cached.loadBalancing === loadBalancing) return cached.topology;
    const topology: ExplorerTopology = buildTopology({ project: this.project, ...loadBalancing, services: services ?? [] });
    if (this.services.error) topology.servicesUnavailable = true;
    this.topologyCache = { services, loadBalancing, topology };
    return topology;
  }

  // While a certificate provisions, re-read certificates with backoff; only while the view is visible.
  private schedulePoll(): void {
    if (this.pollTimer || !this.view?.visible) return;
    const pending = this.loadBalancing.value?.sslCertificates.some((c) => c.managed?.status === 'PROVISIONING');
    if (!pending) return;
    this.pollTimer = setTimeout(() => void this.pollCertificates(), this.pollDelay);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  private async pollCertificates(): Promise<void> {
    this.pollTimer = undefined;
    try {
      const changed = await this.rereadCertificates();
      this.pollDelay = changed ? FIRST_POLL_MS : Math.min(MAX_POLL_MS, this.pollDelay * 2);
    } catch (err) {
      this.log.warn(`Certificate poll failed: ${toCloudError(err).message}`);
      this.pollDelay = Math.min(MAX_POLL_MS, this.pollDelay * 2);
    }
    this.schedulePoll();
  }

  /**
   * Re-lists only the certificates (one request) into what is loaded: how provisioning progresses.
   * Resolves to whether any status changed; loads everything first when nothing is loaded yet.
   */
  private async rereadCertificates(): Promise<boolean> {
    const part = this.loadBalancing;
    const previous = part.value;
    if (!previous || !this.project) {
      await this.load();
      return true;
    }
    const generation = this.generation;
    const { connection, project } = this.session.require();
    const certificates = await connection.compute(project).listAll('sslCertificates');
    if (generation !== this.generation || part !== this.loadBalancing) return false;
    const states = (list: typeof certificates) => JSON.stringify(list.map((c) => [c.name, c.managed?.status, c.managed?.domainStatus]));
    part.value = { ...previous, sslCertificates: certificates };
    if (states(previous.sslCertificates) === states(certificates)) return false;
    this.log.info('Certificate status changed; updating the explorer.');
    this.changed.fire(undefined);
    return true;
  }

  /** The topology with freshly read certificate states (the diagnostics' repeated checks). */
  async withFreshCertificates(): Promise<Topology | undefined> {
    await this.rereadCertificates();
    return this.load();
  }

  dispose(): void {
    this.stopPolling();
    this.changed.dispose();
  }
}
