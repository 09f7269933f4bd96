import { describe, expect, it } from "vitest";
import type { ManagedClusterAddOnStatus } from "../api/types.js";
import { clusterView } from "./cluster-view.js";

const t = "2026-01-01T00:00:00Z";

describe("clusterView", () => {
  const T0 = Date.parse(t);
  const iso = (ms: number) => new Date(ms).toISOString();
  const cond = (type: string, status: "True" | "False", at: number) => ({ type, status, reason: "r", message: "", lastTransitionTime: iso(at) });
  const base = { name: "c1", labels: { env: "dev" }, reachable: true, blocked: false };
  it.each<{ name: string; status: ManagedClusterAddOnStatus | undefined; written?: { revision: string; time: number }; expected: object }>([
    { name: "no MCA status yet", status: undefined, expected: { failed: false } },
    {
      name: "available on the desired revision: since the condition turned True",
      status: { desiredRevision: "r2", desiredRevisionTime: iso(T0), appliedRevision: "r2", observedRevision: "r2", conditions: [cond("Available", "True", T0 + 5000)] },
      expected: { desiredRevision: "r2", desiredSince: T0, appliedRevision: "r2", availableSince: T0 + 5000, failed: false },
    },
    {
      name: "Available stayed True across the change: counts from when the revision was desired",
      status: { desiredRevision: "r2", desiredRevisionTime: iso(T0), appliedRevision: "r2", observedRevision: "r2", conditions: [cond("Available", "True", T0 - 60_000)] },
      expected: { availableSince: T0 },
    },
    {
      name: "the report is about another revision: not available on it, and its Degraded is not this revision's",
      status: { desiredRevision: "r2", desiredRevisionTime: iso(T0), appliedRevision: "r1", observedRevision: "r1", conditions: [cond("Available", "True", T0 - 5), cond("Degraded", "True", T0 - 5)] },
      expected: { appliedRevision: "r1", availableSince: T0 - 5, failed: false },
    },
    {
      name: "the agent says the desired revision is degraded: failed",
      status: { desiredRevision: "r2", desiredRevisionTime: iso(T0), appliedRevision: "r2", observedRevision: "r2", conditions: [cond("Degraded", "True", T0 + 1)] },
      expected: { failed: true },
    },
    {
      name: "the hub cannot render it for this cluster: failed",
      status: { desiredRevision: "r2", conditions: [cond("ValuesValid", "False", T0)] },
      expected: { failed: true },
    },
    {
      name: "a desired revision just written and not yet in the cache wins",
      status: { desiredRevision: "r1", desiredRevisionTime: iso(T0 - 1000) },
      written: { revision: "r2", time: T0 },
      expected: { desiredRevision: "r2", desiredSince: T0 },
    },
  ])("$name", ({ status, written, expected }) => {
    expect(clusterView({ ...base, status, ...(written ? { written } : {}) })).toMatchObject({ name: "c1", labels: { env: "dev" }, reachable: true, ...expected });
  });

  it("a blocked cluster says so", () => {
    expect(clusterView({ ...base, blocked: true, status: undefined }).blocked).toBe(true);
  });
});
