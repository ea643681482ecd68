import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesContaining, scanForSecret } from './secret-scan';

describe('secret scan', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'crg-scan-'));
    mkdirSync(join(root, 'logs', 'exthost'), { recursive: true });
    writeFileSync(join(root, 'logs', 'exthost', 'clean.log'), 'nothing to see\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the secret in nested files, in UTF-8 and UTF-16', () => {
    writeFileSync(join(root, 'logs', 'exthost', 'leak.log'), 'Bearer s3cret-canary\n');
    writeFileSync(join(root, 'state.bin'), Buffer.from('x s3cret-canary y', 'utf16le'));
    assert.deepEqual(filesContaining([root], 's3cret-canary').sort(), [join('logs', 'exthost', 'leak.log'), 'state.bin']);
    const outcome = scanForSecret('scan', [root], 's3cret-canary');
    assert.equal(outcome.failed, 1);
    assert.ok(outcome.problems.every((p) => !p.includes('Bearer')));
  });

  it('passes when no file holds it', () => {
    assert.deepEqual(filesContaining([root], 's3cret-canary'), []);
    assert.equal(scanForSecret('scan', [root], 's3cret-canary').passed, 1);
    assert.equal(scanForSecret('scan', [root], 's3cret-canary', /clean\.log$/).passed, 1);
  });

  it('fails when the file it must look into is not there', () => {
    const outcome = scanForSecret('scan', [root], 's3cret-canary', /Cloud Run Global\.log$/);
    assert.equal(outcome.failed, 1);
    assert.match(outcome.problems[0], /no file matching/);
  });
});
