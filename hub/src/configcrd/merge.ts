import { canonicalJson } from "@flotilla/shared";
import { isSchemaObject, type JsonSchema } from "./refs.js";

/**
 * Folds one `allOf` branch into its parent (both already free of a top-level `$ref`). allOf means
 * "all of these hold", so properties merge (a property in both becomes an allOf of the two), `required`
 * is the union, bounds take the tighter value, enums intersect, types intersect. A keyword the two set
 * differently and that has no such rule is dropped: the result accepts more, never less, and the
 * dropped keyword is returned so the caller can list it as widened.
 */
export function mergeBranch(parent: JsonSchema, branch: JsonSchema): { merged: JsonSchema; dropped: string[] } {
  const out: JsonSchema = { ...parent };
  const dropped: string[] = [];
  for (const [k, bv] of Object.entries(branch)) {
    const av = out[k];
    if (av === undefined) {
      out[k] = bv;
      continue;
    }
    if (canonicalJson(av) === canonicalJson(bv)) continue;
    const rule = RULES[k];
    const v = rule ? rule(av, bv) : KEEP_FIRST.has(k) ? av : DROP;
    if (v === DROP) {
      delete out[k];
      dropped.push(k);
    } else out[k] = v;
  }
  return { merged: out, dropped };
}

const DROP = Symbol("drop");
type Rule = (a: unknown, b: unknown) => unknown;

const num = (pick: (a: number, b: number) => number): Rule => (a, b) => (typeof a === "number" && typeof b === "number" ? pick(a, b) : DROP);
const lower = num(Math.max);
const upper = num(Math.min);

const typeList = (t: unknown): string[] | undefined => (typeof t === "string" ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : undefined);

const RULES: Record<string, Rule> = {
  type: (a, b) => {
    const la = typeList(a);
    const lb = typeList(b);
    if (!la || !lb) return DROP;
    // integer is a number: ["number"] ∩ ["integer"] = ["integer"]
    const both = la.flatMap((x) => lb.flatMap((y) => (x === y ? [x] : x === "number" && y === "integer" ? [y] : x === "integer" && y === "number" ? [x] : [])));
    return both.length ? [...new Set(both)] : DROP;
  },
  properties: (a, b) => {
    if (!isSchemaObject(a) || !isSchemaObject(b)) return DROP;
    const out: JsonSchema = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? { allOf: [out[k], v] } : v;
    return out;
  },
  required: (a, b) => (Array.isArray(a) && Array.isArray(b) ? [...new Set([...a, ...b])] : DROP),
  enum: (a, b) => {
    if (!Array.isArray(a) || !Array.isArray(b)) return DROP;
    const keys = new Set(b.map((x) => canonicalJson(x)));
    return a.filter((x) => keys.has(canonicalJson(x)));
  },
  allOf: (a, b) => (Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : DROP),
  items: (a, b) => (isSchemaObject(a) && isSchemaObject(b) ? { allOf: [a, b] } : DROP),
  additionalProperties: (a, b) => (a === false || b === false ? false : a === true ? b : b === true ? a : { allOf: [a, b] }),
  minimum: lower,
  minLength: lower,
  minItems: lower,
  minProperties: lower,
  maximum: upper,
  maxLength: upper,
  maxItems: upper,
  maxProperties: upper,
  uniqueItems: (a, b) => a === true || b === true,
};

/** Annotations: the first branch's wins, nothing is lost for validation. */
const KEEP_FIRST = new Set(["description", "title", "default", "examples", "$comment", "$schema", "$id"]);
