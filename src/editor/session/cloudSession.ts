// The current connection and project, rebuilt whenever the user changes the extension's settings,
// the endpoint token in VS Code's secret storage changes, or the workspace becomes trusted.
// In Restricted Mode there is no connection at all: nothing a workspace says sends a request.
import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import { CloudError, toCloudError } from '../../core/gcp/errors';
import {
  ConnectionOptions,
  ConnectionSettings,
  EndpointCredentials,
  endpointIsUsers,
  GcpConnection,
  SET_TOKEN_HELP,
  settingsTokenLayers,
} from '../../core/gcp/connection';
import { ProjectLookupEnvironment, ResolvedProject } from '../../core/gcp/project';

import { SECTION } from '../../contributes';

/** The SecretStorage key of the endpoint token (never a setting: settings are plain text and synced). */
export const ENDPOINT_TOKEN_SECRET = 'cloudRunGlobal.endpointToken';
/** The setting that held the token before; its value is never read as a credential. */
export const OLD_TOKEN_SETTING = 'endpointToken';

export interface SessionState {
  connection?: GcpConnection;
  project?: string;
  projectSource: string;
  /** Why there is no usable connection, when there is none. */
  problem?: CloudError;
}

function readSettings(secrets: vscode.SecretStorage): ConnectionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const endpoint = config.inspect<string>('endpoint');
  return {
    project: config.get<string>('project', ''),
    endpoint: config.get<string>('endpoint', ''),
    // Only the user's own settings may send real credentials to another endpoint.
    endpointFromUserSettings: endpointIsUsers(endpoint),
    endpointCredentials: config.get<EndpointCredentials>('endpointCredentials', 'none'),
    // Read on the first request; a token left in settings is not used.
    endpointToken: async () => secrets.get(ENDPOINT_TOKEN_SECRET),
  };
}

export const RESTRICTED_MODE_PROBLEM = 'Restricted Mode: Cloud Run Global sends no requests for a workspace you have not trusted.';

const environment: ProjectLookupEnvironment = {
  env: process.env,
  platform: process.platform,
  homedir: os.homedir(),
  readFile: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** A connection whose Google clients load only once `ready` settles; requests made before then wait for it. */
class DeferredClientsConnection extends GcpConnection {
  constructor(
    settings: ConnectionSettings,
    environment: ProjectLookupEnvironment,
    options: ConnectionOptions,
    private readonly ready: Promise<void>,
  ) {
    super(settings, environment, options);
  }

  override apis(): ReturnType<GcpConnection['apis']> {
    return this.ready.then(() => super.apis());
  }
}

export class CloudSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionState>();
  readonly onDidChange = this.changed.event;
  private state: SessionState;
  private readonly subscriptions: vscode.Disposable[];
  /** The settings layers whose old plain-text token the user was told about. */
  private toldAboutSettingsToken = '';

  /** `clientsReady`: when the Google clients may load (they hold the extension host for a moment); at once by default. */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly version: string,
    private readonly secrets: vscode.SecretStorage,
    private readonly clientsReady: Promise<void> = Promise.resolve(),
  ) {
    this.state = this.build();
    const rebuild = () => {
      this.state = this.build();
      this.changed.fire(this.state);
    };
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) rebuild();
      }),
      // Another window may set or clear the token; a connection keeps the token it read.
      secrets.onDidChange((e) => {
        if (e.key === ENDPOINT_TOKEN_SECRET) rebuild();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(rebuild),
    ];
  }

  /** Keeps the endpoint token in VS Code's secret storage (empty clears it). */
  async setEndpointToken(token: string | undefined): Promise<void> {
    const value = token?.trim();
    if (value) await this.secrets.store(ENDPOINT_TOKEN_SECRET, value);
    else await this.secrets.delete(ENDPOINT_TOKEN_SECRET);
    this.state = this.build();
    this.changed.fire(this.state);
  }

  get current(): SessionState {
    return this.state;
  }

  /** The connection and project, or a CloudError that says what to do. */
  require(): { connection: GcpConnection; project: string } {
    const { connection, project, problem } = this.state;
    if (connection && project) return { connection, project };
    throw problem ?? new CloudError('No Google Cloud project is selected.', { kind: 'invalid' });
  }

  /** Re-reads settings and gcloud's configuration; listeners hear of it when the result differs. */
  reload(): void {
    const next = this.build();
    const changed =
      next.project !== this.state.project ||
      next.problem?.message !== this.state.problem?.message ||
      next.connection?.plan.description !== this.state.connection?.plan.description;
    this.state = next;
    if (changed) this.changed.fire(this.state);
  }

  /** Writes the project where it takes effect: the workspace's setting when it has one, else the user's. */
  async setProject(project: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const current = config.inspect<string>('project');
    const target =
      current?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : current?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update('project', project, target);
  }

  private build(): SessionState {
    this.checkSettingsToken();
    if (!vscode.workspace.isTrusted) {
      this.log.info(`${RESTRICTED_MODE_PROBLEM} Trust it to connect.`);
      return {
        projectSource: 'Restricted Mode',
        problem: new CloudError(RESTRICTED_MODE_PROBLEM, {
          kind: 'invalid',
          remedy: 'Trust this workspace (Manage Workspace Trust) to connect.',
        }),
      };
    }
    let connection: GcpConnection;
    try {
      connection = new DeferredClientsConnection(
        readSettings(this.secrets),
        environment,
        {
          log: (line) => this.log.info(line),
          product: { name: 'cloud-run-global', version: this.version },
        },
        this.clientsReady,
      );
    } catch (err) {
      const problem = toCloudError(err);
      this.log.warn(problem.message);
      return { projectSource: 'unknown', problem };
    }
    const resolved: ResolvedProject = connection.resolveProject();
    this.log.info(`Using ${connection.plan.description}; project ${resolved.project ?? '(none)'} from ${resolved.source}.`);
    if (!resolved.project) {
      try {
        connection.requireProject();
      } catch (err) {
        return { connection, projectSource: resolved.source, problem: toCloudError(err) };
      }
    }
    return { connection, project: resolved.project, projectSource: resolved.source };
  }

  /**
   * The token once lived in the setting cloudRunGlobal.endpointToken: plain text, synced by Settings
   * Sync, and settable by a workspace. It is never used now; the user is told how to move it, once.
   */
  private checkSettingsToken(): void {
    const layers = settingsTokenLayers(vscode.workspace.getConfiguration(SECTION).inspect(OLD_TOKEN_SETTING));
    const key = layers.join(',');
    if (key === this.toldAboutSettingsToken) return;
    this.toldAboutSettingsToken = key;
    if (!layers.length) return;
    const message = `The setting cloudRunGlobal.${OLD_TOKEN_SETTING} (in your ${layers.join(' and ')} settings) is not used: settings are plain text and travel with Settings Sync. ${SET_TOKEN_HELP} Then delete the setting.`;
    this.log.warn(message);
    const move = layers.includes('user') ? 'Move to Secret Storage' : undefined;
    void vscode.window.showWarningMessage(message, ...(move ? [move] : []), 'Open Settings (JSON)').then(async (choice) => {
      if (choice === move) await vscode.commands.executeCommand('cloudRunGlobal.moveEndpointTokenFromSettings');
      else if (choice)
        await vscode.commands.executeCommand(
          layers.includes('user') ? 'workbench.action.openSettingsJson' : 'workbench.action.openWorkspaceSettingsFile',
        );
    });
  }

  /** Moves a token from the user's settings into secret storage and deletes the setting. */
  async moveTokenFromSettings(): Promise<boolean> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const value = config.inspect<unknown>(OLD_TOKEN_SETTING)?.globalValue;
    if (typeof value !== 'string' || !value.trim()) return false;
    await this.secrets.store(ENDPOINT_TOKEN_SECRET, value.trim());
    await config.update(OLD_TOKEN_SETTING, undefined, vscode.ConfigurationTarget.Global);
    return true;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
