import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, ValuesValidator } from "@flotilla/shared";
import { convertSchema } from "./convert.js";
import type { StructuralSchema } from "./types.js";

/**
 * "Widened, never narrowed": whatever the hub's own validator (ajv, the oracle) accepts, the converted
 * schema accepts too, so the API server never refuses configuration the chart allows. The checker
 * below follows apiextensions' rules for what it checks; it skips `pattern` and `format` (the RE2 and
 * format tables are tested against the real API server in test/src/integration/config-crd.test.ts) and
 * treats null as pruned, as the API server does for fields that are not nullable.
 */
function accepts(s: StructuralSchema, v: unknown): boolean {
  if (v === null) return true; // nullable, or pruned before validation
  if (s["x-kubernetes-int-or-string"]) {
    if (!(typeof v === "string" || Number.isInteger(v))) return false;
  } else if (s.type) {
    const ok = { object: isObj(v), array: Array.isArray(v), string: typeof v === "string", integer: Number.isInteger(v), number: typeof v === "number", boolean: typeof v === "boolean" }[s.type];
    if (!ok) return false;
  }
  if (s.enum && !s.enum.some((e) => canonicalJson(e) === canonicalJson(v))) return false;
  if (typeof v === "number") {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) return false;
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) return false;
    if (s.multipleOf !== undefined && Math.abs(v / s.multipleOf - Math.round(v / s.multipleOf)) > 1e-9) return false;
  }
  if (typeof v === "string") {
    const n = [...v].length;
    if ((s.minLength !== undefined && n < s.minLength) || (s.maxLength !== undefined && n > s.maxLength)) return false;
  }
  if (Array.isArray(v)) {
    if ((s.minItems !== undefined && v.length < s.minItems) || (s.maxItems !== undefined && v.length > s.maxItems)) return false;
    if (s["x-kubernetes-list-type"] === "set" && new Set(v.map((x) => canonicalJson(x))).size !== v.length) return false;
    if (s.items && !v.every((x) => accepts(s.items!, x))) return false;
  }
  if (isObj(v)) {
    // unknown fields of a closed object are pruned, not refused; so is null in a specified field that is not nullable
    const kept = Object.entries(v).filter(([k]) => s.properties?.[k] || s.additionalProperties || s["x-kubernetes-preserve-unknown-fields"] || !s.type);
    const present = kept.filter(([k, x]) => x !== null || (s.properties?.[k] ?? s.additionalProperties)?.nullable || !(s.properties?.[k] ?? s.additionalProperties));
    if (s.required?.some((r) => !present.some(([k]) => k === r))) return false;
    if ((s.minProperties !== undefined && present.length < s.minProperties) || (s.maxProperties !== undefined && present.length > s.maxProperties)) return false;
    for (const [k, x] of kept) {
      const sub = s.properties?.[k] ?? s.additionalProperties;
      if (sub && !accepts(sub, x)) return false;
    }
  }
  if (s.allOf && !s.allOf.every((b) => accepts(b, v))) return false;
  if (s.anyOf && !s.anyOf.some((b) => accepts(b, v))) return false;
  if (s.oneOf && s.oneOf.filter((b) => accepts(b, v)).length !== 1) return false;
  if (s.not && accepts(s.not, v)) return false;
  return true;
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const T = ["string", "integer", "number", "boolean", "object", "array", "null"] as const;
const SCALAR_T = ["string", "integer", "number", "boolean"] as const;
const KEYS = ["a", "b"] as const;
/** Schemas of a few shapes, each with a handful of keywords, so most nodes keep something to check. */
const schemaArb: fc.Arbitrary<unknown> = fc.letrec<{ s: unknown }>((tie) => {
  const type = fc.oneof(fc.constantFrom(...T), fc.uniqueArray(fc.constantFrom(...T), { minLength: 1, maxLength: 3 }));
  return {
    s: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(true, {}),
      fc.record(
        {
          type: fc.oneof(fc.constantFrom(...SCALAR_T), fc.constant(["string", "null"]), fc.constant(["integer", "string"])),
          enum: fc.array(fc.oneof(fc.constantFrom("a", "b"), fc.integer({ min: -2, max: 2 }), fc.constant(null), fc.boolean()), { minLength: 1, maxLength: 3 }),
          minimum: fc.integer({ min: -2, max: 2 }),
          exclusiveMaximum: fc.integer({ min: -2, max: 3 }),
          multipleOf: fc.constantFrom(0.5, 2),
          minLength: fc.nat(2),
        },
        { requiredKeys: ["type"] },
      ),
      fc.record({ type: fc.constantFrom(...SCALAR_T), const: fc.constantFrom("a", 1, true) }),
      fc.record({ type: fc.constantFrom("array", ["array", "null"]), items: fc.oneof(tie("s"), fc.array(tie("s"), { maxLength: 2 })), maxItems: fc.nat(3), uniqueItems: fc.boolean() }, { requiredKeys: ["type"] }),
      fc.record(
        {
          type: fc.constantFrom("object", ["object", "null"]),
          properties: fc.dictionary(fc.constantFrom(...KEYS), tie("s"), { maxKeys: 2 }),
          required: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 2 }),
          additionalProperties: fc.oneof(fc.boolean(), tie("s")),
          patternProperties: fc.dictionary(fc.constant("^a"), tie("s"), { maxKeys: 1 }),
          minProperties: fc.nat(2),
          oneOf: fc.constant([{ required: ["a"] }, { required: ["b"] }]),
        },
        { requiredKeys: ["type"] },
      ),
      fc.record({ allOf: fc.array(tie("s"), { minLength: 1, maxLength: 2 }) }),
      fc.record({ anyOf: fc.array(tie("s"), { minLength: 1, maxLength: 2 }) }),
      fc.record({ oneOf: fc.array(tie("s"), { minLength: 1, maxLength: 2 }) }),
      fc.record({ type, not: tie("s") }),
      fc.record({ type, if: tie("s"), then: tie("s") }),
      fc.record({ $ref: fc.constantFrom("#/definitions/small", "#/definitions/tree") }),
    ),
  };
}).s;

const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, false, "a", "b", "", "xyz", 0, 1, 2, -1, 0.5, 2.5),
    fc.array(tie("v"), { maxLength: 3 }),
    // plain objects: fast-check's dictionaries have no prototype, which ajv's deep equality trips on
    fc.dictionary(fc.constantFrom(...KEYS, "c"), tie("v"), { maxKeys: 3 }).map((o) => ({ ...o })),
  ),
})).v;

describe("the converted schema accepts every value the JSON Schema accepts", () => {
  const ajv = new ValuesValidator({ maxSchemas: 4096 });
  it("holds over generated schemas and values", () => {
    let checked = 0;
    fc.assert(
      fc.property(schemaArb, fc.array(valueArb, { minLength: 1, maxLength: 8 }), (s, values) => {
        const schema = { type: "object", properties: { v: s }, definitions: { small: { type: "integer", minimum: 0 }, tree: { type: "object", properties: { next: { $ref: "#/definitions/tree" } } } } };
        const converted = convertSchema(schema).schema;
        for (const v of values) {
          if (!ajv.validate(schema, { v }).ok) continue;
          checked++;
          expect(accepts(converted, { v }), `${JSON.stringify(v)} valid for ${JSON.stringify(s)} but refused by ${JSON.stringify(converted.properties?.v)}`).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
    expect(checked).toBeGreaterThan(500);
    // 1500 schemas compiled by ajv: ~2.5 s alone, several times that beside the other packages' tests
  }, 60_000);
});
