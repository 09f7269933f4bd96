import { describe, expect, it } from "vitest";
import type { AddOnRevision, ClusterManagementAddOnSpec } from "@flotilla/shared";
import { revisionContent, revisionName } from "../revision/hash.js";
import { lostPlacementValues, specFromRevision, undoTarget } from "./undo.js";

const v1: ClusterManagementAddOnSpec = {
  installNamespace: "ns",
  values: { greeting: "hello" },
  source: { manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }] },
  installStrategy: { type: "Placements", placements: [{ name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, values: { level: "warn" } }, { name: "dev" }] },
};
const rev = (spec: ClusterManagementAddOnSpec, n: number): AddOnRevision => ({ metadata: { name: revisionName("a", spec) }, spec: { addon: "a", revision: n, ...revisionContent(spec) } });

describe("specFromRevision", () => {
  it("gives the old revision's content back, so its hash names that revision again", () => {
    const v2: ClusterManagementAddOnSpec = {
      ...v1,
      values: { greeting: "hi", extra: true },
      valuesSchema: { type: "object" },
      driftPolicy: "Report",
      paused: true,
      installStrategy: { type: "Placements", placements: [{ name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, rolloutStrategy: { type: "Rolling" } }, { name: "dev", values: { level: "debug" } }] },
    };
    const undone = specFromRevision(v2, rev(v1, 1));
    expect(revisionName("a", undone)).toBe(revisionName("a", v1));
    // what a revision does not hold stays: pause, selectors, rollout strategies
    expect(undone.paused).toBe(true);
    expect(undone.installStrategy?.placements).toEqual([
      { name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, rolloutStrategy: { type: "Rolling" }, values: { level: "warn" } },
      { name: "dev" },
    ]);
    expect(undone.valuesSchema).toBeUndefined();
  });

  it("names placements whose values it cannot restore", () => {
    const now: ClusterManagementAddOnSpec = { ...v1, installStrategy: { type: "Placements", placements: [{ name: "dev" }] } };
    expect(lostPlacementValues(now, rev(v1, 1))).toEqual(["prod"]);
  });
});

describe("undoTarget", () => {
  const revs = [rev(v1, 1), rev({ ...v1, values: { greeting: "2" } }, 2), rev({ ...v1, values: { greeting: "3" } }, 3)];
  it.each<[string | undefined, number | undefined, number]>([
    [revs[2]!.metadata!.name, undefined, 2],
    [revs[1]!.metadata!.name, undefined, 1],
    [undefined, undefined, 3],
    [revs[2]!.metadata!.name, 1, 1],
  ])("current %s, --to-revision %s → %i", (current, to, expected) => {
    expect(undoTarget(revs, current, to).spec.revision).toBe(expected);
  });

  it.each<[string | undefined, number | undefined, string]>([
    [revs[0]!.metadata!.name, undefined, "no earlier revision to go back to"],
    [revs[2]!.metadata!.name, 7, "revision 7 not found (known: 1, 2, 3)"],
  ])("current %s, --to-revision %s: %s", (current, to, message) => {
    expect(() => undoTarget(revs, current, to)).toThrow(message);
  });
});
