import { describe, expect, it } from "vitest";
import { mergeAll, mergeValues } from "./values.js";

describe("mergeValues", () => {
  it.each([
    ["override wins on scalars", { a: 1, b: 2 }, { b: 3 }, { a: 1, b: 3 }],
    ["objects merge deeply", { a: { x: 1, y: { z: 1 } } }, { a: { y: { w: 2 } } }, { a: { x: 1, y: { z: 1, w: 2 } } }],
    ["arrays are replaced, not merged", { l: [1, 2, 3] }, { l: [9] }, { l: [9] }],
    ["null removes a key", { a: 1, b: { c: 1 } }, { b: null }, { a: 1 }],
    ["an object replaces a scalar", { a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
    ["a scalar replaces an object", { a: { b: 1 } }, { a: "x" }, { a: "x" }],
    ["undefined base", undefined, { a: 1 }, { a: 1 }],
    ["undefined override", { a: 1 }, undefined, { a: 1 }],
  ])("%s", (_name, base, override, want) => {
    expect(mergeValues(base as Record<string, unknown> | undefined, override as Record<string, unknown> | undefined)).toEqual(want);
  });

  it("does not mutate its inputs", () => {
    const base = { a: { b: 1 } };
    const over = { a: { c: [1] } };
    const out = mergeValues(base, over);
    (out.a as { c: number[] }).c.push(2);
    expect(base).toEqual({ a: { b: 1 } });
    expect(over).toEqual({ a: { c: [1] } });
  });

  it("merges layers left to right", () => {
    expect(mergeAll({ r: 1, l: "info" }, { l: "warn" }, undefined, { r: 3 })).toEqual({ r: 3, l: "warn" });
  });
});
