import type { StructuralSchema } from "./types.js";

/**
 * Formats Kubernetes checks at least as loosely as the hub's validator (ajv-formats) does, so keeping
 * them never refuses a value the chart allows. Left out, and listed as widened: `date-time` (ajv also
 * takes `t` or a space for `T`, and second 60), `uuid` (ajv takes a `urn:uuid:` prefix), `hostname`
 * (Kubernetes wants a top-level label of two letters or more: `a.b` and `10.0.0.1` fail), `duration`
 * (ISO 8601 `PT1H` in JSON Schema, a Go duration `1h` in Kubernetes), and those Kubernetes does not know.
 */
export const SHARED_FORMATS = new Set(["uri", "email", "ipv4", "ipv6", "byte", "password", "date", "int32", "int64", "float", "double"]);

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
