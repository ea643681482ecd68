// The Cloud Run Global explorer: a thin TreeDataProvider over the live model and the rows
// explorerItems.ts builds. It keeps no state of the project and reads nothing itself.
import * as vscode from 'vscode';
import type { CloudError } from '../../core/gcp/errors';
import { COMPUTE_PARTS, INVENTORY_PARTS, type ProjectModel } from '../../core/model/projectModel';
import {
  errorItem,
  loadBalancerItems,
  placeholder,
  SECTION_LOAD_BALANCERS,
  SECTION_SERVICES,
  SECTION_UNATTACHED,
  serviceItems,
  unattachedCount,
  unattachedItems,
} from '../../core/explorer/explorerItems';
import { ExplorerItem } from '../../core/explorer/item';

import { STATE_CONTEXT, VIEW_ID } from '../../contributes';

export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly parents = new Map<string, ExplorerItem | undefined>();
  private readonly items = new Map<string, ExplorerItem>();
  private view?: vscode.TreeView<ExplorerItem>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private welcome?: string;

  constructor(
    private readonly model: ProjectModel,
    private readonly hasConnection: () => boolean,
  ) {
    this.subscriptions.push(
      this.changed,
      model.onDidChange(() => this.changed.fire(undefined)),
      model.onDidStartRead((reading) => void vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => reading)),
    );
  }

  attach(view: vscode.TreeView<ExplorerItem>): void {
    this.view = view;
    this.subscriptions.push(
      view.onDidChangeVisibility(() => this.model.interestsUpdated()),
      this.model.watch({ visible: () => view.visible }),
    );
  }

  /** Reloads the part of the tree a row belongs to. */
  refreshItem(item: ExplorerItem): Promise<void> {
    return this.model.read(item.id.startsWith(SECTION_SERVICES) ? ['services'] : COMPUTE_PARTS, 'refresh');
  }

  getTreeItem(item: ExplorerItem): vscode.TreeItem {
    const state = item.children
      ? item.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const treeItem = new vscode.TreeItem(item.label, state);
    treeItem.id = item.id;
    treeItem.description = item.description;
    if (item.tooltip) treeItem.tooltip = new vscode.MarkdownString(item.tooltip);
    if (item.icon)
      treeItem.iconPath = new vscode.ThemeIcon(item.icon.codicon, item.icon.color ? new vscode.ThemeColor(item.icon.color) : undefined);
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
    // Starting the read settles at once whether there is a connection at all.
    void this.model.ensure(INVENTORY_PARTS);
    if (!this.ready()) return [];
    const { model } = this;
    const services = model.error('services');
    const loadBalancing = model.loadBalancingError;
    if (services?.kind === 'unauthenticated' && loadBalancing?.kind === 'unauthenticated') {
      // The welcome view explains how to sign in; Refresh tries again.
      this.setWelcome('noCredentials');
      return [];
    }
    if (unreachable(services) && unreachable(loadBalancing)) {
      // Nothing answered at all (connection refused, timed out): the welcome view says so and offers Retry.
      this.setWelcome('unreachable');
      return [];
    }
    const topology = model.topology;
    const servicesCount = model.services ? String(model.services.length) : model.error('services') ? 'error' : 'loading…';
    const lbCount = topology ? String(topology.loadBalancers.length) : model.loadBalancingError ? 'error' : 'loading…';
    const roots: ExplorerItem[] = [
      {
        id: SECTION_SERVICES,
        label: 'Cloud Run services',
        description: servicesCount,
        context: ['section', 'services'],
        icon: { codicon: 'cloud' },
        expanded: true,
        children: () => [],
      },
      {
        id: SECTION_LOAD_BALANCERS,
        label: 'Global load balancers',
        description: lbCount,
        context: ['section', 'loadBalancers'],
        icon: { codicon: 'globe' },
        expanded: true,
        children: () => [],
      },
    ];
    if (topology && unattachedCount(topology) > 0) {
      roots.push({
        id: SECTION_UNATTACHED,
        label: 'Unattached resources',
        description: String(unattachedCount(topology)),
        context: ['section', 'unattached'],
        icon: { codicon: 'debug-disconnect' },
        children: () => [],
      });
    }
    return roots;
  }

  private async childrenOf(parent: ExplorerItem): Promise<ExplorerItem[]> {
    const { model } = this;
    switch (parent.id) {
      case SECTION_SERVICES: {
        await model.ensure(['services']);
        if (!model.services && model.error('services')) return [errorItem(parent.id, model.error('services')!.message)];
        const list = model.services ?? [];
        // Who may call each service behind a load balancer: read once the load balancers are in (a change re-renders).
        if (model.topology) void model.ensure(['iam']);
        return list.length
          ? serviceItems(model.topology, list, model.invokers)
          : [placeholder(parent.id, 'No Cloud Run services in this project')];
      }
      case SECTION_LOAD_BALANCERS: {
        await model.ensure(COMPUTE_PARTS);
        const topology = model.topology;
        if (!topology && model.loadBalancingError) return [errorItem(parent.id, model.loadBalancingError.message)];
        const items = topology ? loadBalancerItems(topology) : [];
        return items.length ? items : [placeholder(parent.id, 'No global load balancers yet — use "Make global" on a service')];
      }
      case SECTION_UNATTACHED: {
        const topology = model.topology;
        return topology ? unattachedItems(topology) : [];
      }
      default:
        return parent.children?.() ?? [];
    }
  }

  /** False (and the welcome view shows) when there is no usable connection or project. */
  private ready(): boolean {
    const problem = this.model.problem;
    if (this.view) this.view.description = this.model.project;
    // Without a connection the settings are at fault (signing in would not help).
    this.setWelcome(
      !problem ? 'ready' : !this.hasConnection() ? 'badSettings' : problem.kind === 'unauthenticated' ? 'noCredentials' : 'noProject',
    );
    return !problem;
  }

  private setWelcome(state: string): void {
    if (state === this.welcome) return;
    this.welcome = state;
    void vscode.commands.executeCommand('setContext', STATE_CONTEXT, state);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** A request that got no answer: the endpoint or Google could not be reached (no HTTP status). */
function unreachable(error: CloudError | undefined): boolean {
  return error?.kind === 'transient' && error.status === undefined;
}
