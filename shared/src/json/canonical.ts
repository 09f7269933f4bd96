/**
 * JSON with object keys sorted at every level, so equal content always gives equal bytes: the input of
 * revision hashes, change signatures and cache keys. Like JSON.stringify, it leaves out object
 * properties that are undefined and writes undefined array items (and undefined itself) as null.
 */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x)).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
}
