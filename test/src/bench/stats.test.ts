import { describe, expect, it } from "vitest";
import { percentile } from "./stats.js";

describe("percentile", () => {
  it.each([
    [[5], 50, 5],
    [[1, 2, 3, 4], 50, 2],
    [[4, 1, 3, 2], 100, 4],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90, 90],
  ])("%j p%d = %d", (v, p, want) => expect(percentile(v, p)).toBe(want));
  it("is NaN for no values", () => expect(percentile([], 50)).toBeNaN());
});
