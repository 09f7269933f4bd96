import { describe, expect, it } from "vitest";
import { freshest } from "./freshest.js";

const o = (name: string, generation?: number) => ({ name, metadata: generation === undefined ? {} : { generation } });

describe("freshest", () => {
  it.each([
    { name: "only cache", cached: o("c", 1), applied: undefined, expected: "c" },
    { name: "only applied", cached: undefined, applied: o("a", 1), expected: "a" },
    { name: "neither", cached: undefined, applied: undefined, expected: undefined },
    { name: "cache behind the apply", cached: o("c", 1), applied: o("a", 2), expected: "a" },
    { name: "same generation: cache has newer status", cached: o("c", 2), applied: o("a", 2), expected: "c" },
    { name: "cache ahead", cached: o("c", 3), applied: o("a", 2), expected: "c" },
    { name: "no generations", cached: o("c"), applied: o("a"), expected: "c" },
  ])("$name", ({ cached, applied, expected }) => {
    expect(freshest(cached, applied)?.name).toBe(expected);
  });
});
