import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOnSpec } from "../api/types.js";
import { revisionName } from "./hash.js";

const spec: ClusterManagementAddOnSpec = {
  installNamespace: "ns",
  values: { a: 1, b: { c: 2 } },
  source: { manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }] },
  installStrategy: { type: "Placements", placements: [{ name: "p", clusterSelector: { matchLabels: { env: "prod" } }, values: { a: 2 } }] },
};

describe("revisionName", () => {
  const name = revisionName("metrics", spec);

  it("is <addon>-<10 hex>", () => {
    expect(name).toMatch(/^metrics-[0-9a-f]{10}$/);
  });

  it("is stable across key order and runs", () => {
    const reordered: ClusterManagementAddOnSpec = JSON.parse(JSON.stringify({ values: { b: { c: 2 }, a: 1 }, source: spec.source, installNamespace: "ns", installStrategy: spec.installStrategy }));
    expect(revisionName("metrics", reordered)).toBe(name);
  });

  it("is pinned: changing the hash input renames every published revision", () => {
    // sha256 of this canonical JSON, computed outside the code under test:
    // {"driftPolicy":"Correct","installNamespace":"ns","placementValues":{"p":{"a":2}},
    //  "source":{"manifests":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}]},"values":{"a":1,"b":{"c":2}}}
    expect(name).toBe("metrics-bb8ad04212");
  });

  it.each<[string, ClusterManagementAddOnSpec]>([
    ["values", { ...spec, values: { a: 9, b: { c: 2 } } }],
    ["source", { ...spec, source: { manifests: [] } }],
    ["placement values", { ...spec, installStrategy: { type: "Placements", placements: [{ name: "p", values: { a: 3 } }] } }],
    ["a placement's name (values are keyed by it)", { ...spec, installStrategy: { type: "Placements", placements: [{ name: "q", values: { a: 2 } }] } }],
    ["health checks", { ...spec, healthChecks: [{ kind: "Deployment" }] }],
    ["install namespace", { ...spec, installNamespace: "other" }],
    ["drift policy", { ...spec, driftPolicy: "Report" }],
    ["deleteCRDs", { ...spec, deleteCRDs: true }],
    ["permissions", { ...spec, permissions: [{ kinds: ["ConfigMap"] }] }],
  ])("changes with %s", (_n, changed) => {
    expect(revisionName("metrics", changed)).not.toBe(name);
  });

  it.each<[string, ClusterManagementAddOnSpec]>([
    ["paused", { ...spec, paused: true }],
    ["display name", { ...spec, displayName: "Metrics" }],
    ["a placement's selector", { ...spec, installStrategy: { type: "Placements", placements: [{ ...spec.installStrategy!.placements![0]!, clusterSelector: {} }] } }],
    ["an explicit default drift policy", { ...spec, driftPolicy: "Correct" }],
    ["an explicit deleteCRDs: false (the default)", { ...spec, deleteCRDs: false }],
    ["an empty permissions list (none declared)", { ...spec, permissions: [] }],
    ["a placement's rollout strategy", { ...spec, installStrategy: { type: "Placements", placements: [{ ...spec.installStrategy!.placements![0]!, rolloutStrategy: { type: "Canary" } }] } }],
  ])("does not change with %s", (_n, changed) => {
    expect(revisionName("metrics", changed)).toBe(name);
  });
});
