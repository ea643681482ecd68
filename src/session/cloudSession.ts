// The current connection and project, rebuilt whenever the user changes the extension's settings.
import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import { CloudError, toCloudError } from '../gcp/errors';
import { ConnectionOptions, ConnectionSettings, EndpointCredentials, endpointIsUsers, GcpConnection } from '../gcp/connection';
import { ProjectLookupEnvironment, ResolvedProject } from '../gcp/project';

export { SECTION } from '../contributes';
import { SECTION } from '../contributes';

export interface SessionState {
  connection?: GcpConnection;
  project?: string;
  projectSource: string;
  /** Why there is no usable connection, when there is none. */
  problem?: CloudError;
}

function readSettings(): ConnectionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const endpoint = config.inspect<string>('endpoint');
  return {
    project: config.get<string>('project', ''),
    endpoint: config.get<string>('endpoint', ''),
    // Only the user's own settings may send real credentials to another endpoint.
    endpointFromUserSettings: endpointIsUsers(endpoint),
    endpointCredentials: config.get<EndpointCredentials>('endpointCredentials', 'none'),
    endpointToken: config.get<string>('endpointToken', ''),
  };
}

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
  constructor(settings: ConnectionSettings, environment: ProjectLookupEnvironment, options: ConnectionOptions, private readonly ready: Promise<void>) {
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
  private readonly subscription: vscode.Disposable;

  /** `clientsReady`: when the Google clients may load (they hold the extension host for a moment); at once by default. */
  constructor(private readonly log: vscode.LogOutputChannel, private readonly version: string, private readonly clientsReady: Promise<void> = Promise.resolve()) {
    this.state = this.build();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.state = this.build();
      this.changed.fire(this.state);
    });
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
    const changed = next.project !== this.state.project || next.problem?.message !== this.state.problem?.message || next.connection?.plan.description !== this.state.connection?.plan.description;
    this.state = next;
    if (changed) this.changed.fire(this.state);
  }

  /** Writes the project where it takes effect: the workspace's setting when it has one, else the user's. */
  async setProject(project: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const current = config.inspect<string>('project');
    const target = current?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
      : current?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('project', project, target);
  }

  private build(): SessionState {
    let connection: GcpConnection;
    try {
      connection = new DeferredClientsConnection(readSettings(), environment, {
        log: (line) => this.log.info(line),
        product: { name: 'cloud-run-global', version: this.version },
      }, this.clientsReady);
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

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
