import type { ErrorCode } from "../errors.js";
import { backoffDelay, type BackoffPolicy } from "../retry/backoff.js";

/** What a work queue does with a key whose reconcile failed. */
export type RetryAction =
  /** Not retried: trying again unchanged cannot help; the reconciler turns it into a condition. */
  | { kind: "drop" }
  /** Run again at once: someone else wrote first, a fresh read will most likely succeed. */
  | { kind: "requeue" }
  | { kind: "backoff"; delayMs: number };

/** Consecutive failures of one key since its last success. */
export interface KeyFailures {
  /** Backoffs so far; each one waits longer. */
  backoffs: number;
  /** Conflicts requeued at once since the last backoff. */
  conflicts: number;
}

export const NO_FAILURES: KeyFailures = { backoffs: 0, conflicts: 0 };

export interface RetryPolicy {
  backoff: BackoffPolicy;
  /** Conflicts in a row requeued at once before one backoff, so two writers cannot spin forever. */
  maxImmediateConflicts: number;
}

/**
 * The work queue's decision after a failure (pure; the random source is passed in): Terminal and
 * Invalid are dropped, a Conflict is requeued at once up to `maxImmediateConflicts` times in a row,
 * and everything else (Retryable, NotFound, Gone, Forbidden, a conflict too many) backs off per key.
 */
export function retryAction(code: ErrorCode, prior: KeyFailures, policy: RetryPolicy, random: () => number): { action: RetryAction; next: KeyFailures } {
  if (code === "Terminal" || code === "Invalid") return { action: { kind: "drop" }, next: NO_FAILURES };
  if (code === "Conflict" && prior.conflicts < policy.maxImmediateConflicts) {
    return { action: { kind: "requeue" }, next: { backoffs: prior.backoffs, conflicts: prior.conflicts + 1 } };
  }
  const backoffs = prior.backoffs + 1;
  return { action: { kind: "backoff", delayMs: backoffDelay(policy.backoff, backoffs, random) }, next: { backoffs, conflicts: 0 } };
}
