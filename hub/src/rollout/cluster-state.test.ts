import { describe, expect, it } from "vitest";
import { classify, type ClusterView } from "./cluster-state.js";

const R = "a-r2";
const t = { minSuccessMs: 60_000, progressDeadlineMs: 600_000, now: 1_000_000 };
const c = (over: Partial<ClusterView>): ClusterView => ({ name: "c", labels: {}, reachable: true, failed: false, ...over });

describe("classify", () => {
  it.each<[string, Partial<ClusterView>, ReturnType<typeof classify>]>([
    ["not desired on R", { desiredRevision: "a-r1", appliedRevision: "a-r1", availableSince: 0 }, { state: "ToApply" }],
    ["no MCA status yet", {}, { state: "ToApply" }],
    ["just moved to R", { desiredRevision: R, desiredSince: 990_000 }, { state: "Progressing", changesAt: 1_590_000 }],
    ["still Available on the old revision", { desiredRevision: R, desiredSince: 990_000, appliedRevision: "a-r1", availableSince: 0 }, { state: "Progressing", changesAt: 1_590_000 }],
    ["past its progress deadline", { desiredRevision: R, desiredSince: 400_000 }, { state: "TimedOut" }],
    ["Available on R, soaking", { desiredRevision: R, desiredSince: 900_000, appliedRevision: R, availableSince: 950_000 }, { state: "Soaking", changesAt: 1_010_000 }],
    ["Available on R for minSuccessTime", { desiredRevision: R, desiredSince: 900_000, appliedRevision: R, availableSince: 940_000 }, { state: "Succeeded" }],
    ["Available on R long past the deadline", { desiredRevision: R, desiredSince: 0, appliedRevision: R, availableSince: 100 }, { state: "Succeeded" }],
    ["reported failed", { desiredRevision: R, desiredSince: 990_000, failed: true }, { state: "Failed" }],
  ])("%s", (_name, over, expected) => {
    expect(classify(c(over), R, t)).toEqual(expected);
  });
});
