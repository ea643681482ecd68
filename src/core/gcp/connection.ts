// Where requests go and with which credentials, and the lazily built Google clients behind them.
import type { ApiOptions, Auth, GoogleApis } from './gcpClients';
import { CloudError, toCloudError } from './errors';
import { CloudDnsClient } from './cloudDns';
import { CertificateManagerClient } from './certificateManager';
import { ComputeClient } from './compute';
import { CERTIFICATE_MANAGER_COLLECTIONS, COMPUTE_COLLECTIONS } from '../kinds/registry';
import { projectHelp, ProjectLookupEnvironment, resolveDefaultProject, ResolvedProject } from './project';
import { RequestLog } from './request';
import { RetryPolicy } from './retry';
import { RunClient } from './run';
import { listProjects, ProjectSummary } from './projects';

export type EndpointCredentials = 'none' | 'token' | 'google';

/** The endpoint token itself, or where to read it when first needed (VS Code's SecretStorage). */
export type TokenSource = string | (() => Promise<string | undefined>);

export interface ConnectionSettings {
  /** Explicit project; empty means "as gcloud resolves it". */
  project?: string;
  /** Root URL replacing Google's; empty means Google. */
  endpoint?: string;
  /** True when `endpoint` comes from the user's own settings, not a workspace's. */
  endpointFromUserSettings: boolean;
  endpointCredentials: EndpointCredentials;
  /** Read only on the first request, and only for `token` with an endpoint of the user's. */
  endpointToken?: TokenSource;
}

/** The layers of one setting, as VS Code's `inspect()` reports them. */
export interface SettingLayers<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * True only when the endpoint in effect is the user's own: set in user settings, and not replaced
 * (or blanked) by the workspace or a folder of it.
 */
export function endpointIsUsers(layers: SettingLayers<string> | undefined): boolean {
  return !!layers?.globalValue?.trim() && layers.workspaceValue === undefined && layers.workspaceFolderValue === undefined;
}

/** The layers of settings that still hold the old plain-text `cloudRunGlobal.endpointToken`. */
export function settingsTokenLayers(layers: SettingLayers<unknown> | undefined): Array<'user' | 'workspace' | 'workspace folder'> {
  const holds = (value: unknown) => (typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null);
  const found: Array<'user' | 'workspace' | 'workspace folder'> = [];
  if (holds(layers?.globalValue)) found.push('user');
  if (holds(layers?.workspaceValue)) found.push('workspace');
  if (holds(layers?.workspaceFolderValue)) found.push('workspace folder');
  return found;
}

export type CredentialsPlan =
  | { kind: 'applicationDefault'; rootUrl?: string; description: string }
  | { kind: 'fixedToken'; token: string; rootUrl: string; description: string }
  | { kind: 'endpointToken'; rootUrl: string; description: string };

/** How the endpoint token is set, for messages. */
export const SET_TOKEN_HELP = 'Run "Cloud Run Global: Set Endpoint Token…", which keeps it in VS Code\'s secret storage.';

/** Sent to an endpoint that wants some bearer token but no real one (the emulator). */
export const PLACEHOLDER_TOKEN = 'no-credentials';

/**
 * Decides what goes where. A user's real token reaches a non-Google endpoint only when the user set
 * that endpoint in their own settings: a cloned workspace must not be able to collect it.
 */
export function planCredentials(settings: ConnectionSettings): CredentialsPlan {
  const endpoint = settings.endpoint?.trim();
  if (!endpoint) return { kind: 'applicationDefault', description: 'Google Cloud with Application Default Credentials' };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CloudError(`The endpoint "${endpoint}" is not a URL.`, {
      kind: 'invalid',
      remedy: 'Set cloudRunGlobal.endpoint to a URL such as http://127.0.0.1:8089/, or clear it to use Google.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CloudError(`The endpoint "${endpoint}" must use http or https.`, { kind: 'invalid', remedy: 'Fix cloudRunGlobal.endpoint.' });
  }
  const rootUrl = url.href.endsWith('/') ? url.href : `${url.href}/`;
  // Real credentials (a token or Google's) go only to an endpoint the user set in their own settings.
  const refuse = (what: string) =>
    new CloudError(`${what} will not be sent to ${rootUrl}: that endpoint does not come from your user settings.`, {
      kind: 'unauthenticated',
      remedy: 'If you trust it, set cloudRunGlobal.endpoint in your user settings instead.',
    });
  switch (settings.endpointCredentials) {
    case 'token':
      if (!settings.endpointFromUserSettings) throw refuse('Your endpoint token');
      if (settings.endpointToken === undefined)
        throw new CloudError('cloudRunGlobal.endpointCredentials is "token" but no endpoint token is set.', {
          kind: 'unauthenticated',
          remedy: SET_TOKEN_HELP,
        });
      return { kind: 'endpointToken', rootUrl, description: `${rootUrl} with your endpoint token` };
    case 'google':
      if (!settings.endpointFromUserSettings) throw refuse('Your Google credentials');
      return { kind: 'applicationDefault', rootUrl, description: `${rootUrl} with your Application Default Credentials` };
    default:
      return { kind: 'fixedToken', token: PLACEHOLDER_TOKEN, rootUrl, description: `${rootUrl} without credentials` };
  }
}

/** The endpoint token, or a CloudError that says how to set it; never part of a message. */
export async function readEndpointToken(source: TokenSource | undefined): Promise<string> {
  let token: string | undefined;
  try {
    token = typeof source === 'function' ? await source() : source;
  } catch {
    throw new CloudError("The endpoint token could not be read from VS Code's secret storage.", {
      kind: 'unauthenticated',
      remedy: SET_TOKEN_HELP,
    });
  }
  token = token?.trim();
  if (!token)
    throw new CloudError('cloudRunGlobal.endpointCredentials is "token" but no endpoint token is set.', {
      kind: 'unauthenticated',
      remedy: SET_TOKEN_HELP,
    });
  return token;
}

type ClientModule = typeof import('./gcpClients');

/** The heavy module, required on first use. In the bundle it is dist/gcpClients.js beside dist/extension.js. */
export function loadClientModule(): ClientModule {
  const modulePath = './gcpClients';
  return require(modulePath) as ClientModule;
}

export interface ConnectionOptions {
  log?: RequestLog;
  retry?: RetryPolicy;
  product?: { name: string; version: string };
  timeoutMs?: number;
  /** For tests: a ready client module, or ready credentials. */
  loadClients?: () => ClientModule;
  auth?: Auth;
}

export class GcpConnection {
  readonly plan: CredentialsPlan;
  private apisPromise?: Promise<GoogleApis>;
  private auth?: Auth;

  constructor(
    readonly settings: ConnectionSettings,
    private readonly environment: ProjectLookupEnvironment,
    private readonly options: ConnectionOptions = {},
  ) {
    this.plan = planCredentials(settings);
  }

  get endpoint(): string | undefined {
    return this.plan.rootUrl;
  }

  resolveProject(): ResolvedProject {
    return resolveDefaultProject(this.environment, this.settings.project);
  }

  /** The project to use, or a CloudError that says how to choose one. */
  requireProject(): string {
    const resolved = this.resolveProject();
    if (!resolved.project)
      throw new CloudError(`No Google Cloud project is selected (${resolved.source}).`, { kind: 'invalid', remedy: projectHelp() });
    return resolved.project;
  }

  apis(): Promise<GoogleApis> {
    // A failure (no token yet) is not kept: the next request asks again.
    this.apisPromise ??= this.createApis().catch((err: unknown) => {
      this.apisPromise = undefined;
      throw err;
    });
    return this.apisPromise;
  }

  private async createApis(): Promise<GoogleApis> {
    const module = (this.options.loadClients ?? loadClientModule)();
    const plan = this.plan;
    const auth =
      this.options.auth ??
      (plan.kind === 'fixedToken'
        ? module.createFixedTokenCredentials(plan.token)
        : plan.kind === 'endpointToken'
          ? module.createFixedTokenCredentials(await readEndpointToken(this.settings.endpointToken))
          : module.createDefaultCredentials());
    this.auth = auth;
    const apiOptions: ApiOptions = {
      auth,
      rootUrl: this.plan.rootUrl,
      product: this.options.product ?? { name: 'cloud-run-global', version: '0' },
      timeoutMs: this.options.timeoutMs ?? 60000,
    };
    return module.createApis(apiOptions);
  }

  /** Fails early, with the command to run, when there are no usable credentials. */
  async checkCredentials(): Promise<void> {
    if (this.plan.kind === 'fixedToken') return;
    await this.apis(); // for the endpoint token: reads it from where it is kept
    if (this.plan.kind === 'endpointToken') return;
    const auth = this.auth;
    try {
      const client = auth && 'getClient' in auth ? await auth.getClient() : auth;
      await client?.getAccessToken();
    } catch (err) {
      throw toCloudError(err, { action: 'find your Google Cloud credentials' });
    }
  }

  compute(project: string): ComputeClient {
    return new ComputeClient(
      async () => (await this.apis()).compute,
      { project, endpoint: this.plan.rootUrl, retry: this.options.retry, log: this.options.log },
      COMPUTE_COLLECTIONS,
    );
  }

  listProjects(signal?: AbortSignal): Promise<ProjectSummary[]> {
    return listProjects(
      async () => (await this.apis()).resourceManager,
      { endpoint: this.plan.rootUrl, retry: this.options.retry, log: this.options.log },
      signal,
    );
  }

  /** Cloud DNS, for zones in `project` and (by passing another project to its calls) the other projects named in settings. */
  cloudDns(project: string): CloudDnsClient {
    return new CloudDnsClient(async () => (await this.apis()).dns, {
      project,
      endpoint: this.plan.rootUrl,
      retry: this.options.retry,
      log: this.options.log,
    });
  }

  certificateManager(project: string): CertificateManagerClient {
    return new CertificateManagerClient(
      async () => (await this.apis()).certificateManager,
      { project, endpoint: this.plan.rootUrl, retry: this.options.retry, log: this.options.log },
      CERTIFICATE_MANAGER_COLLECTIONS,
    );
  }

  run(project: string): RunClient {
    const context = { project, endpoint: this.plan.rootUrl, retry: this.options.retry, log: this.options.log };
    return new RunClient(
      async () => (await this.apis()).runV1,
      async () => (await this.apis()).runV2,
      context,
    );
  }
}
