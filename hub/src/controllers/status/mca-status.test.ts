import { describe, expect, it } from "vitest";
import { findCondition, type AddonReport, type Condition } from "@flotilla/shared";
import type { ManagedClusterAddOnStatus } from "../../api/types.js";
import { ownedPart, reportedStatus, reportedStatusChanged } from "./mca-status.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const report = (over: Partial<AddonReport> = {}): AddonReport => ({
  version: 1,
  kind: "AddonReport",
  cluster: "c1",
  addon: "a",
  revision: "a-2",
  appliedRevision: "a-2",
  conditions: [
    { type: "Applied", status: "True", reason: "Applied", message: "" },
    { type: "Available", status: "True", reason: "AllReady", message: "" },
    { type: "Degraded", status: "False", reason: "AsExpected", message: "" },
  ],
  resources: [{ group: "apps", version: "v1", kind: "Deployment", namespace: "ns", name: "d", ready: true }],
  observedAt: "2026-01-01T00:00:00Z",
  ...over,
});
const rendered = (status: Condition["status"], message = ""): Condition => ({ type: "Rendered", status, reason: "RenderFailed", message, lastTransitionTime: NOW.toISOString() });
const st = (s: ManagedClusterAddOnStatus, type: string) => {
  const c = findCondition(s.conditions, type);
  return c && `${c.status}/${c.reason}`;
};

describe("reportedStatus", () => {
  it("copies the report when it is about the desired revision", () => {
    const s = reportedStatus({ generation: 3, current: { desiredRevision: "a-2" }, report: report(), now: NOW });
    expect(s.appliedRevision).toBe("a-2");
    expect(s.observedGeneration).toBe(3);
    expect(s.conditions?.map((c) => c.type)).toEqual(["Applied", "Available", "Degraded"]);
    expect(st(s, "Available")).toBe("True/AllReady");
    expect(s.conditions?.every((c) => c.observedGeneration === 3)).toBe(true);
    expect(s.resources).toEqual([{ group: "apps", version: "v1", kind: "Deployment", namespace: "ns", name: "d", ready: true }]);
    expect(s.lastReportTime).toBe("2026-01-01T00:00:00Z");
  });

  it.each([
    ["a report about an older revision is not Available", { desiredRevision: "a-3" }, "False/RevisionMismatch", "True/AwaitingAgent"],
    ["nothing desired yet", {}, "False/RevisionMismatch", undefined],
  ])("%s", (_n, current, available, progressing) => {
    const s = reportedStatus({ generation: 1, current, report: report(), now: NOW });
    expect(st(s, "Available")).toBe(available);
    expect(st(s, "Progressing")).toBe(progressing);
  });

  it("a render failure shows as Degraded", () => {
    const s = reportedStatus({ generation: 1, current: { desiredRevision: "a-2", conditions: [rendered("False", ".Values.x is not defined")] }, report: report(), now: NOW });
    expect(st(s, "Degraded")).toBe("True/RenderFailed");
    expect(findCondition(s.conditions, "Degraded")?.message).toBe(".Values.x is not defined");
    expect(findCondition(s.conditions, "Rendered")).toBeUndefined();
  });

  it("invalid values show as Degraded, and ValuesValid stays the publisher's", () => {
    const invalid: Condition = { type: "ValuesValid", status: "False", reason: "ValuesInvalid", message: "values.replicas: must be >= 0", lastTransitionTime: NOW.toISOString() };
    const current: ManagedClusterAddOnStatus = { desiredRevision: "a-2", conditions: [invalid] };
    const s = reportedStatus({ generation: 1, current, report: report(), now: NOW });
    expect(st(s, "Degraded")).toBe("True/ValuesInvalid");
    expect(findCondition(s.conditions, "Degraded")?.message).toBe("values.replicas: must be >= 0");
    expect(findCondition(s.conditions, "ValuesValid")).toBeUndefined();
    expect(reportedStatusChanged(s, { ...current, ...s, conditions: [invalid, ...(s.conditions ?? [])] })).toBe(false);
  });

  it("no report: owns nothing (the status key was deleted)", () => {
    expect(reportedStatus({ generation: 1, current: { desiredRevision: "a-2" }, report: undefined, now: NOW })).toEqual({});
  });

  it("bounds what it copies and fixes reasons the API would reject", () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ group: "", version: "v1", kind: "ConfigMap", name: `c${i}`, ready: true }));
    const s = reportedStatus({
      generation: 1,
      current: { desiredRevision: "a-2" },
      report: report({ resources: many, conditions: [{ type: "Applied", status: "False", reason: "", message: "x".repeat(40_000) }] }),
      now: NOW,
    });
    expect(s.resources).toHaveLength(100);
    expect(findCondition(s.conditions, "Applied")?.reason).toBe("AgentReported");
    expect(findCondition(s.conditions, "Applied")?.message.length).toBeLessThanOrEqual(32_768);
  });
});

describe("reportedStatusChanged", () => {
  const first = reportedStatus({ generation: 1, current: { desiredRevision: "a-2" }, report: report(), now: NOW });
  const onObject: ManagedClusterAddOnStatus = { desiredRevision: "a-2", ...first, conditions: [rendered("True"), ...[...(first.conditions ?? [])].reverse()] };

  it("ignores timestamps, condition order and other writers' fields", () => {
    const later = reportedStatus({ generation: 1, current: onObject, report: report({ observedAt: "2026-01-01T00:05:00Z" }), now: new Date(NOW.getTime() + 300_000) });
    expect(reportedStatusChanged(later, onObject)).toBe(false);
  });

  it("sees a real change", () => {
    const next = reportedStatus({ generation: 1, current: onObject, report: report({ conditions: [{ type: "Available", status: "False", reason: "NotReady", message: "" }] }), now: NOW });
    expect(reportedStatusChanged(next, onObject)).toBe(true);
  });

  it("clearing is a change, and nothing to clear is not", () => {
    expect(reportedStatusChanged({}, onObject)).toBe(true);
    expect(reportedStatusChanged({}, { desiredRevision: "a-2", conditions: [rendered("True")] })).toBe(false);
    expect(ownedPart(undefined)).toEqual({});
  });
});
