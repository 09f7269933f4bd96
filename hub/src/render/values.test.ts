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

describe("hostile keys in values", () => {
  const parse = (s: string) => JSON.parse(s) as Record<string, unknown>;
  it("a key named __proto__ is merged as a key, not made the prototype", () => {
    const m = mergeValues(parse('{"a":1}'), parse('{"__proto__":{"replicas":5}}'));
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(Object.keys(m)).toEqual(["a", "__proto__"]);
    expect((m as { replicas?: unknown }).replicas).toBeUndefined();
    expect(JSON.stringify(m)).toBe('{"a":1,"__proto__":{"replicas":5}}');
  });

  it("a key named __proto__ merges with one already there; constructor is a plain key", () => {
    const m = mergeAll(parse('{"__proto__":{"a":1},"constructor":{"b":1}}'), parse('{"__proto__":{"c":2},"constructor":{"d":2}}'));
    expect(JSON.stringify(m)).toBe('{"__proto__":{"a":1,"c":2},"constructor":{"b":1,"d":2}}');
    expect(({} as { c?: unknown }).c).toBeUndefined();
  });
});
