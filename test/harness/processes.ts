// Processes the harness starts live in their own process groups (code-server's extension hosts,
// file watchers and pty host are its children; Chromium has renderers and zygotes), so stopping
// one means signalling its whole group. Everything started is registered here and torn down on
// normal exit, on failure, on SIGINT/SIGTERM/SIGHUP and by the harness's own timeouts.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { log, warn } from './log';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  command: string;
}

/** Parses one `/proc/PID/stat` line; the command may itself contain spaces and parentheses. */
export function parseProcStat(line: string): ProcessInfo | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const [state, ppid, pgid] = line.slice(close + 2).split(' ');
  const pid = Number(line.slice(0, open).trim());
  if (!Number.isInteger(pid) || state === undefined) return undefined;
  return { pid, ppid: Number(ppid), pgid: Number(pgid), state, command: line.slice(open + 1, close) };
}

/** Every process on the machine that is not a zombie (zombies cannot be killed, only reaped). */
export function processTable(): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table; // not Linux: callers fall back to signalling groups blindly
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const info = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (info && info.state !== 'Z') table.push(info);
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

/** Processes below `rootPid` in the parent/child tree. */
export function descendantsOf(rootPid: number, table = processTable()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of table) {
    const siblings = children.get(info.ppid) ?? [];
    siblings.push(info);
    children.set(info.ppid, siblings);
  }
  const found: ProcessInfo[] = [];
  const pending = [rootPid];
  while (pending.length) {
    for (const child of children.get(pending.pop() as number) ?? []) {
      found.push(child);
      pending.push(child.pid);
    }
  }
  return found;
}

export function liveGroupMembers(pgid: number, table = processTable()): ProcessInfo[] {
  return table.filter((info) => info.pgid === pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pgid: number): boolean {
  const table = processTable();
  if (table.length) return liveGroupMembers(pgid, table).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the group, then SIGKILL to whatever is left after `graceMs`. */
export async function killGroup(pgid: number, graceMs = 3000): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return;
    await sleep(100);
  }
  signalGroup(pgid, 'SIGKILL');
  for (let i = 0; i < 20 && groupAlive(pgid); i++) await sleep(100);
}

const trackedGroups = new Set<number>();

export interface GroupProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>;
  isRunning(): boolean;
  /** Kills the whole group and waits until it is gone. */
  stop(): Promise<void>;
}

export interface SpawnInGroupOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr go here (appended); without it they are discarded. */
  logFile?: string;
}

/** Starts `command` as the leader of a new session and process group. */
export function spawnInGroup(name: string, command: string, args: string[], options: SpawnInGroupOptions = {}): GroupProcess {
  const output = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', output, output] });
  if (typeof output === 'number') closeSync(output);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  trackedGroups.add(pid);
  let running = true;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    });
    child.on('error', (err) => {
      running = false;
      warn(`${name}: ${err.message}`);
      resolve(null);
    });
  });
  return {
    name,
    pid,
    exited,
    isRunning: () => running,
    async stop() {
      await killGroup(pid);
      trackedGroups.delete(pid);
      // The group is gone; let Node deliver the leader's exit so isRunning() agrees.
      await Promise.race([exited, sleep(1000)]);
    },
  };
}

interface CleanupStep {
  name: string;
  run: () => Promise<void>;
}

const cleanupSteps: CleanupStep[] = [];

/** Registers teardown work; steps run last-registered first. Returns a function that unregisters it. */
export function onCleanup(name: string, run: () => Promise<void>): () => void {
  const step = { name, run };
  cleanupSteps.push(step);
  return () => {
    const index = cleanupSteps.indexOf(step);
    if (index >= 0) cleanupSteps.splice(index, 1);
  };
}

const CLEANUP_STEP_TIMEOUT_MS = 10_000;

/**
 * Runs every registered cleanup step, then kills whatever this process still has below it
 * (for example a Chromium whose driver lost track of it). Safe to call more than once.
 */
export async function cleanupAll(): Promise<void> {
  while (cleanupSteps.length) {
    const step = cleanupSteps.pop() as CleanupStep;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        warn(`cleanup "${step.name}" took over ${CLEANUP_STEP_TIMEOUT_MS / 1000} s; moving on`);
        resolve();
      }, CLEANUP_STEP_TIMEOUT_MS);
    });
    await Promise.race([step.run().catch((err: unknown) => warn(`cleanup "${step.name}": ${String(err)}`)), timeout]);
    clearTimeout(timer);
  }
  for (const pgid of [...trackedGroups]) {
    await killGroup(pgid);
    trackedGroups.delete(pgid);
  }
  await killStrayDescendants();
}

/** Kills every process below this one, by group where the child leads its own. */
export async function killStrayDescendants(): Promise<void> {
  const ownGroup = ownProcessGroup();
  const strays = descendantsOf(process.pid);
  if (!strays.length) return;
  log(`stopping ${strays.length} leftover process(es): ${strays.map((p) => `${p.pid} ${p.command}`).join(', ')}`);
  const groups = new Set(strays.filter((p) => p.pgid !== ownGroup).map((p) => p.pgid));
  for (const info of strays) if (info.pgid === ownGroup) signalPid(info.pid, 'SIGKILL');
  await Promise.all([...groups].map((pgid) => killGroup(pgid, 1000)));
}

function ownProcessGroup(): number {
  try {
    return parseProcStat(readFileSync('/proc/self/stat', 'utf8'))?.pgid ?? -1;
  } catch {
    return -1;
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

let handlersInstalled = false;

/**
 * Ctrl+C, `kill` and a closed terminal all end in cleanupAll(); a plain process.exit() still
 * SIGKILLs every tracked group synchronously, so nothing is left behind on any path.
 */
export function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const signals: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ];
  let stopping = false;
  for (const [signal, exitCode] of signals) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping everything the harness started`);
      void cleanupAll().finally(() => process.exit(exitCode));
    });
  }
  process.on('exit', () => {
    for (const pgid of trackedGroups) signalGroup(pgid, 'SIGKILL');
    const ownGroup = ownProcessGroup();
    for (const info of descendantsOf(process.pid)) {
      if (info.pgid !== ownGroup) signalGroup(info.pgid, 'SIGKILL');
      else signalPid(info.pid, 'SIGKILL');
    }
  });
}
