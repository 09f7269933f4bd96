import { describe, expect, it } from "vitest";
import { bundleStep, shouldApply } from "./addon-step.js";

describe("bundleStep", () => {
  it.each([
    { name: "first time", i: { wanted: "d1", resync: false }, expected: "read" },
    { name: "held", i: { wanted: "d1", held: "d1", resync: false }, expected: "held" },
    { name: "new digest", i: { wanted: "d2", held: "d1", resync: false }, expected: "read" },
    { name: "dropped before", i: { wanted: "d2", held: "d1", rejected: "d2", resync: false }, expected: "rejected" },
    { name: "dropped before, resync tries again", i: { wanted: "d2", held: "d1", rejected: "d2", resync: true }, expected: "read" },
    { name: "an older one was dropped", i: { wanted: "d3", held: "d1", rejected: "d2", resync: false }, expected: "read" },
  ])("$name", ({ i, expected }) => {
    expect(bundleStep(i)).toBe(expected);
  });
});

describe("shouldApply", () => {
  const base = { held: "d2", reapply: false, resync: false, driftPolicy: "Correct" as const };
  it.each([
    { name: "new bundle", i: { ...base, applied: "d1" }, expected: true },
    { name: "already applied", i: { ...base, applied: "d2" }, expected: false },
    { name: "refused, nothing changed", i: { ...base, applied: "d1", refused: "d2" }, expected: false },
    { name: "refused, resync retries", i: { ...base, applied: "d1", refused: "d2", resync: true }, expected: true },
    { name: "object deleted", i: { ...base, applied: "d2", reapply: true }, expected: true },
    { name: "resync corrects drift", i: { ...base, applied: "d2", resync: true }, expected: true },
    { name: "resync with driftPolicy Report", i: { ...base, applied: "d2", resync: true, driftPolicy: "Report" as const }, expected: false },
    { name: "resync with Report still applies a new bundle", i: { ...base, applied: "d1", resync: true, driftPolicy: "Report" as const }, expected: true },
  ])("$name", ({ i, expected }) => {
    expect(shouldApply(i)).toBe(expected);
  });
});
