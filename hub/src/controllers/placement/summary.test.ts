import { describe, expect, it } from "vitest";
import type { Condition } from "@flotilla/shared";
import type { ManagedClusterAddOnStatus } from "../../api/types.js";
import { addonClusterState, summarize, type SummaryTarget } from "./summary.js";

const c = (type: string, status: Condition["status"]): Condition => ({ type, status, reason: "R", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" });
const t = (cluster: string, status: ManagedClusterAddOnStatus | undefined, reachable = true): SummaryTarget => ({ cluster, reachable, status });

describe("addonClusterState", () => {
  it.each<[string, SummaryTarget, string]>([
    ["unreachable wins", t("a", { conditions: [c("Available", "True")] }, false), "unreachable"],
    ["degraded is failed", t("a", { conditions: [c("Available", "True"), c("Degraded", "True")] }), "failed"],
    ["render failure is failed", t("a", { conditions: [c("Rendered", "False")] }), "failed"],
    ["invalid values are failed, even with the old bundle available", t("a", { conditions: [c("Available", "True"), c("ValuesValid", "False")] }), "failed"],
    ["available", t("a", { conditions: [c("Available", "True"), c("Degraded", "False")] }), "available"],
    ["no report yet is progressing", t("a", undefined), "progressing"],
    ["not available yet is progressing", t("a", { conditions: [c("Available", "False")] }), "progressing"],
  ])("%s", (_n, target, want) => {
    expect(addonClusterState(target)).toBe(want);
  });
});

describe("summarize", () => {
  const avail = (rev: string, applied = rev): ManagedClusterAddOnStatus => ({ desiredRevision: rev, appliedRevision: applied, conditions: [c("Available", "True")] });
  it.each<[string, SummaryTarget[], object, string[]]>([
    ["nothing targeted", [], { desired: 0, updated: 0, applied: 0, available: 0, progressing: 0, failed: 0, unreachable: 0 }, []],
    ["all available on R", [t("a", avail("R")), t("b", avail("R"))], { desired: 2, updated: 2, applied: 2, available: 2, progressing: 0, failed: 0, unreachable: 0 }, []],
    [
      "available on the old revision is not applied on R",
      [t("a", avail("R")), t("b", { ...avail("R0"), desiredRevision: "R" })],
      { desired: 2, updated: 2, applied: 1, available: 2 },
      [],
    ],
    ["not yet desired", [t("a", avail("R0"))], { desired: 1, updated: 0, applied: 0, available: 1 }, []],
    ["only unreachable clusters", [t("a", { desiredRevision: "R" }, false)], { desired: 1, unreachable: 1 }, []],
    ["an unreachable cluster is counted as such", [t("a", avail("R")), t("b", { desiredRevision: "R" }, false)], { desired: 2, updated: 2, available: 1, unreachable: 1 }, []],
    [
      "failures are listed",
      [t("b", { desiredRevision: "R", conditions: [c("Degraded", "True")] }), t("a", { desiredRevision: "R", conditions: [c("Rendered", "False")] }), t("c", { desiredRevision: "R" })],
      { desired: 3, failed: 2, progressing: 1 },
      ["a", "b"],
    ],
  ])("%s", (_n, targets, summary, failed) => {
    const r = summarize("R", targets);
    expect(r.summary).toMatchObject(summary);
    expect(r.failedClusters).toEqual(failed);
  });
});
