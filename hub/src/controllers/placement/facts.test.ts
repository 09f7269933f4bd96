import { describe, expect, it } from "vitest";
import { ADDON_NAME_LABEL } from "@flotilla/shared";
import type { ManagedCluster, ManagedClusterAddOn, ManagedClusterAddOnStatus } from "../../api/types.js";
import { clusterFacts, existingMcas, invalidClusterValues, reachableClusters, summaryTargets } from "./facts.js";

const t = "2026-01-01T00:00:00Z";
const mc = (name: string, o: { accepted?: boolean; deleting?: boolean; available?: boolean; labels?: Record<string, string> } = {}): ManagedCluster => ({
  metadata: { name, labels: o.labels ?? {}, ...(o.deleting ? { deletionTimestamp: new Date(t) } : {}) },
  spec: { hubAcceptsClient: o.accepted ?? true },
  status: { conditions: o.available ? [{ type: "Available", status: "True", reason: "x", message: "", lastTransitionTime: t }] : [] },
}) as ManagedCluster;

describe("clusterFacts", () => {
  it.each([
    { name: "accepted", c: mc("c1", { labels: { env: "dev" } }), expected: { name: "c1", labels: { env: "dev" }, accepted: true } },
    { name: "not accepted", c: mc("c1", { accepted: false }), expected: { name: "c1", labels: {}, accepted: false } },
    { name: "being deleted", c: mc("c1", { deleting: true }), expected: { name: "c1", labels: {}, accepted: false } },
  ])("$name", ({ c, expected }) => {
    expect(clusterFacts([c])).toEqual([expected]);
  });
});

describe("existingMcas", () => {
  const mca = (labels: Record<string, string>, deleting = false): ManagedClusterAddOn =>
    ({ metadata: { name: "a", namespace: "c1", labels, ...(deleting ? { deletionTimestamp: new Date(t) } : {}) } }) as ManagedClusterAddOn;
  it.each([
    { name: "made by placement", m: mca({ [ADDON_NAME_LABEL]: "a" }), expected: { cluster: "c1", managed: true, deleting: false } },
    { name: "made by hand", m: mca({}), expected: { cluster: "c1", managed: false, deleting: false } },
    { name: "label of another addon", m: mca({ [ADDON_NAME_LABEL]: "b" }), expected: { cluster: "c1", managed: false, deleting: false } },
    { name: "being deleted", m: mca({ [ADDON_NAME_LABEL]: "a" }, true), expected: { cluster: "c1", managed: true, deleting: true } },
  ])("$name", ({ m, expected }) => {
    expect(existingMcas("a", [m])).toEqual([expected]);
  });
});

describe("reachableClusters", () => {
  it("keeps the Available ones", () => {
    expect([...reachableClusters([mc("c1", { available: true }), mc("c2"), mc("c3", { available: true })])]).toEqual(["c1", "c3"]);
  });
});

describe("summaryTargets", () => {
  const statuses: Record<string, ManagedClusterAddOnStatus> = { c1: { desiredRevision: "a-1", appliedRevision: "a-1" } };
  const statusOf = (c: string) => statuses[c];
  it.each([
    { name: "as cached", decided: new Map<string, string>(), expected: { cluster: "c1", reachable: true, status: { desiredRevision: "a-1", appliedRevision: "a-1" } } },
    { name: "just decided", decided: new Map([["c1", "a-2"]]), expected: { cluster: "c1", reachable: true, status: { desiredRevision: "a-2", appliedRevision: "a-1" } } },
  ])("$name", ({ decided, expected }) => {
    expect(summaryTargets(["c1"], statusOf, decided, new Set(["c1"]))).toEqual([expected]);
  });
  it("a cluster without MCA status yet", () => {
    expect(summaryTargets(["c2"], statusOf, new Map([["c2", "a-1"]]), new Set())).toEqual([{ cluster: "c2", reachable: false, status: { desiredRevision: "a-1" } }]);
  });
});

describe("invalidClusterValues", () => {
  const cond = (status: "True" | "False") => ({ conditions: [{ type: "ValuesValid", status, reason: "r", message: `m-${status}`, lastTransitionTime: t }] });
  const statuses: Record<string, ManagedClusterAddOnStatus> = { c1: cond("False"), c2: cond("True"), c3: {} };
  it("lists the targets whose values fail", () => {
    expect(invalidClusterValues(["c1", "c2", "c3", "c4"], (c) => statuses[c])).toEqual([{ cluster: "c1", message: "m-False" }]);
  });
});
