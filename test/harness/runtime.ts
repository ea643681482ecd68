// The test runtime: code-server (a real VS Code server with a Node extension host) installed from
// npm into the git-ignored .vscode-runtime/, and Debian's Chromium for playwright-core to drive.
// No desktop VS Code can be downloaded on these machines; npm and apt are reachable.
// The first run installs (a couple of minutes); later runs only look at a few files.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { log, seconds } from './log';
import { runtimeDir } from './paths';
import { spawnInGroup } from './processes';

/** code-server 4.100.3 is VS Code 1.100.3 on Node 20, the engine this extension targets. */
export const CODE_SERVER_VERSION = '4.100.3';

/**
 * code-server's VS Code depends on @vscode/ripgrep, whose install script downloads rg from GitHub
 * unless its cache already holds the archive; these name the archive that version looks for.
 */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const RIPGREP_TARGET = 'x86_64-unknown-linux-musl';

/** chromium: the browser; the rest only to build code-server's native modules and seed ripgrep. */
const BROWSER_PACKAGES = ['chromium'];
const BUILD_PACKAGES = ['ripgrep', 'libkrb5-dev', 'pkg-config'];

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const INSTALL_TIMEOUT_MS = 20 * 60_000;

export interface Runtime {
  /** code-server's Node entry point, run with this process's node. */
  codeServerEntry: string;
  codeServerVersion: string;
  chromiumPath: string;
}

interface InstallStamp {
  codeServer: string;
  installedAt: string;
}

const stampFile = join(runtimeDir, 'runtime.json');
const installLog = join(runtimeDir, 'install.log');
const codeServerEntry = join(runtimeDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export class RuntimeSetupError extends Error {}

/** Installs whatever is missing, once; later calls return at once. */
export async function ensureRuntime(): Promise<Runtime> {
  const started = Date.now();
  const actions: string[] = [];

  if (!runtimeComplete()) {
    // Several runs may share one checkout (a developer's tests and a demo): one installs, the rest
    // wait and then find everything in place.
    await withInstallLock(async () => {
      const codeServerReady = codeServerInstalled();
      const wanted = [...(findChromium() ? [] : BROWSER_PACKAGES), ...(codeServerReady ? [] : BUILD_PACKAGES)];
      const missing = wanted.length ? await missingAptPackages(wanted) : [];
      if (missing.length) {
        await installAptPackages(missing);
        actions.push(`apt: ${missing.join(' ')}`);
      }
      if (!codeServerReady) {
        await installCodeServer();
        actions.push(`npm: code-server@${CODE_SERVER_VERSION}`);
      }
    });
  }

  const chromiumPath = findChromium();
  if (!chromiumPath)
    throw new RuntimeSetupError('Chromium is still missing after installing it; set CLOUD_RUN_GLOBAL_CHROMIUM to its path');
  log(
    `runtime ready in ${seconds(started)} (${actions.length ? `installed ${actions.join('; ')}` : 'already installed'}): code-server ${CODE_SERVER_VERSION}, ${chromiumPath}`,
  );
  return { codeServerEntry, codeServerVersion: CODE_SERVER_VERSION, chromiumPath };
}

const lockDir = join(runtimeDir, 'install.lock');
const STALE_LOCK_MS = INSTALL_TIMEOUT_MS + 60_000;

/** mkdir is atomic: whoever creates the lock folder installs; a lock older than any install is stale. */
async function withInstallLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(runtimeDir, { recursive: true });
  for (let waitedMs = 0; ; waitedMs += 1000) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const lock = statSync(lockDir, { throwIfNoEntry: false });
      if (!lock) continue; // released just now: try again at once
      if (Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(lockDir, { recursive: true, force: true });
      else if (waitedMs % 30_000 === 0) log(`another run is installing the runtime (${lockDir}); waiting`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function codeServerInstalled(): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as InstallStamp;
    return stamp.codeServer === CODE_SERVER_VERSION && existsSync(codeServerEntry);
  } catch {
    return false;
  }
}

/** The fast path: two file checks, no process started. */
function runtimeComplete(): boolean {
  return codeServerInstalled() && findChromium() !== undefined;
}

/** CLOUD_RUN_GLOBAL_CHROMIUM wins, so a machine with Chromium elsewhere needs no apt. */
export function findChromium(): string | undefined {
  const override = process.env.CLOUD_RUN_GLOBAL_CHROMIUM;
  if (override) return existsSync(override) ? override : undefined;
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path));
}

function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, program);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function missingAptPackages(packages: string[]): Promise<string[]> {
  if (!onPath('dpkg-query')) return packages;
  const missing: string[] = [];
  for (const name of packages) {
    // A package removed but not purged is still known to dpkg: look at the status word.
    const status = await commandOutput('dpkg-query', ['-W', '-f=${db:Status-Status}', name]);
    if (status.trim() !== 'installed') missing.push(name);
  }
  return missing;
}

function commandOutput(command: string, args: string[]): Promise<string> {
  return new Promise((resolveOutput) => {
    execFile(command, args, { encoding: 'utf8' }, (_error, stdout) => resolveOutput(stdout ?? ''));
  });
}

async function installAptPackages(packages: string[]): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath('apt-get')) {
    throw new RuntimeSetupError(
      `The VS Code tests need these Debian/Ubuntu packages: ${packages.join(' ')}.\n` +
        `Install them once with:\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n` +
        `(or point CLOUD_RUN_GLOBAL_CHROMIUM at an existing Chromium if only the browser is missing).`,
    );
  }
  mkdirSync(runtimeDir, { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let started = Date.now();
  await runLogged('apt-get update', 'apt-get', ['update', '-qq'], env);
  log(`apt-get update in ${seconds(started)}`);
  started = Date.now();
  await runLogged('apt-get install', 'apt-get', ['install', '-y', '-qq', ...packages], env);
  log(`apt-get install ${packages.join(' ')} in ${seconds(started)}`);
}

async function installCodeServer(): Promise<void> {
  const started = Date.now();
  // A half-finished earlier install (interrupted, failed postinstall) is not worth repairing.
  rmSync(join(runtimeDir, 'node_modules'), { recursive: true, force: true });
  rmSync(join(runtimeDir, 'package-lock.json'), { force: true });
  mkdirSync(runtimeDir, { recursive: true });
  writeFileSync(join(runtimeDir, 'package.json'), JSON.stringify({ name: 'vscode-test-runtime', private: true }, null, 2) + '\n');
  seedRipgrepCache();

  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Inside `npm test`, npm's lifecycle variables describe this project, not the runtime.
    if (!key.startsWith('npm_package_') && !key.startsWith('npm_lifecycle_')) env[key] = value;
  }
  // code-server's postinstall builds native modules as root and must find Node's headers.
  env.npm_config_unsafe_perm = 'true';
  env.npm_config_yes = 'true';
  const nodeDir = resolve(dirname(process.execPath), '..');
  if (existsSync(join(nodeDir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeDir;

  log(`installing code-server@${CODE_SERVER_VERSION} into ${runtimeDir} (log: ${installLog}); this takes a minute or two, once`);
  await runLogged(
    'npm install',
    'npm',
    ['install', '--prefix', runtimeDir, '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`],
    env,
  );
  if (!existsSync(codeServerEntry)) throw new RuntimeSetupError(`npm finished but ${codeServerEntry} is missing; see ${installLog}`);
  const stamp: InstallStamp = { codeServer: CODE_SERVER_VERSION, installedAt: new Date().toISOString() };
  writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + '\n');
  log(`code-server installed in ${seconds(started)}`);
}

/** Puts Debian's rg where @vscode/ripgrep's install script looks before it tries GitHub. */
function seedRipgrepCache(): void {
  const rg = onPath('rg');
  if (!rg || process.arch !== 'x64') return;
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${RIPGREP_TARGET}.tar.gz`);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  try {
    copyFileSync(rg, join(staging, 'rg'));
    execFileSync('tar', ['czf', archive, '-C', staging, 'rg']);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function runLogged(what: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  writeFileSync(installLog, `\n$ ${command} ${args.join(' ')}\n`, { flag: 'a' });
  const child = spawnInGroup(what, command, args, { env, logFile: installLog });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), INSTALL_TIMEOUT_MS);
  });
  const outcome = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') await child.stop();
  if (outcome !== 0) {
    const tail = readFileSync(installLog, 'utf8').split('\n').slice(-40).join('\n');
    throw new RuntimeSetupError(
      `${what} ${outcome === 'timeout' ? 'timed out' : `failed (exit ${outcome})`}; last lines of ${installLog}:\n${tail}`,
    );
  }
}
