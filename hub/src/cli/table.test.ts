import { describe, expect, it } from "vitest";
import { formatAge, formatTable } from "./table.js";

describe("formatTable", () => {
  it("pads columns to the widest cell and upper-cases headers", () => {
    expect(formatTable(["name", "ready"], [["cluster-1", "True"], ["c2", "Unknown"]])).toBe(
      "NAME        READY\ncluster-1   True\nc2          Unknown\n",
    );
  });
});

describe("formatAge", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  it.each([
    ["2026-01-01T11:59:30Z", "30s"],
    ["2026-01-01T11:50:00Z", "10m"],
    ["2026-01-01T06:00:00Z", "6h"],
    ["2025-12-25T12:00:00Z", "7d"],
    [undefined, "<unknown>"],
  ])("%s → %s", (from, want) => expect(formatAge(from, now)).toBe(want));
});
