import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertSchema } from "./convert.js";
import { structuralProblems } from "./structural.js";

/** Any JSON Schema the keywords below can make, including the ones with no structural form. */
const anySchema: fc.Arbitrary<unknown> = fc.letrec<{ s: unknown }>((tie) => ({
  s: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(true, false, {}),
    fc.record(
      {
        type: fc.oneof(fc.constantFrom("string", "integer", "number", "boolean", "object", "array", "null"), fc.uniqueArray(fc.constantFrom("string", "integer", "number", "boolean", "object", "array", "null"), { maxLength: 3 })),
        enum: fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }),
        pattern: fc.constantFrom("^a+$", "^(?!x)", "(a)\\1", "\\u00e9", "[", "^\\d{2}$"),
        format: fc.constantFrom("email", "duration", "uri", "regex"),
        minimum: fc.integer(),
        exclusiveMaximum: fc.oneof(fc.integer(), fc.boolean()),
        uniqueItems: fc.boolean(),
        items: fc.oneof(tie("s"), fc.array(tie("s"), { maxLength: 2 })),
        properties: fc.dictionary(fc.constantFrom("a", "b", "c d", "x"), tie("s"), { maxKeys: 3 }),
        required: fc.uniqueArray(fc.constantFrom("a", "b", "zz"), { maxLength: 2 }),
        additionalProperties: fc.oneof(fc.boolean(), tie("s")),
        patternProperties: fc.dictionary(fc.constantFrom("^a"), tie("s"), { maxKeys: 1 }),
        allOf: fc.array(tie("s"), { maxLength: 2 }),
        anyOf: fc.array(tie("s"), { maxLength: 2 }),
        oneOf: fc.array(fc.oneof(tie("s"), fc.record({ required: fc.constant(["a"]) })), { maxLength: 2 }),
        not: tie("s"),
        if: tie("s"),
        $ref: fc.constantFrom("#/$defs/a", "#/$defs/self", "#/nope", "https://x/y.json"),
        default: fc.jsonValue({ maxDepth: 1 }),
        description: fc.string({ maxLength: 10 }),
      },
      { requiredKeys: [] },
    ),
  ),
})).s;

const withDefs = (s: unknown) => ({ type: "object", properties: { v: s }, $defs: { a: { type: "string" }, self: { type: "object", properties: { next: { $ref: "#/$defs/self" } } } } });

describe("convertSchema over generated schemas", () => {
  it("never throws, and whatever it returns is structural (or rejected with a reason)", () => {
    fc.assert(
      fc.property(anySchema, (s) => {
        const r = convertSchema(withDefs(s));
        expect(r.rejected).toBeUndefined();
        expect(structuralProblems(r.schema)).toEqual([]);
        const text = JSON.stringify(r.schema);
        expect(text).not.toContain('"$ref"');
        expect(text).not.toContain('"default"');
        expect(text).not.toContain('"uniqueItems"');
        for (const w of r.widened) expect(w.path.startsWith(".")).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("is deterministic", () => {
    fc.assert(fc.property(anySchema, (s) => {
        expect(convertSchema(withDefs(s))).toEqual(convertSchema(withDefs(s)));
      }), { numRuns: 100 });
  });

  it("widens nothing in the subset it keeps exactly", () => {
    const exact: fc.Arbitrary<unknown> = fc.letrec<{ s: unknown }>((tie) => ({
      s: fc.oneof(
        { depthSize: "small" },
        fc.record({ type: fc.constantFrom("string", "integer", "boolean"), enum: fc.constant(["a", 1, true]) }, { requiredKeys: ["type"] }),
        fc.record({ type: fc.constant(["string", "null"]), maxLength: fc.nat(9) }),
        fc.record({ type: fc.constant("array"), items: tie("s"), maxItems: fc.nat(9) }, { requiredKeys: ["type"] }),
        fc.record({ type: fc.constant("object"), properties: fc.dictionary(fc.constantFrom("a", "b"), tie("s"), { maxKeys: 2 }), additionalProperties: fc.boolean() }, { requiredKeys: ["type"] }),
        fc.record({ type: fc.constant("object"), additionalProperties: tie("s") }),
      ),
    })).s;
    fc.assert(fc.property(exact, (s) => {
        expect(convertSchema({ type: "object", properties: { v: s } }).widened).toEqual([]);
      }), { numRuns: 300 });
  });
});
