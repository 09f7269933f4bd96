import type { DriftPolicy } from "@flotilla/shared";

/**
 * What the per-addon reconcile does, decided from what it reads and `now` (pure). The agent keeps
 * facts with the time it learned them (a digest applied, rejected or refused, a report sent); the
 * periodic resync is nothing but "that fact is older than the resync period".
 */

/** A digest and when it got where it is. */
export interface Stamp {
  digest: string;
  at: number;
}

export interface Clocked {
  now: number;
  resyncMs: number;
}

/** Whether a fact learned `at` is due for another look. */
export const isDue = (at: number, c: Clocked): boolean => c.now - at >= c.resyncMs;

/**
 * Whether the addon's bundle must be read from the bus: not when the agent holds the one the index
 * names, nor when that one was dropped as invalid less than a resync period ago (a digest names one
 * content, so reading it again sooner would only drop it again).
 */
export function bundleStep(i: Clocked & { wanted: string; held?: string; rejected?: Stamp }): "held" | "read" | "rejected" {
  if (i.held === i.wanted) return "held";
  if (i.rejected?.digest === i.wanted && !isDue(i.rejected.at, i)) return "rejected";
  return "read";
}

/** Why the held bundle is applied now; undefined: it is not. */
export type ApplyReason = "new" | "retry" | "missing" | "resync";

/**
 * Whether to apply the held bundle: when it is not applied yet ("new"; a bundle the API server
 * refused only once the refusal is a resync period old, "retry"); when an object it applied was
 * deleted by someone else ("missing"); when the last apply is a resync period old, to undo drift
 * ("resync"). Neither of the last two under driftPolicy Report.
 */
export function applyStep(i: Clocked & { held: string; applied?: Stamp; refused?: Stamp; ownedMissing: boolean; driftPolicy: DriftPolicy }): ApplyReason | undefined {
  if (i.applied?.digest !== i.held) {
    if (i.refused?.digest !== i.held) return "new";
    return isDue(i.refused.at, i) ? "retry" : undefined;
  }
  if (i.driftPolicy === "Report") return undefined;
  if (i.ownedMissing) return "missing";
  return isDue(i.applied.at, i) ? "resync" : undefined;
}

/** The last report handed to the status writer. */
export interface SentReport {
  fingerprint: string;
  at: number;
}

/** Send the report when it says something new, or when the last one is a resync period old (heals a lost put). */
export function reportDue(i: Clocked & { fingerprint: string; last?: SentReport }): boolean {
  return !i.last || i.last.fingerprint !== i.fingerprint || isDue(i.last.at, i);
}

/**
 * How long until one of the facts is due (ms, at least 1), so the addon is looked at again then
 * without any event; undefined when nothing is pending.
 */
export function nextLookInMs(i: Clocked & { stamps: readonly (number | undefined)[] }): number | undefined {
  let next: number | undefined;
  for (const at of i.stamps) {
    if (at === undefined) continue;
    const wait = Math.max(1, at + i.resyncMs - i.now);
    next = next === undefined ? wait : Math.min(next, wait);
  }
  return next;
}
