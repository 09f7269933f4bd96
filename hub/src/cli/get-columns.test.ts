import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOn, ManagedCluster } from "@flotilla/shared";
import { ADDON_COLUMNS, CLUSTER_COLUMNS, formatLabels, rowKey, stepOf, strategyOf, tableOf, visibleColumns } from "./get-columns.js";

const now = new Date("2026-01-01T12:00:00Z");
const cluster: ManagedCluster = {
  metadata: { name: "eu-1", creationTimestamp: "2026-01-01T11:00:00Z" as unknown as Date, labels: { region: "eu", env: "prod" } },
  spec: { hubAcceptsClient: true },
  status: {
    conditions: [
      { type: "Joined", status: "True", reason: "AgentJoined", message: "", lastTransitionTime: "2026-01-01T11:00:00Z" },
      { type: "Available", status: "True", reason: "AgentPresent", message: "", lastTransitionTime: "2026-01-01T11:00:00Z" },
    ],
    agent: { version: "0.1.0", lastSeenTime: "2026-01-01T11:58:00Z" },
    kubernetesVersion: "v1.35.4",
  },
} as ManagedCluster;

const canary = (phase: string, step: number): ClusterManagementAddOn =>
  ({
    metadata: { name: "metrics", creationTimestamp: "2026-01-01T10:00:00Z" },
    spec: {
      installStrategy: {
        type: "Placements",
        placements: [
          { name: "prod", rolloutStrategy: { type: "Canary", canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: "50%" }] } } },
          { name: "dev" },
        ],
      },
    },
    status: {
      currentRevision: "metrics-aaaaaaaaaa",
      updateRevision: "metrics-bbbbbbbbbb",
      rollout: { phase, step },
      summary: { desired: 4, updated: 1, available: 3, failed: 0, unreachable: 1 },
    },
  }) as unknown as ClusterManagementAddOn;

describe("clusters", () => {
  it.each([
    [false, ["NAME", "ACCEPTED", "JOINED", "AVAILABLE", "KUBERNETES", "AGE"], ["eu-1", "true", "True", "True", "v1.35.4", "60m"]],
    [true, ["NAME", "ACCEPTED", "JOINED", "AVAILABLE", "KUBERNETES", "AGE", "AGENT", "LAST-SEEN", "LABELS"], ["eu-1", "true", "True", "True", "v1.35.4", "60m", "0.1.0", "2m", "env=prod,region=eu"]],
  ])("wide=%s", (wide, headers, row) => {
    const t = tableOf(visibleColumns(CLUSTER_COLUMNS, wide), [cluster], now);
    expect(t.headers.map((h) => h.toUpperCase())).toEqual(headers);
    expect(t.rows).toEqual([row]);
  });

  it("shows an agent not seen yet as such", () => {
    const t = tableOf(visibleColumns(CLUSTER_COLUMNS, true), [{ metadata: { name: "new" }, spec: {} } as ManagedCluster], now);
    expect(t.rows[0]?.slice(6)).toEqual(["<none>", "<never>", "<none>"]);
  });
});

describe("addons", () => {
  it("wide adds strategy, phase, step of the canary, current revision, unreachable", () => {
    const t = tableOf(visibleColumns(ADDON_COLUMNS, true), [canary("Paused", 2)], now);
    expect(t.headers.map((h) => h.toUpperCase())).toEqual(["NAME", "DESIRED", "UPDATED", "AVAILABLE", "FAILED", "REVISION", "AGE", "STRATEGY", "PHASE", "STEP", "CURRENT", "UNREACHABLE"]);
    expect(t.rows).toEqual([["metrics", "4", "1", "3", "0", "metrics-bbbbbbbbbb", "2h", "Canary,All", "Paused", "2/3", "metrics-aaaaaaaaaa", "1"]]);
  });

  it.each([
    [{ spec: {} }, "Manual"],
    [{ spec: { installStrategy: { type: "Manual" } } }, "Manual"],
    [{ spec: { installStrategy: { type: "Placements", placements: [] } } }, "<none>"],
    [{ spec: { installStrategy: { type: "Placements", placements: [{ name: "a" }, { name: "b", rolloutStrategy: { type: "All" } }] } } }, "All"],
  ])("strategy of %j is %s", (a, want) => expect(strategyOf(a as ClusterManagementAddOn)).toBe(want));

  it.each([
    [canary("Progressing", 0), "-"],
    [canary("Progressing", 3), "3/3"],
    [{ spec: {}, status: { rollout: { step: 2 } } }, "2"],
  ])("step %#", (a, want) => expect(stepOf(a as ClusterManagementAddOn)).toBe(want));
});

describe("formatLabels", () => {
  it.each([
    [undefined, "<none>"],
    [{}, "<none>"],
    [{ b: "2", a: "1" }, "a=1,b=2"],
  ])("%j → %s", (labels, want) => expect(formatLabels(labels)).toBe(want));
});

describe("rowKey", () => {
  it("leaves out the cells that move with the clock alone", () => {
    const cols = visibleColumns(CLUSTER_COLUMNS, true);
    const at = (t: string) => tableOf(cols, [cluster], new Date(t)).rows[0] ?? [];
    expect(rowKey(cols, at("2026-01-01T12:00:00Z"))).toBe(rowKey(cols, at("2026-01-02T12:00:00Z")));
  });
});
