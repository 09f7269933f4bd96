import { describe, expect, it } from "vitest";
import { linearRegExp, UnsupportedPatternError } from "./linear-regexp.js";
import { ValuesValidator } from "./validator.js";

/** Catastrophic for a backtracking engine: each extra `a` doubles the work before the `!` fails it. */
const EVIL = "^(a+)+$";
const EVIL_INPUT = "a".repeat(50) + "!";

describe("linearRegExp", () => {
  it.each<[string, string, boolean]>([
    ["^[a-z]+$", "abc", true],
    ["^[a-z]+$", "abC", false],
    ["b", "abc", true], // unanchored, as JSON Schema means it
    ["^\\d{3}$", "123", true],
    ["^\\u00e9$", "é", true],
    ["^\\s$", "\u00a0", true], // JavaScript's white space, not RE2's ASCII one
    ["^\\S+$", "a\u00a0b", false],
    ["^(?<major>\\d+)\\.\\d+$", "1.2", true],
    ["^\\p{Lu}", "Ä", true],
    [EVIL, "aaaa", true],
    [EVIL, EVIL_INPUT, false],
    ["(x+x+)+y", "x".repeat(5000), false],
  ])("%s on %j → %s", (pattern, input, want) => {
    expect(linearRegExp(pattern, "u").test(input)).toBe(want);
  });

  it.each([
    ["^(a)\\1$", "backreferences"],
    ["^(?=a)a$", "lookaround"],
    ["^(?<!a)b$", "lookaround"],
    ["[^]", "[] and [^]"],
    ["(", "not a valid ECMAScript regular expression"],
  ])("refuses %s, naming the pattern", (pattern, why) => {
    expect(() => linearRegExp(pattern, "u")).toThrow(UnsupportedPatternError);
    expect(() => linearRegExp(pattern, "u")).toThrow(`pattern ${JSON.stringify(pattern)} is not supported: `);
    expect(() => linearRegExp(pattern, "u")).toThrow(why);
  });

  it("tells patterns apart in ajv's scope (keyed by toString)", () => {
    expect(String(linearRegExp("^a$"))).not.toBe(String(linearRegExp("^b$")));
  });
});

describe("ValuesValidator with hostile patterns", () => {
  const v = new ValuesValidator();

  it("runs a catastrophic pattern on its killer input and answers", () => {
    // With JavaScript's RegExp this call would not return for days; RE2 answers in microseconds.
    const schema = { type: "object", properties: { name: { type: "string", pattern: EVIL } } };
    expect(v.validate(schema, { name: EVIL_INPUT })).toEqual({ ok: false, errors: [`values.name: must match pattern "${EVIL}"`] });
    expect(v.validate(schema, { name: "aaa" })).toEqual({ ok: true });
  });

  it("runs patternProperties on the same engine", () => {
    const schema = { type: "object", patternProperties: { [EVIL]: { type: "integer" } }, additionalProperties: false };
    expect(v.validate(schema, { [EVIL_INPUT]: 1 })).toEqual({ ok: false, errors: [`values: must NOT have additional properties (${EVIL_INPUT})`] });
    expect(v.validate(schema, { aaa: "x" })).toEqual({ ok: false, errors: ["values.aaa: must be integer"] });
  });

  it("keeps patterns of one schema apart", () => {
    const schema = { type: "object", properties: { a: { type: "string", pattern: "^a+$" }, b: { type: "string", pattern: "^b+$" } } };
    expect(v.validate(schema, { a: "aa", b: "bb" })).toEqual({ ok: true });
    expect(v.validate(schema, { a: "bb", b: "aa" }).ok).toBe(false);
  });

  it("reports a pattern RE2 cannot run as a schema error naming it", () => {
    const schema = { type: "object", properties: { x: { type: "string", pattern: "^(a)\\1$" } } };
    const r = v.validate(schema, { x: "aa" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([`valuesSchema: pattern "^(a)\\\\1$" is not supported: backreferences have no RE2 form (Kubernetes validates with Go's regexp)`]);
  });
});
