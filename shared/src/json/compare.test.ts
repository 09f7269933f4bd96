import { describe, expect, it } from "vitest";
import { compareText } from "./compare.js";

describe("compareText", () => {
  it.each([
    ["a", "b", -1],
    ["b", "a", 1],
    ["a", "a", 0],
    ["", "a", -1],
    ["Z", "a", -1], // code units: upper case before lower case, whatever the locale
    ["a-b", "a.b", -1],
  ])("%j vs %j → %d", (a, b, want) => {
    expect(compareText(a, b)).toBe(want);
  });

  it("sorts like the default sort", () => {
    const words = ["kube-system", "Zeta", "alpha", "ä", "a", "10", "9"];
    expect([...words].sort(compareText)).toEqual([...words].sort());
  });
});
