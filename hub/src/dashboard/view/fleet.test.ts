import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOn, ManagedCluster } from "@flotilla/shared";
import { clusterGroup, fleetView } from "./fleet.js";

const T0 = "2026-01-01T00:00:00Z";
const cluster = (name: string, accepted: boolean, available?: "True" | "False" | "Unknown"): ManagedCluster => ({
  metadata: { name },
  spec: { hubAcceptsClient: accepted },
  status: { conditions: available ? [{ type: "Available", status: available, reason: available === "True" ? "AgentPresent" : "PresenceLapsed", message: "", lastTransitionTime: T0 }] : [] },
});
const addon = (name: string, phase?: string): ClusterManagementAddOn =>
  ({ metadata: { name }, spec: { source: { manifests: [] } }, status: phase ? { rollout: { phase }, summary: { desired: 2, available: 1, failed: 0 } } : {} }) as unknown as ClusterManagementAddOn;

describe("clusterGroup", () => {
  it.each([
    ["not accepted wins over anything", cluster("c", false, "True"), "notAccepted"],
    ["no Available condition yet", cluster("c", true), "joining"],
    ["Available", cluster("c", true, "True"), "available"],
    ["presence lapsed", cluster("c", true, "Unknown"), "unknown"],
    ["unavailable", cluster("c", true, "False"), "unavailable"],
  ] as const)("%s", (_n, c, want) => expect(clusterGroup(c)).toBe(want));
});

describe("fleetView", () => {
  it("groups clusters by condition and addons by phase, what needs a person first, names sorted, empty groups left out", () => {
    const v = fleetView({
      clusters: [cluster("b", true, "True"), cluster("a", true, "True"), cluster("z", true, "Unknown"), cluster("n", false)],
      addons: [addon("ok", "Succeeded"), addon("waits", "Paused"), addon("new"), addon("bad", "Failed")],
      problems: [],
      loading: [],
    });
    expect(v.clusters.map((g) => [g.key, g.tone, g.clusters.map((c) => c.name)])).toEqual([
      ["unknown", "warn", ["z"]],
      ["notAccepted", "idle", ["n"]],
      ["available", "ok", ["a", "b"]],
    ]);
    expect(v.clusters[0]?.clusters[0]?.why).toBe("PresenceLapsed");
    expect(v.addons.map((g) => [g.phase, g.tone, g.addons.map((a) => a.name)])).toEqual([
      ["Failed", "bad", ["bad"]],
      ["Paused", "warn", ["waits"]],
      ["Pending", "idle", ["new"]],
      ["Succeeded", "ok", ["ok"]],
    ]);
    expect(v).toMatchObject({ clusterCount: 4, addonCount: 4 });
  });
});
