const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * A Go duration with the units the CRDs and annotations allow (ms, s, m, h: `"90s"`, `"1h30m"`,
 * `"0.5s"`) in milliseconds; `fallback` when `d` is undefined. Pure; RangeError on anything else.
 */
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
