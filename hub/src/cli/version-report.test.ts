import { describe, expect, it } from "vitest";
import type { ManagedCluster } from "@flotilla/shared";
import { agentVersions, formatVersion, hubVersion, skewed, type VersionReport } from "./version-report.js";

const mc = (name: string, version?: string, available = "True"): ManagedCluster =>
  ({
    metadata: { name },
    status: {
      ...(version ? { agent: { version } } : {}),
      kubernetesVersion: "v1.35.4",
      conditions: [{ type: "Available", status: available, reason: "X", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" }],
    },
  }) as ManagedCluster;

describe("agentVersions", () => {
  it("lists each cluster's agent by name, those not joined without a version", () => {
    expect(agentVersions([mc("b", "0.1.0"), mc("a", undefined, "Unknown")])).toEqual([
      { cluster: "a", kubernetesVersion: "v1.35.4", available: "Unknown" },
      { cluster: "b", version: "0.1.0", kubernetesVersion: "v1.35.4", available: "True" },
    ]);
  });
});

describe("hubVersion", () => {
  it.each([
    [undefined, { lease: "ns/l" }],
    [{ holderIdentity: "", version: "0.1.0" }, { lease: "ns/l", version: "0.1.0" }],
    [{ holderIdentity: "hub-1", version: "0.1.0" }, { lease: "ns/l", version: "0.1.0", leader: "hub-1" }],
  ])("%j → %j", (lease, want) => expect(hubVersion("ns/l", lease)).toEqual(want));
});

describe("formatVersion", () => {
  const report: VersionReport = {
    clientVersion: "0.1.0",
    hub: { lease: "flotilla-system/flotilla-hub", version: "0.1.0", leader: "hub-1" },
    agents: agentVersions([mc("cluster-1", "0.1.0"), mc("cluster-2", "0.0.9")]),
  };

  it("prints the client, the hub and the agents, warning of skew", () => {
    expect(formatVersion(report)).toBe(
      [
        "Client Version: 0.1.0",
        "Hub Version: 0.1.0 (leader hub-1, Lease flotilla-system/flotilla-hub)",
        "Agents:",
        "CLUSTER     AGENT   KUBERNETES   AVAILABLE",
        "cluster-1   0.1.0   v1.35.4      True",
        "cluster-2   0.0.9   v1.35.4      True",
        "WARNING: cluster cluster-2 runs agent 0.0.9, the hub 0.1.0",
        "",
      ].join("\n"),
    );
  });

  it.each([
    [{ clientVersion: "1.0.0" }, "Client Version: 1.0.0\n"],
    [{ clientVersion: "1", hub: { lease: "n/l" }, agents: [] }, "Client Version: 1\nHub Version: unknown (no hub has held the leader Lease n/l: is the hub running?)\nAgents: no managed clusters\n"],
    [{ clientVersion: "1", hub: { lease: "n/l", version: "1" } }, "Client Version: 1\nHub Version: 1 (no leader now; the last one's, Lease n/l)\n"],
  ])("%j", (r, want) => expect(formatVersion(r as VersionReport)).toBe(want));

  it("finds no skew without a hub version or with agents not joined", () => {
    expect(skewed({ clientVersion: "1", agents: agentVersions([mc("a", "0")]) })).toEqual([]);
    expect(skewed({ clientVersion: "1", hub: { lease: "l", version: "1" }, agents: agentVersions([mc("a")]) })).toEqual([]);
  });
});
