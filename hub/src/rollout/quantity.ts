/**
 * Counts and durations of a rollout strategy, as the CRD writes them: a count or a percentage of the
 * placement's clusters (`2`, `"25%"`), and Go durations (`"90s"`, `"1h30m"`, `"0.5s"`). Pure.
 */

/** A count, or a percentage of `total` rounded up (so "10%" of 5 clusters is 1, not 0). */
export function resolveQuantity(q: number | string | undefined, total: number, fallback: number | string): number {
  const v = q ?? fallback;
  if (typeof v === "number") return Math.max(0, Math.floor(v));
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v.trim());
  if (pct) return Math.ceil((Number(pct[1]) * total) / 100);
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, Math.floor(n));
  throw new RangeError(`not a count or a percentage: ${JSON.stringify(v)}`);
}

/** Go durations: one parser for hub and agent; the lean subpath keeps the CLI from loading all of shared. */
export { parseDuration } from "@flotilla/shared/duration";
