import type { StructuralSchema } from "./types.js";

/**
 * Formats both sides check alike: JSON Schema's (as ajv-formats, the hub's validator, reads them) and
 * apiextensions'. Others are dropped and listed: `duration` means ISO 8601 (`PT1H`) in JSON Schema and a
 * Go duration (`1h`) in Kubernetes, `regex`, `uri-reference`, `time`… have no Kubernetes twin.
 */
export const SHARED_FORMATS = new Set(["uri", "email", "hostname", "ipv4", "ipv6", "uuid", "byte", "password", "date", "date-time", "int32", "int64", "float", "double"]);

/**
 * Whether an ECMAScript pattern means the same under RE2 (Go's regexp, which the API server uses), after
 * `toRe2`. Lookaround and backreferences do not exist in RE2; `\u` escapes are rewritten. A pattern
 * JavaScript itself refuses is not kept either.
 */
export function re2Pattern(pattern: string): { ok: true; pattern: string } | { ok: false; why: string } {
  try {
    new RegExp(pattern, "u");
  } catch {
    return { ok: false, why: "not a valid ECMAScript regular expression" };
  }
  if (/\(\?<?[=!]/.test(pattern)) return { ok: false, why: "lookaround has no RE2 form (Kubernetes validates with Go's regexp)" };
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(pattern)) return { ok: false, why: "backreferences have no RE2 form (Kubernetes validates with Go's regexp)" };
  if (/(^|[^\\])(\\\\)*\\[ck]/.test(pattern)) return { ok: false, why: "control and named-backreference escapes have no RE2 form" };
  // \uXXXX and \u{X…} → \x{…}; everything else of the common subset reads the same in both.
  const out = pattern.replace(/(^|[^\\])((?:\\\\)*)\\u(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{4}))/g, (_m, pre: string, bs: string, long?: string, short?: string) => `${pre}${bs}\\x{${long ?? short}}`);
  return { ok: true, pattern: out };
}

/** `exclusiveMinimum: 3` (draft 6+) or `minimum: 3, exclusiveMinimum: true` (draft 4) → OpenAPI 3.0's form. */
export function bound(s: Record<string, unknown>, side: "min" | "max"): Pick<StructuralSchema, "minimum" | "exclusiveMinimum" | "maximum" | "exclusiveMaximum"> {
  const inclusive = s[side === "min" ? "minimum" : "maximum"];
  const exclusive = s[side === "min" ? "exclusiveMinimum" : "exclusiveMaximum"];
  const tighter = (a: number, b: number) => (side === "min" ? a > b : a < b);
  let value: number | undefined;
  let excl = false;
  if (typeof inclusive === "number") {
    value = inclusive;
    excl = exclusive === true;
  }
  if (typeof exclusive === "number" && (value === undefined || !tighter(value, exclusive))) {
    value = exclusive;
    excl = true;
  }
  if (value === undefined) return {};
  return side === "min" ? { minimum: value, ...(excl ? { exclusiveMinimum: true } : {}) } : { maximum: value, ...(excl ? { exclusiveMaximum: true } : {}) };
}

const MAX_DEFAULT_IN_DESCRIPTION = 200;

/**
 * The description, with the title when there is no description, and the chart default appended. The
 * default is not carried as `default`: the API server would write it into every config object, and a
 * config object's values override the CMA's and the placement's, so a chart default would silently win
 * over the fleet admin's settings.
 */
export function describe(s: Record<string, unknown>): string | undefined {
  const base = typeof s.description === "string" ? s.description : typeof s.title === "string" ? s.title : undefined;
  if (s.default === undefined) return base;
  const d = JSON.stringify(s.default);
  if (d === undefined || d.length > MAX_DEFAULT_IN_DESCRIPTION) return base;
  return base ? `${base}\n\nChart default: ${d}` : `Chart default: ${d}`;
}

export const isNonNegInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
