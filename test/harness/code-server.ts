// One code-server (VS Code 1.100 server + browser workbench) on 127.0.0.1 with its own config,
// user data, extensions and HOME, in its own process group. Its extension hosts inherit its
// environment, which is how tests inside them learn where the emulator is.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, seconds } from './log';
import { freePort, httpStatus, preferredOrFreePort } from './net';
import { onCleanup, spawnInGroup } from './processes';
import { Runtime } from './runtime';
import { WorkbenchLaunch, workbenchUrl } from './workbench-url';

export interface CodeServerOptions {
  runtime: Runtime;
  /** Folder opened when the URL names none. */
  folder: string;
  /** Written to the user's settings.json. */
  settings: Record<string, unknown>;
  /** Written to the server's Machine/settings.json (`machine`-scoped settings of a remote window). */
  machineSettings?: Record<string, unknown>;
  /** Workspace trust on (the folder opens in Restricted Mode unless trusted); off by default. */
  workspaceTrust?: boolean;
  /** Added to the environment of the server and its extension hosts. */
  env?: Record<string, string>;
  /** Used when free; otherwise any free port. */
  preferredPort?: number;
  startTimeoutMs?: number;
  /** VSIX files installed into the server's extensions folder before it starts, as a user installs them. */
  installExtensions?: string[];
}

export interface CodeServer {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly port: number;
  readonly logFile: string;
  /** Its user data: settings, logs (every output channel's file), state. */
  readonly userDataDir: string;
  workbenchUrl(launch: Partial<WorkbenchLaunch>): string;
  /** The last lines the server logged, for error messages. */
  logTail(lines?: number): string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const started = Date.now();
  const stateDir = mkdtempSync(join(tmpdir(), 'crg-code-server-'));
  const userDataDir = join(stateDir, 'user-data');
  const extensionsDir = join(stateDir, 'extensions');
  const home = join(stateDir, 'home');
  for (const dir of [join(userDataDir, 'User'), join(userDataDir, 'Machine'), extensionsDir, home]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2) + '\n');
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings ?? {}, null, 2) + '\n');

  const port = await preferredOrFreePort(options.preferredPort);
  const configFile = join(stateDir, 'config.yaml');
  writeFileSync(configFile, `bind-addr: ${HOST}:${port}\nauth: none\ncert: false\n`);
  const logFile = join(stateDir, 'server.log');
  const serverEnv = await serverEnvironment(home, options.env ?? {});
  try {
    for (const vsix of options.installExtensions ?? []) {
      await installExtension(options.runtime, vsix, { userDataDir, extensionsDir, cwd: stateDir, env: serverEnv, logFile });
    }
  } catch (err) {
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }

  const server = spawnInGroup(
    'code-server',
    process.execPath,
    [
      options.runtime.codeServerEntry,
      '--config',
      configFile,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      options.folder,
    ],
    { cwd: stateDir, env: serverEnv, logFile },
  );
  const url = `http://${HOST}:${port}/`;
  const logTail = (lines = 30) => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : '');

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
  const unregister = onCleanup('code-server', close);

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while ((await httpStatus(`${url}healthz`)) !== 200) {
    if (!server.isRunning() || Date.now() > deadline) {
      const reason = server.isRunning() ? 'did not answer in time' : 'exited';
      const tail = logTail();
      await close();
      throw new Error(`code-server ${reason}; last lines of its log:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log(`code-server ${options.runtime.codeServerVersion} listening on ${url} (pid ${server.pid}) after ${seconds(started)}`);

  return {
    url,
    port,
    logFile,
    userDataDir,
    workbenchUrl: (launch) => workbenchUrl(url, { folder: options.folder, ...launch }),
    logTail,
    close,
  };
}

/** `code-server --install-extension FILE.vsix` into the given folders; throws with the log's tail when it fails. */
async function installExtension(
  runtime: Runtime,
  vsix: string,
  where: { userDataDir: string; extensionsDir: string; cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Promise<void> {
  const started = Date.now();
  const install = spawnInGroup(
    'code-server --install-extension',
    process.execPath,
    [runtime.codeServerEntry, '--user-data-dir', where.userDataDir, '--extensions-dir', where.extensionsDir, '--install-extension', vsix],
    { cwd: where.cwd, env: where.env, logFile: where.logFile },
  );
  const code = await install.exited;
  if (code !== 0) {
    const tail = existsSync(where.logFile) ? readFileSync(where.logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`installing ${vsix} into code-server failed (exit ${code}):\n${tail}`);
  }
  log(`installed ${vsix} into code-server's extensions in ${seconds(started)}`);
}

/**
 * A private HOME (no gcloud config, no user VS Code state), no variables from an enclosing
 * VS Code, and Google's metadata server pointed at a closed port so nothing probes outside.
 */
async function serverEnvironment(home: string, extra: Record<string, string>): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE' && !key.startsWith('npm_')) env[key] = value;
  }
  const closedPort = await freePort();
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    CLOUDSDK_CONFIG: join(home, '.config', 'gcloud'),
    GCE_METADATA_HOST: `${HOST}:${closedPort}`,
    GCE_METADATA_IP: `${HOST}:${closedPort}`,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    ...extra,
  };
}
