import { MAX_DIFF_OBJECTS, MAX_DIFF_RESULT_BYTES, type DiffAction, type DiffCounts, type DiffObject } from "@flotilla/shared";

/** Listed first when the answer must be cut: what the user most needs to see. */
const PRIORITY: Record<DiffAction, number> = { Error: 0, Change: 1, Create: 2, Prune: 3, Unchanged: 4 };
/** Room kept for the result's own fields around the object list. */
const ENVELOPE_BYTES = 8 * 1024;

export interface Bounded {
  objects: DiffObject[];
  /** Objects not listed at all. */
  omitted: number;
  counts: DiffCounts;
}

export function countActions(objects: readonly DiffObject[]): DiffCounts {
  const counts: DiffCounts = { Create: 0, Change: 0, Unchanged: 0, Prune: 0, Error: 0 };
  for (const o of objects) counts[o.action]++;
  return counts;
}

const size = (o: DiffObject): number => Buffer.byteLength(JSON.stringify(o)) + 1;

/** The entry with its changes (and message) dropped and counted: identity and action only. */
function slim(o: DiffObject): DiffObject {
  const { changes, message: _m, changesOmitted, ...rest } = o;
  const dropped = (changes?.length ?? 0) + (changesOmitted ?? 0);
  return dropped ? { ...rest, changesOmitted: dropped } : rest;
}

/**
 * Fits the entries into `budgetBytes` (pure). Entries are taken by priority (errors, changes,
 * creations, prunes, then unchanged), each whole while it fits, then slimmed to its identity, then
 * left out and counted; the ones kept stay in their original order. Counts always cover everything.
 */
export function boundObjects(objects: readonly DiffObject[], budgetBytes = MAX_DIFF_RESULT_BYTES - ENVELOPE_BYTES, maxObjects = MAX_DIFF_OBJECTS): Bounded {
  const order = objects.map((o, i) => ({ o, i })).sort((a, b) => PRIORITY[a.o.action] - PRIORITY[b.o.action] || a.i - b.i);
  const kept = new Map<number, DiffObject>();
  let left = budgetBytes;
  for (const { o, i } of order) {
    if (kept.size >= maxObjects) break;
    const whole = size(o);
    if (whole <= left) {
      kept.set(i, o);
      left -= whole;
      continue;
    }
    const s = slim(o);
    const small = size(s);
    if (small <= left) {
      kept.set(i, s);
      left -= small;
    }
  }
  const listed = [...kept.entries()].sort(([a], [b]) => a - b).map(([, o]) => o);
  return { objects: listed, omitted: objects.length - listed.length, counts: countActions(objects) };
}
