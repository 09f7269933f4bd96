import { describe, expect, it } from "vitest";
import { MAX_NESTING_DEPTH, nestingDepth, parseBoundedJson } from "./bounded-json.js";

const enc = (s: string) => new TextEncoder().encode(s);

describe("nestingDepth", () => {
  it.each([
    ["a scalar", "1", 0],
    ["an empty object", "{}", 1],
    ["an object in an array", '[{"a":1}]', 2],
    ["siblings do not add up", '[[1],[2],[3]]', 2],
    ["brackets inside strings do not count", '{"a":"[[[{{{"}', 1],
    ["an escaped quote does not end the string", '{"a":"\\"[[["}', 1],
    ["an escaped backslash before the closing quote", '{"a":"\\\\"}', 1],
    ["multi-byte characters are not brackets", '{"é":["→"]}', 2],
    ["unbalanced input gets a number anyway", "[[[", 3],
  ])("%s", (_n, json, want) => {
    expect(nestingDepth(enc(json))).toBe(want);
  });

  it("stops as soon as it passes the limit", () => {
    expect(nestingDepth(enc("[".repeat(1000)), 10)).toBe(11);
  });
});

describe("parseBoundedJson", () => {
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  it.each([
    ["a document", '{"a":[1,2]}', 100, { ok: true, value: { a: [1, 2] } }],
    ["over the byte limit, before anything is decoded", '{"a":1}', 3, { ok: false, reason: "TooLarge" }],
    ["as deep as allowed", deep(MAX_NESTING_DEPTH), 1e6, { ok: true }],
    ["one level deeper", deep(MAX_NESTING_DEPTH + 1), 1e6, { ok: false, reason: "TooDeep" }],
    ["not JSON", "{nope", 100, { ok: false, reason: "NotJSON" }],
    ["a key named __proto__ stays an own key", '{"__proto__":{"x":1}}', 100, { ok: true }],
  ])("%s", (_n, json, maxBytes, want) => {
    expect(parseBoundedJson(enc(json), { maxBytes })).toMatchObject(want);
  });

  it("invalid UTF-8 is NotJSON", () => {
    expect(parseBoundedJson(new Uint8Array([0x7b, 0xff, 0x7d]), { maxBytes: 10 })).toMatchObject({ ok: false, reason: "NotJSON" });
  });

  it("a __proto__ key sets no prototype", () => {
    const r = parseBoundedJson(enc('{"__proto__":{"polluted":1}}'), { maxBytes: 100 });
    expect(r.ok && Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(r.ok && Object.keys(r.value as object)).toEqual(["__proto__"]);
  });
});
