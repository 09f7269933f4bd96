import { describe, expect, it } from "vitest";
import { convertSchema } from "./convert.js";
import type { StructuralSchema } from "./types.js";

const P = "x-kubernetes-preserve-unknown-fields" as const;
/** Any value, null included. */
const ANY: StructuralSchema = { nullable: true, [P]: true };
/** Converts `{type: object, properties: {f: field}, additionalProperties: false}` and returns f. */
const field = (f: unknown) => {
  const r = convertSchema({ type: "object", properties: { f }, additionalProperties: false });
  return { schema: r.schema.properties?.f, widened: r.widened.map((w) => `${w.path} ${w.construct}`), kept: r.kept, rejected: r.rejected };
};

describe("convertSchema: kept exactly", () => {
  it.each<[string, unknown, StructuralSchema]>([
    ["string with bounds and pattern", { type: "string", minLength: 1, maxLength: 5, pattern: "^a+$" }, { type: "string", minLength: 1, maxLength: 5, pattern: "^a+$" }],
    ["\\u escape rewritten for RE2", { type: "string", pattern: "^\\u00e9$" }, { type: "string", pattern: "^\\x{00e9}$" }],
    ["\\s as JavaScript's white space", { type: "string", pattern: "^[\\sa]\\s$" }, { type: "string", pattern: `^[${"\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"}a][${"\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"}]$` }],
    ["integer bounds, draft-06 exclusive", { type: "integer", exclusiveMinimum: 0, maximum: 10 }, { type: "integer", minimum: 0, exclusiveMinimum: true, maximum: 10 }],
    ["number, draft-04 exclusive", { type: "number", minimum: 1, exclusiveMinimum: true, multipleOf: 0.5 }, { type: "number", minimum: 1, exclusiveMinimum: true, multipleOf: 0.5 }],
    ["nullable from a type list", { type: ["string", "null"] }, { type: "string", nullable: true }],
    ["nullable from anyOf of types", { anyOf: [{ type: "integer" }, { type: "null" }] }, { type: "integer", nullable: true }],
    ["int-or-string", { type: ["integer", "string"] }, { "x-kubernetes-int-or-string": true }],
    ["integer and number → number", { type: ["integer", "number"] }, { type: "number" }],
    ["enum, values of other types left out", { type: "string", enum: ["a", "b", 3] }, { type: "string", enum: ["a", "b"] }],
    ["const → enum", { type: "string", const: "x" }, { type: "string", enum: ["x"] }],
    ["shared format", { type: "string", format: "email" }, { type: "string", format: "email" }],
    ["default goes to the description", { type: "string", description: "Level.", default: "info" }, { type: "string", description: 'Level.\n\nChart default: "info"' }],
    ["title when no description", { type: "boolean", title: "On" }, { type: "boolean", description: "On" }],
    ["no type, no constraints: any value", { description: "Anything." }, { description: "Anything.", ...ANY }],
    ["true schema: any value", true, ANY],
    ["array of scalars, uniqueItems → set", { type: "array", items: { type: "string" }, uniqueItems: true, minItems: 1 }, { type: "array", minItems: 1, items: { type: "string" }, "x-kubernetes-list-type": "set" }],
    ["array without items", { type: "array" }, { type: "array", items: ANY }],
    ["map", { type: "object", additionalProperties: { type: "string" } }, { type: "object", additionalProperties: { type: "string" } }],
    ["object, additionalProperties absent: open", { type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { a: { type: "string" } }, [P]: true }],
    ["object, additionalProperties true", { type: "object", additionalProperties: true }, { type: "object", [P]: true }],
    ["object, additionalProperties false: closed", { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false }, { type: "object", properties: { a: { type: "string" } }, required: ["a"] }],
    [
      "oneOf of value checks stays",
      { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, additionalProperties: false, oneOf: [{ required: ["a"] }, { required: ["b"] }] },
      { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, oneOf: [{ required: ["a"] }, { required: ["b"] }] },
    ],
    [
      "allOf of object parts merges",
      { allOf: [{ type: "object", properties: { a: { type: "string" } }, additionalProperties: false }, { properties: { b: { type: "integer", minimum: 1 } }, required: ["b"] }] },
      { type: "object", properties: { a: { type: "string" }, b: { type: "integer", minimum: 1 } }, required: ["b"] },
    ],
  ])("%s", (_, input, want) => {
    const r = field(input);
    expect(r.rejected).toBeUndefined();
    expect(r.widened).toEqual([]);
    expect(r.schema).toEqual(want);
  });

  it("inlines $ref to $defs and definitions", () => {
    const r = convertSchema({ $ref: "#/$defs/root", $defs: { root: { type: "object", properties: { a: { $ref: "#/definitions/a" } }, additionalProperties: false } }, definitions: { a: { type: "string", enum: ["x"] } } });
    expect(r.schema).toEqual({ type: "object", properties: { a: { type: "string", enum: ["x"] } } });
    expect(r.kept).toContain("$ref");
  });
});

describe("convertSchema: widened, never dropped unseen", () => {
  it.each<[string, unknown, StructuralSchema, string]>([
    ["several types", { type: ["array", "object", "null"] }, ANY, ".f type: [array, object]"],
    ["only null", { type: "null" }, ANY, ".f type: null"],
    ["lookahead pattern", { type: "string", pattern: "^(?!x)" }, { type: "string" }, ".f pattern"],
    ["backreference", { type: "string", pattern: "(a)\\1" }, { type: "string" }, ".f pattern"],
    ["\\S inside a class", { type: "string", pattern: "[\\S]" }, { type: "string" }, ".f pattern"],
    ["empty class", { type: "string", pattern: "a[]" }, { type: "string" }, ".f pattern"],
    ["unknown format", { type: "string", format: "duration" }, { type: "string" }, ".f format: duration"],
    ["uniqueItems of objects", { type: "array", items: { type: "object" }, uniqueItems: true }, { type: "array", items: { type: "object", [P]: true } }, ".f uniqueItems"],
    ["tuple items", { type: "array", items: [{ type: "string" }] }, { type: "array", items: ANY }, ".f items: [tuple]"],
    ["patternProperties", { type: "object", patternProperties: { "^a": { type: "string" } }, additionalProperties: false }, { type: "object", [P]: true }, ".f patternProperties"],
    ["properties and additionalProperties", { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } }, { type: "object", properties: { a: { type: "string" } }, [P]: true }, ".f properties with additionalProperties"],
    ["patternProperties and additionalProperties", { type: "object", patternProperties: { "^a": { type: "integer" } }, additionalProperties: { type: "string" } }, { type: "object", [P]: true }, ".f patternProperties with additionalProperties"],
    ["enum with no member of the type", { type: "integer", enum: ["a"] }, { type: "integer" }, ".f enum"],
    ["if/then", { type: "string", if: { const: "a" }, then: { minLength: 2 } }, { type: "string" }, ".f if"],
    ["constraints without type", { minLength: 2 }, ANY, ".f no type"],
    ["remote $ref", { $ref: "https://example.com/s.json" }, ANY, ".f $ref"],
    ["oneOf of object shapes", { oneOf: [{ type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { b: { type: "string" } } }] }, { type: "object", [P]: true }, ".f oneOf"],
    ["not with structure", { type: "string", not: { type: "string", enum: ["x"] } }, { type: "string" }, ".f not"],
    ["value check naming an unlisted field", { type: "object", additionalProperties: false, anyOf: [{ required: ["zz"] }, { properties: { zz: { minLength: 1 } } }] }, { type: "object" }, ".f anyOf"],
  ])("%s", (_, input, want, note) => {
    const r = field(input);
    expect(r.rejected).toBeUndefined();
    expect(r.schema).toEqual(want);
    expect(r.widened).toContain(note);
  });

  it("cuts recursion at the repeated $ref", () => {
    const r = convertSchema({ type: "object", properties: { tree: { $ref: "#/$defs/node" } }, $defs: { node: { type: "object", properties: { child: { $ref: "#/$defs/node" } }, additionalProperties: false } } });
    expect(r.schema.properties?.tree).toEqual({ type: "object", properties: { child: ANY } });
    expect(r.widened).toEqual([{ path: ".tree.child", construct: "$ref", why: expect.stringContaining("refers to itself") }]);
  });

  it("widens what lies past the depth budget", () => {
    let s: unknown = { type: "string" };
    for (let i = 0; i < 5; i++) s = { type: "object", properties: { n: s }, additionalProperties: false };
    const r = convertSchema(s, { maxDepth: 2, maxNodes: 100, maxCrdBytes: 1e6 });
    expect(r.widened).toEqual([{ path: ".n.n.n", construct: "size", why: "nested deeper than 2 levels" }]);
  });

  it("widens what lies past the node budget ($refs used twice at every level)", () => {
    const $defs: Record<string, unknown> = { d0: { type: "string" } };
    for (let i = 1; i <= 20; i++) $defs[`d${i}`] = { type: "object", properties: { a: { $ref: `#/$defs/d${i - 1}` }, b: { $ref: `#/$defs/d${i - 1}` } }, additionalProperties: false };
    const r = convertSchema({ $ref: "#/$defs/d20", $defs }, { maxDepth: 64, maxNodes: 1000, maxCrdBytes: 1e6 });
    expect(r.rejected).toBeUndefined();
    expect(r.widened.length).toBeGreaterThan(0);
    expect(r.widened.every((w) => w.construct === "size")).toBe(true);
  });
});

describe("convertSchema: rejected", () => {
  it.each<[string, unknown, string]>([
    ["root of type string", { type: "string" }, "NotAnObjectSchema"],
    ["root of type array", { type: ["array", "null"] }, "NotAnObjectSchema"],
    ["false", false, "NotAnObjectSchema"],
    ["not an object", [1, 2], "Invalid"],
    ["root $ref missing", { $ref: "#/$defs/nope" }, "Unresolvable"],
  ])("%s", (_, input, reason) => {
    expect(convertSchema(input).rejected?.reason).toBe(reason);
  });

  it("takes a root without type (or with object among others) as an object", () => {
    expect(convertSchema({ properties: { a: { type: "string" } } }).schema).toEqual({ type: "object", properties: { a: { type: "string" } }, [P]: true });
    expect(convertSchema({ type: ["object", "null"], additionalProperties: false }).schema).toEqual({ type: "object" });
  });
});
