import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOnStatus } from "../../api/types.js";
import { describeStrategies, rolloutEvents } from "./events.js";

const t = "2026-01-01T00:00:00Z";
const valid = { type: "ValuesValid", status: "True", reason: "Valid", message: "" } as const;
const invalid = { type: "ValuesValid", status: "False", reason: "SchemaMismatch", message: "bad" } as const;
const st = (o: Partial<ClusterManagementAddOnStatus>): ClusterManagementAddOnStatus => ({ updateRevision: "a-1", ...o });

describe("rolloutEvents", () => {
  it.each([
    { name: "nothing new", previous: st({}), next: st({}), valuesValid: valid, expected: [] },
    { name: "first status", previous: undefined, next: st({}), valuesValid: valid, expected: ["RolloutStarted"] },
    { name: "new update revision", previous: st({}), next: st({ updateRevision: "a-2" }), valuesValid: valid, expected: ["RolloutStarted"] },
    { name: "rollout complete", previous: st({}), next: st({ currentRevision: "a-1" }), valuesValid: valid, expected: ["RolloutSucceeded"] },
    { name: "values turn invalid", previous: st({}), next: st({}), valuesValid: invalid, expected: ["SchemaMismatch"] },
    {
      name: "values stay invalid for the same reason",
      previous: st({ conditions: [{ ...invalid, lastTransitionTime: t }] }),
      next: st({}),
      valuesValid: invalid,
      expected: [],
    },
    {
      name: "values invalid for another reason",
      previous: st({ conditions: [{ ...invalid, reason: "Other", lastTransitionTime: t }] }),
      next: st({}),
      valuesValid: invalid,
      expected: ["SchemaMismatch"],
    },
    { name: "rollout fails", previous: st({}), next: st({ rollout: { phase: "Failed", step: 0, message: "" } }), valuesValid: valid, expected: ["RolloutFailed"] },
    {
      name: "rollout still failed",
      previous: st({ rollout: { phase: "Failed", step: 0, message: "" } }),
      next: st({ rollout: { phase: "Failed", step: 0, message: "" } }),
      valuesValid: valid,
      expected: [],
    },
  ] as { name: string; previous?: ClusterManagementAddOnStatus; next: ClusterManagementAddOnStatus; valuesValid: typeof valid | typeof invalid; expected: string[] }[])(
    "$name",
    ({ previous, next, valuesValid, expected }) => {
      expect(rolloutEvents({ previous, next, valuesValid, targets: 2 }).map((e) => e.reason)).toEqual(expected);
    },
  );

  it("says what rolls out where", () => {
    expect(rolloutEvents({ previous: undefined, next: st({ updateRevision: "a-9" }), valuesValid: valid, targets: 3 })).toEqual([
      { type: "Normal", reason: "RolloutStarted", message: "rolling out a-9 to 3 clusters (strategy All)" },
    ]);
  });

  it("warns once when dependsOn names an unknown addon or forms a cycle, not while clusters wait", () => {
    const unknown = { type: "DependenciesReady", status: "False" as const, reason: "UnknownDependency", message: "dependsOn names x, which is not an addon" };
    expect(rolloutEvents({ previous: st({ updateRevision: "a-9" }), next: st({ updateRevision: "a-9" }), valuesValid: valid, dependencies: unknown, targets: 1 })).toEqual([
      { type: "Warning", reason: "UnknownDependency", message: "dependsOn names x, which is not an addon" },
    ]);
    const already = st({ updateRevision: "a-9", conditions: [{ ...unknown, lastTransitionTime: "2026-01-01T00:00:00Z" }] });
    expect(rolloutEvents({ previous: already, next: already, valuesValid: valid, dependencies: unknown, targets: 1 })).toEqual([]);
    const waiting = { ...unknown, reason: "Waiting", message: "1 cluster(s) wait" };
    expect(rolloutEvents({ previous: st({ updateRevision: "a-9" }), next: st({ updateRevision: "a-9" }), valuesValid: valid, dependencies: waiting, targets: 1 })).toEqual([]);
  });

  it("tells a canary's story: step, wait, approval, clusters started, failure, rollback, success, stuck", () => {
    const at = (phase: string, reason: string, step: number, message: string, o: Partial<ClusterManagementAddOnStatus> = {}) =>
      st({ rollout: { phase: phase as "Progressing", reason, step, message }, ...o });
    const reasons = (previous: ClusterManagementAddOnStatus, next: ClusterManagementAddOnStatus, o: { started?: string[]; rolledBack?: string[] } = {}) =>
      rolloutEvents({ previous, next, valuesValid: valid, targets: 5, ...o }).map((e) => `${e.type}/${e.reason}`);
    const step1 = at("Progressing", "ClustersInFlight", 1, "canary step 1/3: …");
    expect(reasons(st({ rollout: { phase: "Pending", step: 0, message: "" } }), step1, { started: ["c1"] })).toEqual(["Normal/CanaryStep", "Normal/ClustersStarted"]);
    const waiting = at("Paused", "WaitingForApproval", 2, "canary step 2/3: waiting for approval");
    expect(reasons(step1, waiting)).toEqual(["Normal/WaitingForApproval"]);
    const approved = at("Progressing", "ClustersInFlight", 3, "canary step 3/3: …", { rollout: { phase: "Progressing", reason: "ClustersInFlight", step: 3, message: "m", approvedSteps: [{ step: 2, approvedAt: t }] } });
    expect(reasons(waiting, approved, { started: ["c2", "c3"] })).toEqual(["Normal/CanaryStep", "Normal/Approved", "Normal/ClustersStarted"]);
    const back = at("RollingBack", "RollingBack", 1, "canary step 1/3: 1 cluster(s) failed");
    expect(reasons(step1, back, { rolledBack: ["c1"] })).toEqual(["Warning/RollingBack"]);
    expect(reasons(back, at("RolledBack", "RolledBack", 0, "every cluster is back"))).toEqual(["Warning/RolledBack"]);
    expect(reasons(step1, at("Failed", "StepFailed", 1, "failed"))).toEqual(["Warning/RolloutFailed"]);
    expect(reasons(step1, st({ currentRevision: "a-1", rollout: { phase: "Succeeded", step: 3, message: "" } }))).toEqual(["Normal/RolloutSucceeded"]);
    const stuck = st({ conditions: [{ type: "Stuck", status: "True", reason: "ProgressDeadlineExceeded", message: "no progress", lastTransitionTime: t }] });
    expect(reasons(st({}), stuck)).toEqual(["Warning/RolloutStuck"]);
    expect(reasons(stuck, stuck)).toEqual([]);
  });

  it("names the strategy of each placement", () => {
    expect(describeStrategies([])).toBe("strategy All");
    expect(describeStrategies([{ placement: "p", strategy: { type: "Canary", canary: { steps: [{ clusters: 1 }, { pause: {} }] } } }])).toBe("strategy Canary, 2 steps");
    expect(describeStrategies([{ placement: "a", strategy: { type: "Rolling" } }, { placement: "", strategy: { type: "All" } }])).toBe("a: Rolling; unplaced: All");
  });
});

describe("rolloutEvents: image policy", () => {
  const refused = { type: "ImagePolicyCompliant", status: "False", reason: "ImageNotAllowed", message: "a-1 is refused, no cluster starts on it: nginx" } as const;
  const ok = { type: "ImagePolicyCompliant", status: "True", reason: "Compliant", message: "a-1: 1 image(s) satisfy 1 image policy" } as const;
  const reasons = (previous: ClusterManagementAddOnStatus, imagePolicy: typeof refused | typeof ok) => rolloutEvents({ previous, next: st({}), valuesValid: valid, imagePolicy, targets: 2 }).map((e) => [e.type, e.reason]);
  it.each<[string, ClusterManagementAddOnStatus, typeof refused | typeof ok, string[][]]>([
    ["a refusal is a Warning", st({}), refused, [["Warning", "ImageNotAllowed"]]],
    ["told once", st({ conditions: [{ ...refused, lastTransitionTime: t }] }), refused, []],
    ["refused for something new: told again", st({ conditions: [{ ...refused, message: "a-1 is refused, no cluster starts on it: redis", lastTransitionTime: t }] }), refused, [["Warning", "ImageNotAllowed"]]],
    ["compliant: nothing", st({ conditions: [{ ...refused, lastTransitionTime: t }] }), ok, []],
  ])("%s", (_n, previous, imagePolicy, expected) => {
    expect(reasons(previous, imagePolicy)).toEqual(expected);
  });
});
