import { describe, expect, it } from "vitest";
import { findCondition } from "@flotilla/shared";
import type { ClusterManagementAddOnSpec, ClusterManagementAddOnStatus } from "../../api/types.js";
import { differsIgnoring } from "../../kube/diff.js";
import { cmaStatus, stuckAfterMs, type CmaStatusInput } from "./status.js";
import type { SummaryResult } from "./summary.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const spec: ClusterManagementAddOnSpec = { source: { manifests: [{ apiVersion: "v1", kind: "ConfigMap" }] } };
const result = (over: Partial<SummaryResult["summary"]>, failedClusters: string[] = []): SummaryResult => ({
  summary: { desired: 2, updated: 2, applied: 0, available: 0, progressing: 2, failed: 0, unreachable: 0, ...over },
  failedClusters,
});
type Decision = CmaStatusInput["decision"];
const progressing: Decision = { phase: "Progressing", reason: "ClustersInFlight", step: 0, message: "2/2 cluster(s) updated", markFailed: false };
const input = (p: Partial<CmaStatusInput>): CmaStatusInput => ({
  spec, generation: 4, previous: undefined, updateRevision: "a-2", result: result({}), decision: progressing, startTime: NOW.toISOString(), approvedSteps: [],
  valuesValid: { type: "ValuesValid", status: "True", reason: "NoSchema", message: "" }, now: NOW, ...p,
});
const cond = (s: ClusterManagementAddOnStatus, t: string) => {
  const c = findCondition(s.conditions, t);
  return c && `${c.status}/${c.reason}`;
};

const helmSpec = { source: { helm: { repoURL: "https://charts.example.com", chart: "x" } } };
const resolution = { repoURL: "https://charts.example.com", chart: "x", requestedVersion: "", version: "1.0.0", digest: `sha256:${"a".repeat(64)}` };

describe("cmaStatus", () => {
  it.each<[string, Partial<CmaStatusInput>, Record<string, string>, string, string | undefined]>([
    ["rolling out", {}, { Ready: "False/ClustersInFlight", Progressing: "True/RollingOut", Degraded: "False/AsExpected", SourceResolved: "True/InlineManifests", Stuck: "False/Progressing" }, "Progressing", undefined],
    [
      "succeeded: current catches up",
      { result: result({ available: 2, applied: 2, progressing: 0 }), decision: { ...progressing, phase: "Succeeded", reason: "AllClustersUpdated" } },
      { Ready: "True/RolloutComplete", Progressing: "False/RolloutComplete", Degraded: "False/AsExpected", Stuck: "False/NotMoving" },
      "Succeeded",
      "a-2",
    ],
    ["failures", { result: result({ failed: 1, progressing: 1 }, ["c9"]), decision: { ...progressing, phase: "Failed", reason: "MaxFailuresExceeded" } }, { Ready: "False/ClustersFailed", Degraded: "True/ClustersFailed", Progressing: "False/RolloutFailed" }, "Failed", undefined],
    ["waiting for approval", { decision: { ...progressing, phase: "Paused", reason: "WaitingForApproval" } }, { Ready: "False/WaitingForApproval", Progressing: "False/WaitingForApproval", Stuck: "False/NotMoving" }, "Paused", undefined],
    ["rolling back", { decision: { ...progressing, phase: "RollingBack", reason: "RollingBack", markFailed: true } }, { Degraded: "True/RollingBack", Progressing: "True/RollingBack" }, "RollingBack", undefined],
    [
      "refused by an image policy",
      { decision: { ...progressing, phase: "Pending", reason: "ImagePolicyRefused" }, imagePolicy: { type: "ImagePolicyCompliant", status: "False", reason: "ImageNotAllowed", message: "a-2 is refused" } },
      { ImagePolicyCompliant: "False/ImageNotAllowed", Ready: "False/ImagePolicyRefused", Progressing: "True/RollingOut" },
      "Pending",
      undefined,
    ],
    ["rolled back", { decision: { ...progressing, phase: "RolledBack", reason: "RolledBack" } }, { Degraded: "True/RolledBack", Progressing: "False/RolledBack", Ready: "False/RolledBack" }, "RolledBack", undefined],
    ["helm source not resolved yet", { spec: { source: { helm: { repoURL: "https://charts.example.com", chart: "x" } } } }, { Ready: "False/SourceUnresolved", SourceResolved: "False/Resolving" }, "Pending", undefined],
    ["no source", { spec: { source: {} } }, { SourceResolved: "False/NoSource" }, "Pending", undefined],
    ["helm source resolved", { spec: helmSpec, resolution }, { SourceResolved: "True/ChartResolved" }, "Progressing", undefined],
    [
      "helm source whose last look failed: the resolved chart goes on rolling out",
      { spec: helmSpec, resolution: { ...resolution, failure: { reason: "Unreachable", message: "connection refused" } } },
      { SourceResolved: "False/Unreachable" },
      "Progressing",
      undefined,
    ],
    [
      "helm source that never resolved",
      { spec: helmSpec, resolution: { repoURL: helmSpec.source.helm.repoURL, chart: "x", requestedVersion: "", failure: { reason: "Unauthorized", message: "401" } } },
      { SourceResolved: "False/Unauthorized", Ready: "False/SourceUnresolved" },
      "Pending",
      undefined,
    ],
    [
      "values invalid",
      { valuesValid: { type: "ValuesValid", status: "False", reason: "ValuesInvalid", message: "values invalid on 1 cluster(s): c: values.r: must be >= 0" } },
      { ValuesValid: "False/ValuesInvalid" },
      "Progressing",
      undefined,
    ],
  ])("%s", (_n, p, conds, phase, current) => {
    const { status: s } = cmaStatus(input(p));
    for (const [t, want] of Object.entries(conds)) expect(cond(s, t)).toBe(want);
    expect(s.rollout?.phase).toBe(phase);
    expect(s.currentRevision).toBe(current);
    expect(s.updateRevision).toBe("a-2");
    expect(s.observedGeneration).toBe(4);
  });

  it("keeps the previous current revision until the new one has succeeded", () => {
    expect(cmaStatus(input({ previous: { currentRevision: "a-1", updateRevision: "a-1" } })).status.currentRevision).toBe("a-1");
  });

  it("records the failed revision when the decision marks it, keeps it while it is the update revision, drops it after", () => {
    const marked = cmaStatus(input({ decision: { ...progressing, phase: "RollingBack", reason: "RollingBack", markFailed: true } })).status;
    expect(marked.rollout?.failedRevision).toBe("a-2");
    expect(cmaStatus(input({ previous: marked, decision: { ...progressing, phase: "RolledBack", reason: "RolledBack" } })).status.rollout?.failedRevision).toBe("a-2");
    expect(cmaStatus(input({ previous: marked, updateRevision: "a-3" })).status.rollout?.failedRevision).toBeUndefined();
  });

  it("is stable: recomputing from its own output changes nothing worth writing", () => {
    const first = cmaStatus(input({})).status;
    const again = cmaStatus(input({ previous: first, now: new Date(NOW.getTime() + 60_000) })).status;
    expect(differsIgnoring(again, first)).toBe(false);
    expect(findCondition(again.conditions, "Ready")?.lastTransitionTime).toBe(NOW.toISOString());
  });

  it("is Stuck once nothing progressed for progressDeadline while the rollout should move, and says when to look", () => {
    const s = { ...spec, installStrategy: { type: "Placements" as const, placements: [{ name: "p", clusterSelector: {}, rolloutStrategy: { type: "Rolling" as const, rolling: { progressDeadline: "5m" } } }] } };
    expect(stuckAfterMs(s)).toBe(300_000);
    const first = cmaStatus(input({ spec: s }));
    expect(first.recheckAfterMs).toBe(300_000);
    const later = cmaStatus(input({ spec: s, previous: first.status, now: new Date(NOW.getTime() + 300_000) }));
    expect(cond(later.status, "Stuck")).toBe("True/ProgressDeadlineExceeded");
    expect(findCondition(later.status.conditions, "Stuck")?.message).toBe(`no progress since ${NOW.toISOString()} (progressDeadline 300s): 2/2 cluster(s) updated`);
    // progress resets the clock
    const moved = cmaStatus(input({ spec: s, previous: later.status, result: result({ available: 1 }), now: new Date(NOW.getTime() + 301_000) }));
    expect(cond(moved.status, "Stuck")).toBe("False/Progressing");
    expect(moved.status.rollout?.progressTime).toBe(new Date(NOW.getTime() + 301_000).toISOString());
  });

  it("keeps the start time and approvals of the same update revision", () => {
    const s = cmaStatus(input({ startTime: "2025-12-31T00:00:00.000Z", approvedSteps: [{ step: 2, approvedAt: NOW.toISOString() }] })).status;
    expect(s.rollout).toMatchObject({ startTime: "2025-12-31T00:00:00.000Z", approvedSteps: [{ step: 2, approvedAt: NOW.toISOString() }] });
  });

  it("names failed clusters, a few of them", () => {
    const { status } = cmaStatus(input({ result: result({ failed: 7 }, ["a", "b", "c", "d", "e", "f", "g"]) }));
    expect(findCondition(status.conditions, "Degraded")?.message).toBe("7 failed: a, b, c, d, e and 2 more");
  });
});
