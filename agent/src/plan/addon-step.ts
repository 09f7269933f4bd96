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
export type ApplyReason = "new" | "retry" | "drift" | "resync";

/**
 * Whether to apply the held bundle: when it is not applied yet ("new"; a bundle the API server
 * refused only once the refusal is a resync period old, "retry"); when the watch shows an applied
 * object deleted or changed by someone else ("drift": only the drifted objects are applied again);
 * when the last apply is old ("resync"): a resync period old if some of its kinds are not watched
 * (nothing else would see their drift), `reapplyMs` old otherwise, as a safety net behind the watch.
 * Neither of the last two under driftPolicy Report.
 */
export function applyStep(
  i: Clocked & { held: string; applied?: Stamp; refused?: Stamp; drifted: boolean; watched: boolean; reapplyMs: number; driftPolicy: DriftPolicy },
): ApplyReason | undefined {
  if (i.applied?.digest !== i.held) {
    if (i.refused?.digest !== i.held) return "new";
    return isDue(i.refused.at, i) ? "retry" : undefined;
  }
  if (i.driftPolicy === "Report") return undefined;
  if (i.drifted) return "drift";
  return i.now - i.applied.at >= resyncPeriod(i) ? "resync" : undefined;
}

/** How old an apply may get before it is repeated whole. */
export const resyncPeriod = (i: Clocked & { watched: boolean; reapplyMs: number }): number => (i.watched ? Math.max(i.reapplyMs, i.resyncMs) : i.resyncMs);

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
 * without any event; undefined when nothing is pending. `stamps` fall due a resync period after
 * they were taken, `dueAt` at the time given.
 */
export function nextLookInMs(i: Clocked & { stamps: readonly (number | undefined)[]; dueAt?: readonly (number | undefined)[] }): number | undefined {
  let next: number | undefined;
  const due = [...i.stamps.map((at) => (at === undefined ? undefined : at + i.resyncMs)), ...(i.dueAt ?? [])];
  for (const at of due) {
    if (at === undefined) continue;
    const wait = Math.max(1, at - i.now);
    next = next === undefined ? wait : Math.min(next, wait);
  }
  return next;
}
