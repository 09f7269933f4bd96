import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findPlaceholders, replacePlaceholders } from "./placeholder-scan.js";

/** The expression findPlaceholders stands in for (fine on short strings, quadratic on long lines). */
const PLACEHOLDER = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const byRegex = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => ({ start: m.index, end: m.index + m[0].length, expr: m[1] ?? "" }));

/** Strings made of the characters that matter to the expression, so edge cases come up often. */
const tricky = fc.array(fc.constantFrom("{", "{{", "}", "}}", "-", " ", "\t", "\n", "\r", "\u2028", "\u00a0", "a", ".Values.x", "é"), { maxLength: 30 }).map((a) => a.join(""));

describe("findPlaceholders", () => {
  it("finds what the regular expression finds, everywhere", () => {
    fc.assert(fc.property(fc.oneof(tricky, fc.string({ maxLength: 40 })), (s) => {
      expect(findPlaceholders(s)).toEqual(byRegex(s));
    }), { numRuns: 5000 });
  });

  it("replaces as String.replace with the expression does", () => {
    fc.assert(fc.property(tricky, (s) => {
      expect(replacePlaceholders(s, findPlaceholders(s), (e) => `<${e}>`)).toBe(s.replace(PLACEHOLDER, (_m, e: string) => `<${e}>`));
    }), { numRuns: 2000 });
  });

  it.each([
    ["{{ .Values.a }}", [{ start: 0, end: 15, expr: ".Values.a" }]],
    ["x {{- .Cluster.Name -}} y {{.Values.b}}", [{ start: 2, end: 23, expr: ".Cluster.Name" }, { start: 26, end: 39, expr: ".Values.b" }]],
    ["{{ a\nb }}", []],
    ["{{\n a \n}}", [{ start: 0, end: 9, expr: "a" }]],
  ])("%j", (s, want) => {
    expect(findPlaceholders(s)).toEqual(want);
  });

  it("is linear: one line of 500,000 `{{` (the regular expression would take hours)", () => {
    const s = "{{".repeat(500_000);
    expect(findPlaceholders(s)).toEqual([]);
    // the first `{{` opens it, and the other 499,999 are its expression (as the regular expression has it)
    expect(findPlaceholders(`${s}}}`).map(({ start, end }) => [start, end])).toEqual([[0, 1_000_002]]);
  });
});
