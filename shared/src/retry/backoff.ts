/**
 * The one retry policy of the project: exponential backoff with jitter, capped. Every loop that retries
 * (work queue, informer restarts, bus reads and writes, connects, lease renewals) takes its delays from
 * here, so "how long until the next try" has one definition and one set of tests.
 */
export interface BackoffPolicy {
  /** Delay before the second try. */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /**
   * Fraction of the delay that is random (default 0.2): the delay is drawn from
   * [d·(1 − jitter), d] so that many clients failing together do not retry together.
   */
  jitter?: number;
}

/** Defaults for talking to an API server or the bus after a failure. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/**
 * Delay before try `attempt + 1`, after `attempt` consecutive failures (attempt ≥ 1). Pure: the random
 * source is passed in (a number in [0, 1)).
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const factor = policy.factor ?? 2;
  const jitter = Math.min(Math.max(policy.jitter ?? 0.2, 0), 1);
  const n = Math.max(attempt, 1) - 1;
  // Cap the exponent before raising, so a long outage cannot overflow to Infinity.
  const maxExp = factor > 1 ? Math.ceil(Math.log(policy.maxMs / policy.baseMs) / Math.log(factor)) + 1 : 0;
  const raw = Math.min(policy.maxMs, policy.baseMs * factor ** Math.min(n, Math.max(maxExp, 0)));
  return Math.round(raw * (1 - jitter * random()));
}

/** Consecutive-failure counter over a policy: `next()` after a failure, `reset()` after a success. */
export class Backoff {
  private failures = 0;
  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** Counts a failure and returns the delay before the next try. */
  next(): number {
    this.failures += 1;
    return backoffDelay(this.policy, this.failures, this.random);
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
