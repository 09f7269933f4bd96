import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitManifests } from "./parse.js";

/** Helm's expression, which splitManifests stands in for (fine on short text, quadratic on long blank runs). */
const SEPARATOR = /(?:^|\s*\n)---\s*/;
const byRegex = (s: string) => s.split(SEPARATOR).filter((d) => d.trim() !== "");

const tricky = fc.array(fc.constantFrom("---", "-", "--", "\n", "\r\n", " ", "\t", "\u00a0", "a: 1", "#", "x"), { maxLength: 30 }).map((a) => a.join(""));

describe("splitManifests", () => {
  it("splits where helm's expression splits", () => {
    fc.assert(fc.property(fc.oneof(tricky, fc.string({ maxLength: 40 })), (s) => {
      expect(splitManifests(s)).toEqual(byRegex(s));
    }), { numRuns: 5000 });
  });

  it("is linear: 2 MB of blank lines and a few documents (the expression would take minutes)", () => {
    const blank = " \n".repeat(500_000);
    const parts = splitManifests(`a: 1${blank}---\nb: 2${blank}`);
    // the separator takes the blank lines before it; those at the end stay with the last document
    expect(parts.map((p) => [p.slice(0, 4), p.length])).toEqual([["a: 1", 4], ["b: 2", 4 + blank.length]]);
  });
});
