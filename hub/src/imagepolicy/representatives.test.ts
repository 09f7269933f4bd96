import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOnSpec } from "../api/types.js";
import { representatives } from "./representatives.js";

const spec: ClusterManagementAddOnSpec = {
  source: { manifests: [] },
  installStrategy: {
    type: "Placements",
    placements: [
      { name: "prod", clusterSelector: { matchLabels: { env: "prod" } } },
      { name: "eu", clusterSelector: { matchLabels: { region: "eu" } } },
    ],
  },
};
const c = (name: string, labels: Record<string, string> = {}) => ({ name, labels });

describe("representatives", () => {
  it.each<[string, ReturnType<typeof c>[], string[]]>([
    ["no target: one render for nobody", [], [""]],
    ["one per placement, first by name; the last matching placement wins", [c("b", { env: "prod" }), c("a", { env: "prod" }), c("c", { env: "prod", region: "eu" })], ["a", "c"]],
    ["clusters no placement selects get one too", [c("z"), c("y", { env: "prod" })], ["y", "z"]],
  ])("%s", (_n, targets, names) => {
    expect(representatives(spec, targets).map((t) => t.name)).toEqual(names);
  });
});
