import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOnSpec } from "../../api/types.js";
import type { ClusterView } from "../../rollout/cluster-state.js";
import { groupByPlacement, pauseSteps, planFleetRollout, withImageRefusal, type FleetRolloutDecision, type FleetRolloutInput } from "./rollout.js";

const NOW = 1_000_000;
const R = "a-new";
const OLD = "a-old";
const view = (name: string, labels: Record<string, string>, o: Partial<ClusterView> = {}): ClusterView => ({ name, labels, reachable: true, failed: false, ...o });
const source = { manifests: [{ apiVersion: "v1", kind: "ConfigMap" }] };
const spec = (placements: NonNullable<ClusterManagementAddOnSpec["installStrategy"]>["placements"]): ClusterManagementAddOnSpec => ({ source, installStrategy: { type: "Placements", placements } });
const input = (p: Partial<FleetRolloutInput>): FleetRolloutInput => ({ spec: spec([]), updateRevision: R, lastGoodRevision: OLD, revisionSince: NOW - 1000, approvals: new Map(), clusters: [], now: NOW, ...p });

describe("groupByPlacement", () => {
  it("puts each cluster in the last placement that selects it; the rest go out like All", () => {
    const s = spec([
      { name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, rolloutStrategy: { type: "Rolling" } },
      { name: "eu", clusterSelector: { matchLabels: { region: "eu" } }, rolloutStrategy: { type: "Canary", canary: { steps: [{ clusters: 1 }] } } },
      { name: "empty", clusterSelector: { matchLabels: { env: "none" } } },
    ]);
    const groups = groupByPlacement(s, [view("a", { env: "prod" }), view("b", { env: "prod", region: "eu" }), view("c", {})]);
    expect(groups.map((g) => [g.placement, g.strategy.type, g.clusters.map((c) => c.name)])).toEqual([
      ["prod", "Rolling", ["a"]],
      ["eu", "Canary", ["b"]],
      ["", "All", ["c"]],
    ]);
  });
});

describe("planFleetRollout", () => {
  it("plans each placement with its own strategy and combines the starts", () => {
    const s = spec([
      { name: "dev", clusterSelector: { matchLabels: { env: "dev" } }, rolloutStrategy: { type: "All" } },
      { name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, rolloutStrategy: { type: "Rolling", rolling: { maxConcurrency: 1 } } },
    ]);
    const d = planFleetRollout(input({ spec: s, clusters: [view("d1", { env: "dev" }), view("d2", { env: "dev" }), view("p1", { env: "prod" }), view("p2", { env: "prod" })] }));
    expect([...d.desired]).toEqual([["d1", R], ["d2", R], ["p1", R]]);
    expect(d.phase).toBe("Progressing");
    expect(d.counts).toMatchObject({ total: 4, updated: 0 });
    expect(d.message).toBe("dev: 2/2 cluster(s) updated, 0 succeeded, 2 in flight (max 2); prod: 1/2 cluster(s) updated, 0 succeeded, 1 in flight (max 1)");
  });

  it("a failed canary in one placement marks the revision failed and sends its clusters back to the last good one", () => {
    const s = spec([{ name: "all", clusterSelector: {}, rolloutStrategy: { type: "Canary", canary: { steps: [{ clusters: 1 }, { pause: {} }] } } }]);
    const d = planFleetRollout(input({ spec: s, clusters: [view("c1", {}, { desiredRevision: R, desiredSince: NOW - 10, failed: true }), view("c2", {}, { desiredRevision: OLD })] }));
    expect({ desired: [...d.desired], markFailed: d.markFailed, phase: d.phase, reason: d.reason, step: d.step }).toEqual({ desired: [["c1", OLD]], markFailed: true, phase: "RollingBack", reason: "RollingBack", step: 1 });
  });

  it("the phase that needs attention speaks for the addon; the canary's step is reported", () => {
    const s = spec([
      { name: "canary", clusterSelector: { matchLabels: { ring: "0" } }, rolloutStrategy: { type: "Canary", canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: "100%" }] } } },
      { name: "rest", clusterSelector: { matchLabels: { ring: "1" } } },
    ]);
    const done = { desiredRevision: R, desiredSince: NOW - 100, appliedRevision: R, availableSince: NOW - 50 };
    const d = planFleetRollout(input({ spec: s, clusters: [view("c1", { ring: "0" }, done), view("c2", { ring: "0" }), view("r1", { ring: "1" }, done)] }));
    expect({ phase: d.phase, reason: d.reason, step: d.step, desired: d.desired.size }).toEqual({ phase: "Paused", reason: "WaitingForApproval", step: 2, desired: 0 });
    const approved = planFleetRollout(input({ spec: s, approvals: new Map([[2, NOW - 1]]), clusters: [view("c1", { ring: "0" }, done), view("c2", { ring: "0" }), view("r1", { ring: "1" }, done)] }));
    expect([...approved.desired]).toEqual([["c2", R]]);
  });

  it("nothing to plan: Pending", () => {
    expect(planFleetRollout(input({})).phase).toBe("Pending");
  });
});

describe("pauseSteps", () => {
  it("lists the pause steps of every canary placement, 1-based", () => {
    const s = spec([
      { name: "a", clusterSelector: {}, rolloutStrategy: { type: "Canary", canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: 2 }, { pause: { duration: "1m" } }] } } },
      { name: "b", clusterSelector: {}, rolloutStrategy: { type: "Canary", canary: { steps: [{ pause: {} }, { clusters: 1 }] } } },
    ]);
    expect(pauseSteps(s)).toEqual([1, 2, 4]);
  });
});

describe("withImageRefusal", () => {
  const decided = (phase: FleetRolloutDecision["phase"]): FleetRolloutDecision => ({ ...planFleetRollout(input({})), phase, reason: "NoClusterCanStart", message: "no target cluster" });
  it.each<[FleetRolloutDecision["phase"], string]>([
    ["Pending", "ImagePolicyRefused"],
    ["Progressing", "ImagePolicyRefused"],
    ["Paused", "NoClusterCanStart"],
    ["RollingBack", "NoClusterCanStart"],
  ])("%s → reason %s", (phase, reason) => {
    const d = withImageRefusal(decided(phase), "a-new is refused: nginx");
    expect(d.reason).toBe(reason);
    if (reason === "ImagePolicyRefused") expect(d.message).toBe("a-new is refused: nginx");
  });
});
