import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical.js";

describe("canonicalJson", () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: 1, c: [3, { f: 1, e: 2 }] } }, '{"a":{"c":[3,{"e":2,"f":1}],"d":1}}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    [[undefined], "[null]"],
    [undefined, "null"],
    ["s", '"s"'],
    [{ "é": 1, e: 2, E: 3 }, '{"E":3,"e":2,"é":1}'],
  ])("%j → %s", (input, want) => {
    expect(canonicalJson(input)).toBe(want);
  });

  it("agrees with JSON.stringify on key-sorted input", () => {
    const v = { a: [1, "x", true, null, { b: 2.5 }], c: { d: "" } };
    expect(canonicalJson(v)).toBe(JSON.stringify(v));
  });
});
