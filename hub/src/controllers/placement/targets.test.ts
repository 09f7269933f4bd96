import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOnSpec } from "../../api/types.js";
import { planTargets, type ClusterFacts, type ExistingMca } from "./targets.js";

const clusters: ClusterFacts[] = [
  { name: "a", labels: { env: "prod" }, accepted: true },
  { name: "b", labels: { env: "dev" }, accepted: true },
  { name: "c", labels: { env: "prod" }, accepted: false },
  { name: "d", labels: { env: "prod", region: "eu" }, accepted: true },
];
const source = { manifests: [] };
const prod: ClusterManagementAddOnSpec = { source, installStrategy: { type: "Placements", placements: [{ name: "prod", clusterSelector: { matchLabels: { env: "prod" } } }] } };
const mca = (cluster: string, managed = true, deleting = false): ExistingMca => ({ cluster, managed, deleting });

describe("planTargets", () => {
  it.each<[string, ClusterManagementAddOnSpec, ExistingMca[], { targets: string[]; create: string[]; delete: string[] }]>([
    ["accepted matching clusters get an MCA", prod, [], { targets: ["a", "d"], create: ["a", "d"], delete: [] }],
    ["existing MCAs are not created again", prod, [mca("a")], { targets: ["a", "d"], create: ["d"], delete: [] }],
    ["MCAs that no longer match are deleted", prod, [mca("a"), mca("b")], { targets: ["a", "d"], create: ["d"], delete: ["b"] }],
    ["an unaccepted cluster loses its MCA", prod, [mca("c")], { targets: ["a", "d"], create: ["a", "d"], delete: ["c"] }],
    ["an MCA being deleted is not deleted again", prod, [mca("b", true, true)], { targets: ["a", "d"], create: ["a", "d"], delete: [] }],
    ["a hand-made MCA is kept and targeted", prod, [mca("b", false)], { targets: ["a", "b", "d"], create: ["a", "d"], delete: [] }],
    [
      "any of several placements",
      { source, installStrategy: { type: "Placements", placements: [{ name: "eu", clusterSelector: { matchLabels: { region: "eu" } } }, { name: "dev", clusterSelector: { matchLabels: { env: "dev" } } }] } },
      [],
      { targets: ["b", "d"], create: ["b", "d"], delete: [] },
    ],
    ["an empty selector matches every accepted cluster", { source, installStrategy: { type: "Placements", placements: [{ name: "all" }] } }, [], { targets: ["a", "b", "d"], create: ["a", "b", "d"], delete: [] }],
    ["no placements, no targets", { source, installStrategy: { type: "Placements" } }, [mca("a")], { targets: [], create: [], delete: ["a"] }],
    ["Manual: existing MCAs on accepted clusters only, nothing created or deleted", { source, installStrategy: { type: "Manual", placements: prod.installStrategy!.placements! } }, [mca("b"), mca("c")], { targets: ["b"], create: [], delete: [] }],
    ["no install strategy means Manual (the CRD default)", { source }, [mca("a")], { targets: ["a"], create: [], delete: [] }],
  ])("%s", (_n, spec, mcas, want) => {
    expect(planTargets(spec, clusters, mcas)).toEqual(want);
  });
});
