/**
 * Where one cluster stands relative to the update revision R (DESIGN §6). Pure: facts with their
 * timestamps and `now` in, a state and when it next changes by itself out.
 */

/** What the rollout knows of one target cluster (from its MCA status and presence). */
export interface ClusterView {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** The agent's presence is within its grace. */
  reachable: boolean;
  /** MCA `status.desiredRevision`. */
  desiredRevision?: string;
  /** When `desiredRevision` took its current value (ms since the epoch). */
  desiredSince?: number;
  /** MCA `status.appliedRevision`, as the agent reports it. */
  appliedRevision?: string;
  /** Available on `appliedRevision`, and since when (ms). */
  availableSince?: number;
  /** The agent reported `desiredRevision` failed (apply refused, a workload failed). */
  failed: boolean;
  /** May not start now (an addon it depends on is not Available there); it keeps its place in the order. */
  blocked?: boolean;
}

export type ClusterState =
  | "ToApply" // desired is not R
  | "Progressing" // desired is R, not yet Available on it
  | "Soaking" // Available on R for less than minSuccessTime: still holds its slot
  | "Succeeded" // Available on R for minSuccessTime
  | "Failed" // reported failed on R
  | "TimedOut"; // not Available on R within progressDeadline (counts as failed)

export interface Timing {
  minSuccessMs: number;
  progressDeadlineMs: number;
  now: number;
}

export interface Classified {
  state: ClusterState;
  /** When the state changes by itself (soaking ends, the deadline passes); undefined: it does not. */
  changesAt?: number;
}

export function classify(c: ClusterView, revision: string, t: Timing): Classified {
  if (c.desiredRevision !== revision) return { state: "ToApply" };
  if (c.failed) return { state: "Failed" };
  if (c.appliedRevision === revision && c.availableSince !== undefined) {
    const doneAt = c.availableSince + t.minSuccessMs;
    return doneAt <= t.now ? { state: "Succeeded" } : { state: "Soaking", changesAt: doneAt };
  }
  const deadline = (c.desiredSince ?? t.now) + t.progressDeadlineMs;
  return deadline <= t.now ? { state: "TimedOut" } : { state: "Progressing", changesAt: deadline };
}

/** Holds one of the concurrency window's slots. */
export const inFlight = (s: ClusterState): boolean => s === "Progressing" || s === "Soaking";
/** Counts against maxFailures (and fails a canary). */
export const isFailure = (s: ClusterState): boolean => s === "Failed" || s === "TimedOut";
