import assert from 'node:assert/strict';
import { CloudError } from '../../src/core/gcp/errors';
import { backoffDelay, RetryPolicy, withRetry } from '../../src/core/gcp/retry';

const fast: RetryPolicy = { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 4, maxElapsedMs: 1000 };
const transient = () => new CloudError('down', { kind: 'transient' });

describe('withRetry', () => {
  it('retries until success and reports each retry', async () => {
    const retries: number[] = [];
    let calls = 0;
    const value = await withRetry(
      fast,
      async () => {
        if (++calls < 3) throw transient();
        return 'ok';
      },
      { shouldRetry: (e) => (e as CloudError).retryable, onRetry: (_e, attempt) => retries.push(attempt) },
    );
    assert.equal(value, 'ok');
    assert.equal(calls, 3);
    assert.deepEqual(retries, [1, 2]);
  });

  it('stops after maxAttempts and throws the last error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        fast,
        async () => {
          calls++;
          throw transient();
        },
        { shouldRetry: () => true },
      ),
      /down/,
    );
    assert.equal(calls, 4);
  });

  it('stops when the next delay would pass maxElapsedMs', async () => {
    let clock = 0;
    let calls = 0;
    const policy = { maxAttempts: 100, initialDelayMs: 100, maxDelayMs: 100, maxElapsedMs: 250 };
    await assert.rejects(
      withRetry(
        policy,
        async () => {
          calls++;
          clock += 100;
          throw transient();
        },
        { shouldRetry: () => true, random: () => 1, now: () => clock },
      ),
    );
    assert.equal(calls, 2);
  });

  it('never retries what shouldRetry refuses', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        fast,
        async () => {
          calls++;
          throw new CloudError('bad', { kind: 'invalid' });
        },
        { shouldRetry: (e) => (e as CloudError).retryable },
      ),
    );
    assert.equal(calls, 1);
  });

  it('gives up at once when cancelled while waiting', async () => {
    const controller = new AbortController();
    const policy = { maxAttempts: 5, initialDelayMs: 10000, maxDelayMs: 10000, maxElapsedMs: 60000 };
    const started = Date.now();
    const run = withRetry(
      policy,
      async () => {
        throw transient();
      },
      { shouldRetry: () => true, random: () => 1, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(run, (err: CloudError) => err.kind === 'cancelled');
    assert.ok(Date.now() - started < 2000);
  });
});

describe('backoffDelay', () => {
  it('doubles its ceiling per attempt up to maxDelayMs, with full jitter', () => {
    const policy = { maxAttempts: 9, initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 1e6 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((a) => backoffDelay(policy, a, () => 1)),
      [100, 200, 400, 800, 1000],
    );
    assert.equal(
      backoffDelay(policy, 3, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(policy, 3, () => 0.5),
      200,
    );
  });
});
