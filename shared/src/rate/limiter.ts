import { isFull, takeTokens, type BucketState, type TokenBucketPolicy } from "./token-bucket.js";

export interface RateLimiterOptions extends TokenBucketPolicy {
  /** Keys (sources) remembered at most; past it full buckets go first, then the least recently used. */
  maxKeys?: number;
}

export type Refusal = { allowed: false; retryAfterMs: number; limitedBy: string };
export type LimitDecision = { allowed: true } | Refusal;

/**
 * Token buckets per key (a source subject, a cluster name, or one key for everything). Holds only
 * state; time comes in as `now` on every call, so it is tested without a clock. Memory is bounded by
 * `maxKeys`: forgetting a key gives that source a full bucket again, so pair a per-source limiter
 * with an overall one (`takeEach`) when sources are cheap to make up.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, BucketState>();
  private readonly maxKeys: number;

  constructor(
    readonly name: string,
    private readonly policy: RateLimiterOptions,
  ) {
    this.maxKeys = Math.max(1, policy.maxKeys ?? 10_000);
  }

  /** Takes `cost` tokens from `key`'s bucket if it has them. */
  take(key: string, now: number, cost = 1): LimitDecision {
    const d = this.peek(key, now, cost);
    if (d.allowed) this.commit(key, now, cost);
    return d;
  }

  /** Would `take` allow it? Changes nothing. */
  peek(key: string, now: number, cost = 1): LimitDecision {
    const d = takeTokens(this.policy, this.buckets.get(key), now, cost);
    return d.allowed ? { allowed: true } : { allowed: false, retryAfterMs: d.retryAfterMs, limitedBy: this.name };
  }

  /** Keys held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private commit(key: string, now: number, cost: number): void {
    const d = takeTokens(this.policy, this.buckets.get(key), now, cost);
    // Map order is insertion order: re-inserting marks the key most recently used.
    this.buckets.delete(key);
    this.buckets.set(key, d.state);
    if (this.buckets.size > this.maxKeys) this.evict(now);
  }

  private evict(now: number): void {
    for (const [k, s] of this.buckets) if (isFull(this.policy, s, now)) this.buckets.delete(k);
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(k);
    }
  }
}

/**
 * Takes from every (limiter, key) pair, or from none: a request refused by the overall limit does not
 * use up its source's tokens, nor the other way round. A refusal names the limiter and waits for the
 * slowest of the ones that refused.
 */
export function takeEach(now: number, checks: readonly { limiter: RateLimiter; key: string; cost?: number }[]): LimitDecision {
  let refused: Refusal | undefined;
  for (const c of checks) {
    const d = c.limiter.peek(c.key, now, c.cost);
    if (!d.allowed && (!refused || d.retryAfterMs > refused.retryAfterMs)) refused = d;
  }
  if (refused) return refused;
  for (const c of checks) c.limiter.take(c.key, now, c.cost);
  return { allowed: true };
}
