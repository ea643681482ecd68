// Every call to Google goes through here: one place for timing, logging, retries and error mapping.
import { CloudError, ErrorContext, toCloudError } from './errors';
import { DEFAULT_RETRY, RetryPolicy, withRetry } from './retry';

export type RequestLog = (line: string) => void;

export interface RequestContext {
  project: string;
  /** Non-Google root URL, for messages; undefined for Google. */
  endpoint?: string;
  retry?: RetryPolicy;
  log?: RequestLog;
}

export interface CallOptions {
  /** What the request does, in words: `list backend services`, `create URL map "x"`. */
  action: string;
  /** Safe to send again after a failure whose outcome is unknown. */
  repeatable: boolean;
  signal?: AbortSignal;
}

export async function callGoogle<T>(
  context: RequestContext,
  options: CallOptions,
  send: (signal?: AbortSignal) => Promise<{ data: T }>,
): Promise<T> {
  const errorContext: ErrorContext = { action: options.action, project: context.project, endpoint: context.endpoint };
  return withRetry(
    context.retry ?? DEFAULT_RETRY,
    async (attempt) => {
      const started = Date.now();
      const suffix = attempt > 1 ? ` (attempt ${attempt})` : '';
      try {
        const response = await send(options.signal);
        context.log?.(`${options.action}: ok in ${Date.now() - started} ms${suffix}`);
        return response.data;
      } catch (err) {
        const mapped = options.signal?.aborted
          ? new CloudError(`Cancelled: ${options.action}.`, { kind: 'cancelled', action: options.action })
          : toCloudError(err, errorContext);
        context.log?.(
          `${options.action}: ${mapped.kind}${mapped.status ? ` ${mapped.status}` : ''} in ${Date.now() - started} ms${suffix}`,
        );
        throw mapped;
      }
    },
    {
      signal: options.signal,
      shouldRetry: (err) => options.repeatable && err instanceof CloudError && err.retryable,
      onRetry: (err, attempt, delay) =>
        context.log?.(`${options.action}: retrying in ${delay} ms after ${(err as CloudError).kind} (attempt ${attempt} failed)`),
    },
  );
}
