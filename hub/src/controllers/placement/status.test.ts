import { describe, expect, it } from "vitest";
import { findCondition } from "@flotilla/shared";
import type { ClusterManagementAddOnSpec, ClusterManagementAddOnStatus } from "../../api/types.js";
import { differsIgnoring } from "../../kube/diff.js";
import { cmaStatus, type CmaStatusInput } from "./status.js";
import type { SummaryResult } from "./summary.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const spec: ClusterManagementAddOnSpec = { source: { manifests: [{ apiVersion: "v1", kind: "ConfigMap" }] } };
const result = (over: Partial<SummaryResult["summary"]>, complete: boolean, failedClusters: string[] = []): SummaryResult => ({
  summary: { desired: 2, updated: 2, applied: 0, available: 0, progressing: 2, failed: 0, unreachable: 0, ...over },
  complete,
  failedClusters,
});
const input = (p: Partial<CmaStatusInput>): CmaStatusInput => ({ spec, generation: 4, previous: undefined, updateRevision: "a-2", result: result({}, false), held: 0, valuesValid: { type: "ValuesValid", status: "True", reason: "NoSchema", message: "" }, now: NOW, ...p });
const cond = (s: ClusterManagementAddOnStatus, t: string) => {
  const c = findCondition(s.conditions, t);
  return c && `${c.status}/${c.reason}`;
};

describe("cmaStatus", () => {
  it.each<[string, Partial<CmaStatusInput>, Record<string, string>, string, string | undefined]>([
    ["rolling out", {}, { Ready: "False/RollingOut", Progressing: "True/RollingOut", Degraded: "False/AsExpected", SourceResolved: "True/InlineManifests" }, "Progressing", undefined],
    [
      "complete: current catches up",
      { result: result({ available: 2, applied: 2, progressing: 0 }, true) },
      { Ready: "True/RolloutComplete", Progressing: "False/RolloutComplete", Degraded: "False/AsExpected" },
      "Succeeded",
      "a-2",
    ],
    ["failures", { result: result({ failed: 1, progressing: 1 }, false, ["c9"]) }, { Ready: "False/ClustersFailed", Degraded: "True/ClustersFailed" }, "Failed", undefined],
    ["paused", { spec: { ...spec, paused: true }, held: 2 }, { Ready: "False/Paused", Progressing: "False/Paused" }, "Paused", undefined],
    ["helm source", { spec: { source: { helm: { repoURL: "https://charts.example.com", chart: "x" } } } }, { Ready: "False/SourceUnresolved", SourceResolved: "False/HelmNotSupported" }, "Pending", undefined],
    ["no source", { spec: { source: {} } }, { SourceResolved: "False/NoSource" }, "Pending", undefined],
    ["no schema", {}, { ValuesValid: "True/NoSchema" }, "Progressing", undefined],
    [
      "values invalid",
      { valuesValid: { type: "ValuesValid", status: "False", reason: "ValuesInvalid", message: "values invalid on 1 cluster(s): c: values.r: must be >= 0" } },
      { ValuesValid: "False/ValuesInvalid" },
      "Progressing",
      undefined,
    ],
  ])("%s", (_n, p, conds, phase, current) => {
    const s = cmaStatus(input(p));
    for (const [t, want] of Object.entries(conds)) expect(cond(s, t)).toBe(want);
    expect(s.rollout?.phase).toBe(phase);
    expect(s.currentRevision).toBe(current);
    expect(s.updateRevision).toBe("a-2");
    expect(s.observedGeneration).toBe(4);
  });

  it("keeps the previous current revision until the new one is everywhere", () => {
    const s = cmaStatus(input({ previous: { currentRevision: "a-1", updateRevision: "a-1" } }));
    expect(s.currentRevision).toBe("a-1");
  });

  it("is stable: recomputing from its own output changes nothing worth writing", () => {
    const first = cmaStatus(input({}));
    const again = cmaStatus(input({ previous: first, now: new Date(NOW.getTime() + 60_000) }));
    expect(differsIgnoring(again, first)).toBe(false);
    expect(findCondition(again.conditions, "Ready")?.lastTransitionTime).toBe(NOW.toISOString());
  });

  it("names failed clusters, a few of them", () => {
    const s = cmaStatus(input({ result: result({ failed: 7 }, false, ["a", "b", "c", "d", "e", "f", "g"]) }));
    expect(findCondition(s.conditions, "Degraded")?.message).toBe("7 failed: a, b, c, d, e and 2 more");
  });
});
