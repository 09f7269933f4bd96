import { describe, expect, it } from "vitest";
import type { DesiredIndex } from "@flotilla/shared";
import { jittered, planFromIndex } from "./work-plan.js";

const index = (addons: Record<string, string>): DesiredIndex => ({
  version: 1, kind: "DesiredIndex", cluster: "c1",
  addons: Object.fromEntries(Object.entries(addons).map(([a, d]) => [a, { revision: `${a}-r`, digest: d }])),
});

describe("planFromIndex", () => {
  it.each<{ name: string; idx: Record<string, string>; held: [string, string | undefined][]; installed: string[]; expected: { changed: string[]; unchanged: string[]; removed: string[] } }>([
    { name: "fresh start", idx: { a: "d1", b: "d2" }, held: [], installed: [], expected: { changed: ["a", "b"], unchanged: [], removed: [] } },
    { name: "restart with installed addons", idx: { a: "d1" }, held: [], installed: ["a"], expected: { changed: ["a"], unchanged: [], removed: [] } },
    { name: "nothing new", idx: { a: "d1" }, held: [["a", "d1"]], installed: ["a"], expected: { changed: [], unchanged: ["a"], removed: [] } },
    { name: "new digest", idx: { a: "d2" }, held: [["a", "d1"]], installed: ["a"], expected: { changed: ["a"], unchanged: [], removed: [] } },
    { name: "held but never fetched", idx: { a: "d1" }, held: [["a", undefined]], installed: [], expected: { changed: ["a"], unchanged: [], removed: [] } },
    { name: "removed from index", idx: { b: "d2" }, held: [["a", "d1"], ["b", "d2"]], installed: ["a", "b"], expected: { changed: [], unchanged: ["b"], removed: ["a"] } },
    { name: "installed only on the spoke", idx: {}, held: [], installed: ["old"], expected: { changed: [], unchanged: [], removed: ["old"] } },
  ])("$name", ({ idx, held, installed, expected }) => {
    expect(planFromIndex(index(idx), new Map(held), installed)).toEqual(expected);
  });

  it("does not treat prototype names as present", () => {
    expect(planFromIndex(index({}), new Map(), ["constructor"]).removed).toEqual(["constructor"]);
  });
});

describe("jittered", () => {
  it.each([
    [0, 24_000],
    [0.5, 30_000],
    [1, 36_000],
  ])("random %d → %d", (r, expected) => {
    expect(jittered(30_000, 0.2, () => r)).toBe(expected);
  });
});
