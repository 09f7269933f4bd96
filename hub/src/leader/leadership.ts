import { errorMessage, retryUntil, type BackoffPolicy, type Clock, type Logger } from "@flotilla/shared";
import { AbortedError } from "../kube/abort.js";
import type { Session } from "../session/session.js";

/** Session starts are retried from 2 s up to 30 s apart. */
export const SESSION_RETRY: BackoffPolicy = { baseMs: 2000, maxMs: 30_000, factor: 2, jitter: 0.2 };

export interface LeadershipOptions {
  /** Starts the controllers; rejects with AbortedError when `signal` aborts first. */
  startSession: (signal: AbortSignal) => Promise<Session>;
  /** Told when leadership starts (true) and ends (false). */
  onLeading: (leading: boolean) => void;
  clock: Clock;
  logger: Logger;
  retry?: BackoffPolicy;
  random?: () => number;
}

/**
 * The controllers that run while this process leads: `start` starts a session (retrying with backoff
 * until it starts or leadership ends), `stop` cancels a start in flight or stops the running session.
 */
export class Leadership {
  private session: Session | undefined;
  private leading = false;
  private starting: { abort: AbortController; done: Promise<void> } | undefined;

  constructor(private readonly o: LeadershipOptions) {}

  get current(): Session | undefined {
    return this.session;
  }

  isLeading(): boolean {
    return this.leading;
  }

  start(): void {
    this.leading = true;
    this.o.onLeading(true);
    const abort = new AbortController();
    this.starting = { abort, done: this.startWithRetry(abort.signal) };
  }

  async stop(): Promise<void> {
    this.leading = false;
    this.o.onLeading(false);
    if (this.starting) {
      this.starting.abort.abort();
      await this.starting.done;
      this.starting = undefined;
    }
    const s = this.session;
    this.session = undefined;
    await s?.stop();
    this.o.logger.info("controllers stopped");
  }

  private async startWithRetry(signal: AbortSignal): Promise<void> {
    try {
      this.session = await retryUntil(() => this.o.startSession(signal), {
        policy: this.o.retry ?? SESSION_RETRY,
        clock: this.o.clock,
        signal,
        ...(this.o.random ? { random: this.o.random } : {}),
        isRetryable: (err) => !(err instanceof AbortedError),
        onRetry: (err, _attempt, retryInMs) => this.o.logger.error({ err: errorMessage(err), retryInMs }, "could not start the controllers"),
      });
    } catch (err) {
      if (!signal.aborted && !(err instanceof AbortedError)) throw err;
    }
  }
}
