import { Backoff, DEFAULT_BACKOFF, kubeErrorMessage, type BackoffPolicy, type Clock, type Logger } from "@flotilla/shared";

export interface RetryOptions {
  logger: Logger;
  signal: AbortSignal;
  clock: Clock;
  policy?: BackoffPolicy;
  random?: () => number;
}

/** Runs `fn` until it succeeds, backing off between tries; rejects only when `signal` aborts. */
export async function retryUntilDone<T>(fn: () => Promise<T>, what: string, o: RetryOptions): Promise<T> {
  const backoff = new Backoff(o.policy ?? DEFAULT_BACKOFF, o.random);
  for (;;) {
    o.signal.throwIfAborted();
    try {
      return await fn();
    } catch (err) {
      o.signal.throwIfAborted();
      const retryInMs = backoff.next();
      o.logger.warn({ err: kubeErrorMessage(err), attempt: backoff.attempts, retryInMs }, `cannot ${what} yet; retrying`);
      await o.clock.sleep(retryInMs, o.signal);
    }
  }
}
