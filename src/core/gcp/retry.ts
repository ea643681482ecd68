// Exponential backoff with full jitter, bounded both in attempts and in elapsed time.
import { CloudError } from './errors';

export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** No new attempt starts after this much time since the first. */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 250, maxDelayMs: 8000, maxElapsedMs: 60000 };

export interface RetryHooks {
  signal?: AbortSignal;
  shouldRetry: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  random?: () => number;
  now?: () => number;
}

export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(): CloudError {
  return new CloudError('Cancelled.', { kind: 'cancelled' });
}

export async function withRetry<T>(policy: RetryPolicy, attemptOnce: (attempt: number) => Promise<T>, hooks: RetryHooks): Promise<T> {
  const now = hooks.now ?? Date.now;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    if (hooks.signal?.aborted) throw cancelled();
    try {
      return await attemptOnce(attempt);
    } catch (err) {
      if (attempt >= policy.maxAttempts || !hooks.shouldRetry(err)) throw err;
      const delay = backoffDelay(policy, attempt, hooks.random);
      if (now() - started + delay > policy.maxElapsedMs) throw err;
      hooks.onRetry?.(err, attempt, delay);
      await sleep(delay, hooks.signal);
    }
  }
}
