import { describe, expect, it } from "vitest";
import { parseDuration, resolveQuantity } from "./quantity.js";

describe("resolveQuantity", () => {
  it.each<[number | string | undefined, number, number | string, number]>([
    [2, 10, "25%", 2],
    ["25%", 10, 1, 3],
    ["25%", 4, 1, 1],
    ["10%", 5, 1, 1],
    ["100%", 7, 1, 7],
    [undefined, 8, "25%", 2],
    [undefined, 8, 0, 0],
    ["3", 8, 0, 3],
    ["0%", 8, 1, 0],
  ])("%j of %i clusters (default %j) is %i", (q, total, fallback, expected) => {
    expect(resolveQuantity(q, total, fallback)).toBe(expected);
  });

  it("refuses what is neither", () => {
    expect(() => resolveQuantity("lots", 3, 0)).toThrow('not a count or a percentage: "lots"');
  });
});

describe("parseDuration", () => {
  it.each<[string | undefined, string, number]>([
    ["90s", "0s", 90_000],
    ["1h30m", "0s", 5_400_000],
    ["0.5s", "0s", 500],
    ["250ms", "0s", 250],
    ["0s", "10m", 0],
    ["0", "10m", 0],
    [undefined, "10m", 600_000],
  ])("%j (default %j) is %i ms", (d, fallback, expected) => {
    expect(parseDuration(d, fallback)).toBe(expected);
  });

  it.each(["10", "1d", "s", "1m x", ""])("refuses %j", (d) => {
    expect(() => parseDuration(d, "0s")).toThrow("not a duration");
  });
});
