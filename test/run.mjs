// `npm test`: every suite in order, then one line with the total over all of them.
// A check that is not a test runner (type-check, lint, build) counts as one test.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);

function findTests(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const found = [];
  for (const entry of readdirSync(abs)) {
    const path = join(abs, entry);
    if (statSync(path).isDirectory()) found.push(...findTests(join(dir, entry)));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found.sort();
}

const mocha = (dir, timeoutMs) => () => {
  const files = findTests(dir);
  return files.length ? [bin('mocha'), '--reporter', 'spec', '--timeout', String(timeoutMs), '--exit', ...files] : null;
};

const stages = [
  { name: 'typecheck', kind: 'check', cmd: () => [bin('tsc'), '-p', '.'] },
  { name: 'lint', kind: 'check', cmd: () => ['npm', 'run', '--silent', 'lint'] },
  { name: 'build', kind: 'check', cmd: () => ['npm', 'run', '--silent', 'build'] },
  { name: 'unit', kind: 'mocha', cmd: mocha('out/test/unit', 10000) },
  { name: 'api', kind: 'mocha', cmd: mocha('out/test/api', 30000) },
  { name: 'conformance', kind: 'mocha', cmd: mocha('out/test/conformance', 120000) },
  {
    name: 'vscode',
    kind: 'counts',
    cmd: () =>
      existsSync(join(root, 'out/test/harness/run-vscode-tests.js')) ? ['node', join(root, 'out/test/harness/run-vscode-tests.js')] : null,
  },
];

function run(argv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const tee = (stream, out) =>
      stream.on('data', (chunk) => {
        text += chunk;
        out.write(chunk);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('error', (err) => {
      text += String(err);
      resolve({ code: 1, text });
    });
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
}

function counts(stage, { code, text }) {
  if (stage.kind === 'check') return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  let passed = 0,
    failed = 0,
    seen = false;
  if (stage.kind === 'mocha') {
    const p = text.match(/^\s*(\d+) passing/m),
      f = text.match(/^\s*(\d+) failing/m);
    if (p) {
      passed = +p[1];
      seen = true;
    }
    if (f) {
      failed = +f[1];
      seen = true;
    }
  } else {
    const all = [...text.matchAll(/^.*?(\d+) passed, (\d+) failed/gm)];
    if (all.length) {
      const last = all[all.length - 1];
      passed = +last[1];
      failed = +last[2];
      seen = true;
    }
  }
  // A runner that died without counting is one failure, never silence.
  if (code !== 0 && failed === 0) failed = 1;
  if (!seen && code === 0) return { passed: 0, failed: 0 };
  return { passed, failed };
}

let passed = 0,
  failed = 0;
const summary = [];
for (const stage of stages) {
  if (only.length && !only.includes(stage.name)) continue;
  const argv = stage.cmd();
  if (!argv) {
    summary.push(`${stage.name}: no tests`);
    continue;
  }
  console.log(
    `\n=== ${stage.name}: ${argv
      .map((a) => a.replace(root, ''))
      .slice(0, 4)
      .join(' ')}${argv.length > 4 ? ' …' : ''}`,
  );
  const started = Date.now();
  const c = counts(stage, await run(argv));
  passed += c.passed;
  failed += c.failed;
  summary.push(`${stage.name}: ${c.passed} passed, ${c.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (stage.name === 'typecheck' && c.failed) break; // nothing later can run without out/
}
console.log('\n' + summary.map((s) => '  ' + s).join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
