import { classifyError } from "../errors.js";
import { systemClock, type Clock } from "../time/clock.js";
import { Backoff, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.js";

export interface RetryOptions {
  policy?: BackoffPolicy;
  clock?: Clock;
  /** Stops the waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  random?: () => number;
  /** Whether another try can help (default: `isTransient`). */
  isRetryable?: (err: unknown) => boolean;
  /** Called before each wait, e.g. to log. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Gives up after this many tries, rejecting with the last error (default: never gives up). */
  maxAttempts?: number;
}

/** Trying the same thing again can help unless the error says it cannot (Terminal, Invalid). */
export function isTransient(err: unknown): boolean {
  const code = classifyError(err).code;
  return code !== "Terminal" && code !== "Invalid";
}

/**
 * Runs `fn` until it resolves, waiting between tries as the shared backoff policy says. Rejects with
 * the error when it is not retryable or tries run out, and with the signal's reason once aborted.
 */
export async function retryUntil<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const backoff = new Backoff(opts.policy ?? DEFAULT_BACKOFF, opts.random);
  const retryable = opts.isRetryable ?? isTransient;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      opts.signal?.throwIfAborted();
      if (!retryable(err) || (opts.maxAttempts !== undefined && attempt >= opts.maxAttempts)) throw err;
      const delay = backoff.next();
      opts.onRetry?.(err, attempt, delay);
      await clock.sleep(delay, opts.signal);
    }
  }
}
