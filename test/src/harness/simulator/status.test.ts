import { describe, expect, it } from "vitest";
import { desiredStatus, rfc3339, sameStatus, simulatedOutcome, statusPatch, type WorkloadKind, type WorkloadObject } from "./status.js";

const now = new Date("2026-01-02T03:04:05.678Z");
const later = new Date("2026-01-02T03:09:00.000Z");
const T = "2026-01-02T03:04:05Z";

function workload(extra: { generation?: number; replicas?: number; fail?: boolean; status?: Record<string, unknown> } = {}): WorkloadObject {
  return {
    metadata: {
      name: "web",
      generation: extra.generation ?? 2,
      ...(extra.fail ? { annotations: { "dev.flotilla.dev/simulate": "fail" } } : {}),
    },
    spec: extra.replicas === undefined ? {} : { replicas: extra.replicas },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

/** Applies a merge patch of a flat status (nulls delete), as the API server would. */
function apply(status: Record<string, unknown> | undefined, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...status };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

function conditions(status: Record<string, unknown> | undefined): Record<string, [string, string]> {
  const list = (status?.conditions ?? []) as { type: string; status: string; reason: string }[];
  return Object.fromEntries(list.map((c) => [c.type, [c.status, c.reason]]));
}

describe("simulatedOutcome", () => {
  it.each([
    [{}, "ready"],
    [{ "dev.flotilla.dev/simulate": "fail" }, "fail"],
    [{ "dev.flotilla.dev/simulate": " FAIL " }, "fail"],
    [{ "dev.flotilla.dev/simulate": "ready" }, "ready"],
    [{ other: "fail" }, "ready"],
  ])("%j → %s", (annotations, outcome) => {
    expect(simulatedOutcome({ metadata: { annotations } })).toBe(outcome);
  });
});

describe("desiredStatus", () => {
  it.each<[string, WorkloadKind, WorkloadObject, Record<string, unknown>, Record<string, [string, string]>]>([
    [
      "Deployment ready",
      "Deployment",
      workload({ replicas: 3 }),
      { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 },
      { Available: ["True", "MinimumReplicasAvailable"], Progressing: ["True", "NewReplicaSetAvailable"] },
    ],
    [
      "Deployment without replicas defaults to 1",
      "Deployment",
      workload(),
      { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
      { Available: ["True", "MinimumReplicasAvailable"], Progressing: ["True", "NewReplicaSetAvailable"] },
    ],
    [
      "Deployment failing",
      "Deployment",
      workload({ replicas: 2, fail: true }),
      { observedGeneration: 2, replicas: 2, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 2 },
      { Available: ["False", "MinimumReplicasUnavailable"], Progressing: ["False", "ProgressDeadlineExceeded"] },
    ],
    [
      "StatefulSet ready",
      "StatefulSet",
      workload({ replicas: 2 }),
      { observedGeneration: 2, replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 2 },
      {},
    ],
    ["StatefulSet failing", "StatefulSet", workload({ replicas: 2, fail: true }), { replicas: 2, readyReplicas: 0, availableReplicas: 0 }, {}],
    [
      "DaemonSet ready",
      "DaemonSet",
      workload(),
      { observedGeneration: 2, desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, numberAvailable: 1, numberUnavailable: 0 },
      {},
    ],
    ["DaemonSet failing", "DaemonSet", workload({ fail: true }), { numberReady: 0, numberAvailable: 0, numberUnavailable: 1 }, {}],
    [
      "Job complete",
      "Job",
      workload(),
      { succeeded: 1, active: 0, startTime: T, completionTime: T },
      { SuccessCriteriaMet: ["True", "CompletionsReached"], Complete: ["True", "CompletionsReached"] },
    ],
    [
      "Job failed",
      "Job",
      workload({ fail: true }),
      { failed: 1, active: 0, startTime: T },
      { FailureTarget: ["True", "BackoffLimitExceeded"], Failed: ["True", "BackoffLimitExceeded"] },
    ],
  ])("%s", (_, kind, obj, fields, conds) => {
    const status = desiredStatus(kind, obj, now);
    expect(status).toMatchObject(fields);
    expect(conditions(status)).toEqual(conds);
  });

  it("Job with spec.completions succeeds that many", () => {
    expect(desiredStatus("Job", { metadata: { name: "j" }, spec: { completions: 4 } }, now)).toMatchObject({ succeeded: 4 });
  });

  it("a failed Job has no completionTime (the API rejects one)", () => {
    expect(desiredStatus("Job", workload({ fail: true }), now)).not.toHaveProperty("completionTime");
  });

  it.each<[string, WorkloadKind, WorkloadObject]>([
    ["anything being deleted", "Deployment", { metadata: { name: "x", deletionTimestamp: T } }],
    ["a suspended Job", "Job", { metadata: { name: "x" }, spec: { suspend: true } }],
    [
      "a finished Job, even if now annotated to fail",
      "Job",
      { metadata: { name: "x", annotations: { "dev.flotilla.dev/simulate": "fail" } }, status: { conditions: [{ type: "Complete", status: "True" }] } },
    ],
    ["a failed Job", "Job", { metadata: { name: "x" }, status: { conditions: [{ type: "Failed", status: "True" }] } }],
  ])("leaves %s alone", (_, kind, obj) => {
    expect(desiredStatus(kind, obj, now)).toBeUndefined();
    expect(statusPatch(kind, obj, now)).toBeUndefined();
  });
});

describe("statusPatch", () => {
  it.each<WorkloadKind>(["Deployment", "StatefulSet", "DaemonSet", "Job"])("%s converges: the patched status yields no further patch", (kind) => {
    const obj = workload({ replicas: 2 });
    const patch = statusPatch(kind, obj, now);
    expect(patch).toEqual({ status: desiredStatus(kind, obj, now) }); // nothing there yet: all of it
    const converged = { ...obj, status: apply(obj.status, patch!.status) };
    expect(statusPatch(kind, converged, later)).toBeUndefined();
  });

  it("treats fields the API omits (zeros) as equal to absent", () => {
    const obj = workload({ replicas: 1 });
    const written = apply(undefined, statusPatch("Deployment", obj, now)!.status);
    const asReadBack = Object.fromEntries(Object.entries(written).filter(([, v]) => v !== 0));
    expect(statusPatch("Deployment", { ...obj, status: asReadBack }, later)).toBeUndefined();
  });

  it("accepts Dates where list calls deserialise times", () => {
    const obj = workload({ replicas: 1 });
    const written = apply(undefined, statusPatch("Deployment", obj, now)!.status);
    const withDates = {
      ...written,
      conditions: (written.conditions as Record<string, unknown>[]).map((c) => ({
        ...c,
        lastUpdateTime: new Date(c.lastUpdateTime as string),
        lastTransitionTime: new Date(c.lastTransitionTime as string),
      })),
    };
    expect(statusPatch("Deployment", { ...obj, status: withDates }, later)).toBeUndefined();
  });

  it("re-simulates when the generation changes", () => {
    const obj = workload({ replicas: 2 });
    const status = apply(undefined, statusPatch("Deployment", obj, now)!.status);
    const patch = statusPatch("Deployment", { ...workload({ generation: 3, replicas: 2 }), status }, later);
    expect(patch?.status).toMatchObject({ observedGeneration: 3 });
  });

  it("flips a ready Deployment to failed when annotated, keeping untouched timestamps apart", () => {
    const ready = apply(undefined, statusPatch("Deployment", workload({ replicas: 1 }), now)!.status);
    const patch = statusPatch("Deployment", workload({ replicas: 1, fail: true, status: ready }), later);
    expect(conditions(patch?.status)).toEqual({
      Available: ["False", "MinimumReplicasUnavailable"],
      Progressing: ["False", "ProgressDeadlineExceeded"],
    });
    const available = (patch?.status.conditions as Record<string, string>[])[0];
    expect(available?.lastTransitionTime).toBe(rfc3339(later));
  });

  it("keeps lastTransitionTime when only the message changes (new generation)", () => {
    const ready = apply(undefined, statusPatch("Deployment", workload({ replicas: 1 }), now)!.status);
    const patch = statusPatch("Deployment", workload({ generation: 5, replicas: 1, status: ready }), later);
    const progressing = (patch?.status.conditions as Record<string, string>[]).find((c) => c.type === "Progressing");
    expect(progressing?.lastTransitionTime).toBe(T);
    expect(progressing?.lastUpdateTime).toBe(rfc3339(later));
  });

  it("nulls fields the desired status does not have", () => {
    const patch = statusPatch("Deployment", workload({ status: { collisionCount: 1, observedGeneration: 1 } }), now);
    expect(patch?.status.collisionCount).toBeNull();
  });
});

describe("sameStatus", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, boolean]>([
    ["zero vs absent", { a: 0, b: 1 }, { b: 1 }, true],
    ["empty list vs absent", { conditions: [] }, {}, true],
    ["key order", { a: 1, b: 2 }, { b: 2, a: 1 }, true],
    ["sub-second times", { t: "2026-01-02T03:04:05.123Z" }, { t: "2026-01-02T03:04:05Z" }, true],
    ["different numbers", { a: 1 }, { a: 2 }, false],
    ["condition order matters", { c: [{ type: "A" }, { type: "B" }] }, { c: [{ type: "B" }, { type: "A" }] }, false],
  ])("%s", (_, a, b, same) => {
    expect(sameStatus(a, b)).toBe(same);
  });
});
