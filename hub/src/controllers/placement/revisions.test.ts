import { describe, expect, it } from "vitest";
import { revisionsToPrune } from "./revisions.js";

const revs = [1, 2, 3, 4, 5].map((n) => ({ name: `a-${n}`, revision: n }));

describe("revisionsToPrune", () => {
  it.each<[string, string[], number, string[]]>([
    ["within the limit", ["a-5"], 10, []],
    ["oldest beyond the limit go", ["a-5"], 2, ["a-2", "a-1"]],
    ["current and update are never pruned", ["a-5", "a-1"], 1, ["a-3", "a-2"]],
    ["limit 0 keeps only current and update", ["a-5", "a-4"], 0, ["a-3", "a-2", "a-1"]],
  ])("%s", (_n, keep, limit, want) => {
    expect(revisionsToPrune(revs, new Set(keep), limit)).toEqual(want);
  });
});
