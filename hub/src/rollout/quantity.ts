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

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A Go duration (the units the CRD allows: ms, s, m, h) in milliseconds. */
export function parseDuration(d: string | undefined, fallback: string): number {
  const text = (d ?? fallback).trim();
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let ms = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    ms += Number(m[1]) * (UNIT_MS[m[2] ?? ""] ?? NaN);
    end = re.lastIndex;
  }
  if (end === 0 || end !== text.length || !Number.isFinite(ms)) throw new RangeError(`not a duration: ${JSON.stringify(text)}`);
  return Math.round(ms);
}
