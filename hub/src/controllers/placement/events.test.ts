import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOnStatus } from "../../api/types.js";
import { rolloutEvents, strategiesNotApplied } from "./events.js";

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

  it("warns, once per new revision, that a Rolling or Canary placement goes out like All", () => {
    const notApplied = strategiesNotApplied([{ name: "prod", rolloutStrategy: { type: "Canary" } }, { name: "dev", rolloutStrategy: { type: "All" } }, { name: "edge" }]);
    expect(notApplied).toEqual(["prod (Canary)"]);
    expect(rolloutEvents({ previous: undefined, next: st({ updateRevision: "a-9" }), valuesValid: valid, targets: 3, notApplied })[1]).toEqual({
      type: "Warning", reason: "RolloutStrategyNotApplied", message: "placement prod (Canary): Rolling and Canary are not applied yet; a-9 goes to every cluster at once",
    });
    expect(rolloutEvents({ previous: st({ updateRevision: "a-9" }), next: st({ updateRevision: "a-9" }), valuesValid: valid, targets: 3, notApplied })).toEqual([]);
  });
});
