/**
 * A token bucket as a pure function of its state and `now` (ms): `capacity` tokens at most, refilled
 * at `perSecond`. A burst of up to `capacity` passes at once; after it, requests pass at the rate.
 */
export interface TokenBucketPolicy {
  capacity: number;
  perSecond: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was last computed (ms). */
  at: number;
}

export type RateDecision =
  | { allowed: true; state: BucketState }
  /** `state` is the refilled bucket, nothing taken; `retryAfterMs` is when `cost` tokens will be there. */
  | { allowed: false; state: BucketState; retryAfterMs: number };

/**
 * The bucket at `now`. A new bucket starts full. A clock that went back refills nothing and restarts
 * from `now`, so a jump back can neither mint tokens nor lock a key out until the clock catches up.
 */
export function refill(policy: TokenBucketPolicy, state: BucketState | undefined, now: number): BucketState {
  if (!state) return { tokens: policy.capacity, at: now };
  const elapsed = Math.max(0, now - state.at);
  return { tokens: Math.min(policy.capacity, state.tokens + (elapsed * policy.perSecond) / 1000), at: now };
}

/** Whether `cost` tokens can be taken at `now`, and the bucket after (taken from only when allowed). */
export function takeTokens(policy: TokenBucketPolicy, state: BucketState | undefined, now: number, cost = 1): RateDecision {
  const s = refill(policy, state, now);
  if (s.tokens >= cost) return { allowed: true, state: { tokens: s.tokens - cost, at: now } };
  const retryAfterMs = cost > policy.capacity || policy.perSecond <= 0 ? Infinity : Math.ceil(((cost - s.tokens) * 1000) / policy.perSecond);
  return { allowed: false, state: s, retryAfterMs };
}

/** A bucket that is full at `now` is the same as no bucket: it can be forgotten. */
export const isFull = (policy: TokenBucketPolicy, state: BucketState, now: number): boolean => refill(policy, state, now).tokens >= policy.capacity;
