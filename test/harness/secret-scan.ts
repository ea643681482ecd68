// After the suites: a secret the tests configured must not be in any file the servers wrote (logs,
// every output channel's log file, settings, state), nor in the harness's own results.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SuiteOutcome } from './suite-outcome';

/** Files under `roots` whose bytes contain `secret` (as UTF-8 or UTF-16LE), as paths relative to their root. */
export function filesContaining(roots: readonly string[], secret: string, scanned: string[] = []): string[] {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  const found: string[] = [];
  const visit = (root: string, path: string) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return; // gone meanwhile (a lock file, a rotated log)
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(root, join(path, entry));
    } else if (stat.isFile()) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch {
        return;
      }
      scanned.push(relative(root, path) || path);
      if (needles.some((needle) => bytes.includes(needle))) found.push(relative(root, path) || path);
    }
  };
  for (const root of roots) visit(root, root);
  return found;
}

/**
 * One check as a suite outcome: a hit is one failure, and so is a scan that did not see a file
 * matching `mustScan` (say, the extension's log channel): it would prove nothing.
 */
export function scanForSecret(name: string, roots: readonly string[], secret: string, mustScan?: RegExp): SuiteOutcome {
  const started = Date.now();
  const scanned: string[] = [];
  const found = filesContaining(roots, secret, scanned);
  const problems = found.map((file) => `the canary token is in ${file}`);
  if (mustScan && !scanned.some((file) => mustScan.test(file)))
    problems.push(`no file matching ${mustScan} was there to scan (${scanned.length} files scanned)`);
  return {
    name,
    passed: problems.length ? 0 : 1,
    failed: problems.length ? 1 : 0,
    pending: 0,
    durationMs: Date.now() - started,
    problems,
  };
}
