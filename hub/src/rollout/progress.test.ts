import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOn, Condition, ManagedCluster, ManagedClusterAddOn, ManagedClusterAddOnStatus, RolloutStatus } from "@flotilla/shared";
import { clusterProgress, placementTargets, rolloutProgress, stepWhat, type ClusterProgress } from "./progress.js";

const T0 = "2026-01-01T00:00:00Z";
const cond = (type: string, status: "True" | "False" | "Unknown", lastTransitionTime = T0): Condition => ({ type, status, reason: "R", message: "", lastTransitionTime });

const R = "m-new";
const cluster = (name: string, labels: Record<string, string> = {}, available = true, accepted = true): ManagedCluster => ({
  metadata: { name, labels },
  spec: { hubAcceptsClient: accepted },
  status: { conditions: [cond("Available", available ? "True" : "Unknown")] },
});
const mca = (ns: string, status: ManagedClusterAddOnStatus): ManagedClusterAddOn => ({ metadata: { name: "m", namespace: ns }, spec: {}, status });
const onR = (ns: string, since = T0) => mca(ns, { desiredRevision: R, desiredRevisionTime: T0, appliedRevision: R, observedRevision: R, conditions: [cond("Available", "True", since)] });
const applying = (ns: string) => mca(ns, { desiredRevision: R, desiredRevisionTime: T0, appliedRevision: "m-old", observedRevision: "m-old", conditions: [cond("Available", "True")] });
const failing = (ns: string) => mca(ns, { desiredRevision: R, observedRevision: R, appliedRevision: "m-old", conditions: [cond("Degraded", "True")] });
const old = (ns: string) => mca(ns, { desiredRevision: "m-old", appliedRevision: "m-old", conditions: [cond("Available", "True")] });

const canaryCma = (rollout: RolloutStatus): ClusterManagementAddOn => ({
  metadata: { name: "m", generation: 1 },
  spec: {
    source: { manifests: [] },
    installStrategy: {
      type: "Placements",
      placements: [
        {
          name: "prod",
          clusterSelector: { matchLabels: { env: "prod" } },
          rolloutStrategy: {
            type: "Canary",
            orderLabel: "wave",
            rolling: { maxConcurrency: 2, minSuccessTime: "1m" },
            canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusterSelector: { matchLabels: { ring: "1" } } }, { pause: { duration: "10m" } }] },
          },
        },
      ],
    },
  },
  status: { observedGeneration: 1, updateRevision: R, currentRevision: "m-old", rollout },
});

// wave orders p3 first; ring 1 adds p1 and p2; p4, p5 are the rolling rest
const prod = [
  cluster("p1", { env: "prod", wave: "2", ring: "1" }),
  cluster("p2", { env: "prod", wave: "2", ring: "1" }),
  cluster("p3", { env: "prod", wave: "1" }),
  cluster("p4", { env: "prod", wave: "3" }),
  cluster("p5", { env: "prod", wave: "3" }, false),
  cluster("dev1", { env: "dev" }),
];

const LATER = new Date("2026-01-01T01:00:00Z");
/** Within the progressDeadline of clusters that took R at T0, after a 1m soak. */
const SOON = new Date("2026-01-01T00:05:00Z");
const timing = (now = LATER, minSuccessMs = 0) => ({ minSuccessMs, progressDeadlineMs: 10 * 60_000, now: now.getTime() });

describe("clusterProgress", () => {
  it.each<[string, ManagedClusterAddOn | undefined, boolean, ClusterProgress]>([
    ["no MCA yet", undefined, true, "waiting"],
    ["desired elsewhere", old("a"), true, "waiting"],
    ["desired elsewhere, unreachable", old("a"), false, "unreachable"],
    ["applying R, past progressDeadline: failed (timed out)", applying("a"), true, "failed"],
    ["applying R, unreachable", applying("a"), false, "unreachable"],
    ["Available on R", onR("a"), true, "succeeded"],
    ["Available on R, unreachable since: settled", onR("a"), false, "succeeded"],
    ["Degraded on R", failing("a"), true, "failed"],
    ["Degraded about an older revision", mca("a", { desiredRevision: R, desiredRevisionTime: "2026-01-01T00:59:00Z", observedRevision: "m-old", conditions: [cond("Degraded", "True")] }), true, "inFlight"],
    ["the hub cannot render for it", mca("a", { desiredRevision: R, conditions: [cond("Rendered", "False")] }), true, "failed"],
  ])("%s", (_name, m, reachable, want) => {
    expect(clusterProgress(m, R, reachable, timing()).progress).toBe(want);
  });

  it("judges as the planner does: applying R within progressDeadline is in flight; Available but soaking is in flight", () => {
    expect(clusterProgress(applying("a"), R, true, timing(new Date("2026-01-01T00:05:00Z"))).progress).toBe("inFlight");
    expect(clusterProgress(onR("a"), R, true, timing(new Date("2026-01-01T00:00:30Z"), 60_000)).progress).toBe("inFlight");
    expect(clusterProgress(onR("a"), R, true, timing(new Date("2026-01-01T00:01:00Z"), 60_000))).toEqual({ progress: "succeeded", availableSince: Date.parse(T0) });
  });
});

describe("placementTargets", () => {
  it("takes accepted clusters matching the selector; the last matching placement wins", () => {
    const cma: ClusterManagementAddOn = {
      metadata: { name: "m" },
      spec: { source: { manifests: [] }, installStrategy: { type: "Placements", placements: [{ name: "all", clusterSelector: {} }, { name: "dev", clusterSelector: { matchLabels: { env: "dev" } } }] } },
    };
    const got = placementTargets(cma, [...prod, cluster("x", { env: "dev" }, true, false)]);
    expect(got.get("all")?.map((c) => c.metadata?.name)).toEqual(["p1", "p2", "p3", "p4", "p5"]);
    expect(got.get("dev")?.map((c) => c.metadata?.name)).toEqual(["dev1"]);
  });
});

describe("stepWhat", () => {
  it.each([
    [{ clusters: 2 }, "clusters 2"],
    [{ clusters: "10%" }, "clusters 10%"],
    [{ clusterSelector: { matchLabels: { ring: "1" }, matchExpressions: [{ key: "zone", operator: "In" as const, values: ["a", "b"] }, { key: "gpu", operator: "Exists" as const }] } }, "selector ring=1,zone in (a,b),gpu"],
  ])("%j → %s", (step, want) => expect(stepWhat(step)).toBe(want));
});

describe("rolloutProgress", () => {
  it("cuts the canary steps as the planner does and counts each step's members", () => {
    const mcas = [onR("p3"), applying("p1"), failing("p2"), old("p4"), old("p5")];
    const [p] = rolloutProgress(canaryCma({ phase: "Progressing", step: 3, approvedSteps: [{ step: 2, approvedAt: "2026-01-01T00:05:00Z" }] }), mcas, prod, SOON);
    expect(p?.name).toBe("prod");
    expect(p?.steps).toEqual([
      { kind: "clusters", index: 1, what: "clusters 1", current: false, counts: { members: 1, succeeded: 1, inFlight: 0, failed: 0, unreachable: 0 } },
      { kind: "pause", index: 2, current: false, state: { kind: "approved", at: "2026-01-01T00:05:00Z" } },
      { kind: "clusters", index: 3, what: "selector ring=1", current: true, counts: { members: 3, succeeded: 1, inFlight: 1, failed: 1, unreachable: 0 } },
      { kind: "pause", index: 4, duration: "10m", current: false, state: { kind: "ahead" } },
    ]);
    expect(p?.rest).toEqual({ members: 2, succeeded: 0, inFlight: 0, failed: 0, unreachable: 1 });
  });

  it("a pause waiting for approval, and a timed pause counting from when the step before was done", () => {
    const waiting = rolloutProgress(canaryCma({ phase: "Paused", reason: "WaitingForApproval", step: 2 }), [onR("p3")], prod, LATER)[0]?.steps[1];
    expect(waiting).toMatchObject({ kind: "pause", current: true, state: { kind: "waitingForPromote" } });
    const rollout: RolloutStatus = { phase: "Paused", reason: "PauseDuration", step: 4, startTime: T0, approvedSteps: [{ step: 2, approvedAt: "2026-01-01T00:05:00Z" }] };
    const mcas = [onR("p3"), onR("p1", "2026-01-01T00:07:00Z"), onR("p2", "2026-01-01T00:08:00Z")];
    // p2 Available at 00:08 + minSuccessTime 1m = 00:09, + 10m
    expect(rolloutProgress(canaryCma(rollout), mcas, prod, LATER)[0]?.steps[3]).toMatchObject({ state: { kind: "waitsUntil", until: "2026-01-01T00:19:00.000Z" } });
  });

  it("once Succeeded every pause has passed", () => {
    const steps = rolloutProgress(canaryCma({ phase: "Succeeded", step: 4 }), [onR("p1"), onR("p2"), onR("p3")], prod, LATER)[0]?.steps;
    expect(steps?.filter((s) => s.kind === "pause").map((s) => s.kind === "pause" && s.state)).toEqual([{ kind: "passed" }, { kind: "passed" }]);
  });

  it("other strategies count every cluster of the placement; nothing without an update revision", () => {
    const cma = canaryCma({ phase: "Progressing" });
    cma.spec!.installStrategy!.placements![0]!.rolloutStrategy = { type: "Rolling" };
    expect(rolloutProgress(cma, [onR("p1"), applying("p2")], prod, SOON)).toEqual([
      { name: "prod", strategy: { type: "Rolling" }, steps: [], rest: { members: 5, succeeded: 1, inFlight: 1, failed: 0, unreachable: 1 } },
    ]);
    expect(rolloutProgress({ ...cma, status: {} }, [], prod, LATER)).toEqual([]);
  });
});
