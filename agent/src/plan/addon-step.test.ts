import { describe, expect, it } from "vitest";
import { applyStep, bundleStep, isDue, nextLookInMs, reportDue } from "./addon-step.js";

const resyncMs = 30_000;
const now = 100_000;
const clock = { now, resyncMs };
const fresh = now - 1_000;
const old = now - resyncMs;

describe("isDue", () => {
  it.each([
    { at: now, expected: false },
    { at: now - resyncMs + 1, expected: false },
    { at: now - resyncMs, expected: true },
    { at: 0, expected: true },
  ])("learned at $at", ({ at, expected }) => {
    expect(isDue(at, clock)).toBe(expected);
  });
});

describe("bundleStep", () => {
  it.each([
    { name: "first time", i: { wanted: "d1" }, expected: "read" },
    { name: "held", i: { wanted: "d1", held: "d1" }, expected: "held" },
    { name: "new digest", i: { wanted: "d2", held: "d1" }, expected: "read" },
    { name: "dropped just now", i: { wanted: "d2", held: "d1", rejected: { digest: "d2", at: fresh } }, expected: "rejected" },
    { name: "dropped a resync period ago: tried again", i: { wanted: "d2", held: "d1", rejected: { digest: "d2", at: old } }, expected: "read" },
    { name: "an older one was dropped", i: { wanted: "d3", held: "d1", rejected: { digest: "d2", at: fresh } }, expected: "read" },
  ])("$name", ({ i, expected }) => {
    expect(bundleStep({ ...clock, ...i })).toBe(expected);
  });
});

describe("applyStep", () => {
  const base = { ...clock, held: "d2", drifted: false, watched: false, reapplyMs: 10 * resyncMs, driftPolicy: "Correct" as const };
  it.each([
    { name: "nothing applied yet", i: { ...base }, expected: "new" },
    { name: "new bundle", i: { ...base, applied: { digest: "d1", at: fresh } }, expected: "new" },
    { name: "already applied", i: { ...base, applied: { digest: "d2", at: fresh } }, expected: undefined },
    { name: "refused, nothing changed", i: { ...base, applied: { digest: "d1", at: fresh }, refused: { digest: "d2", at: fresh } }, expected: undefined },
    { name: "refused a resync period ago", i: { ...base, applied: { digest: "d1", at: fresh }, refused: { digest: "d2", at: old } }, expected: "retry" },
    { name: "an older digest was refused", i: { ...base, refused: { digest: "d1", at: fresh } }, expected: "new" },
    { name: "object deleted or changed", i: { ...base, applied: { digest: "d2", at: fresh }, drifted: true }, expected: "drift" },
    { name: "watched: a resync period is not enough", i: { ...base, applied: { digest: "d2", at: old }, watched: true }, expected: undefined },
    { name: "watched: re-applied after reapplyMs", i: { ...base, applied: { digest: "d2", at: now - 10 * resyncMs }, watched: true }, expected: "resync" },
    { name: "last apply a resync period old: corrects drift", i: { ...base, applied: { digest: "d2", at: old } }, expected: "resync" },
    { name: "driftPolicy Report leaves drift", i: { ...base, applied: { digest: "d2", at: old }, driftPolicy: "Report" as const }, expected: undefined },
    { name: "driftPolicy Report leaves a deleted object", i: { ...base, applied: { digest: "d2", at: fresh }, drifted: true, driftPolicy: "Report" as const }, expected: undefined },
    { name: "driftPolicy Report still applies a new bundle", i: { ...base, applied: { digest: "d1", at: old }, driftPolicy: "Report" as const }, expected: "new" },
  ])("$name", ({ i, expected }) => {
    expect(applyStep(i)).toBe(expected);
  });
});

describe("reportDue", () => {
  it.each([
    { name: "never sent", last: undefined, expected: true },
    { name: "unchanged, sent just now", last: { fingerprint: "f1", at: fresh }, expected: false },
    { name: "changed", last: { fingerprint: "f0", at: fresh }, expected: true },
    { name: "unchanged, sent a resync period ago", last: { fingerprint: "f1", at: old }, expected: true },
  ])("$name", ({ last, expected }) => {
    expect(reportDue({ ...clock, fingerprint: "f1", ...(last ? { last } : {}) })).toBe(expected);
  });
});

describe("nextLookInMs", () => {
  it.each([
    { name: "nothing pending", stamps: [], expected: undefined },
    { name: "undefined stamps are skipped", stamps: [undefined], expected: undefined },
    { name: "the earliest due", stamps: [now - 10_000, now - 20_000, undefined], expected: 10_000 },
    { name: "overdue: at once", stamps: [now - 2 * resyncMs], expected: 1 },
    { name: "an absolute due time", stamps: [now - 10_000], dueAt: [now + 5_000], expected: 5_000 },
  ])("$name", ({ stamps, dueAt, expected }) => {
    expect(nextLookInMs({ ...clock, stamps, ...(dueAt ? { dueAt } : {}) })).toBe(expected);
  });
});
