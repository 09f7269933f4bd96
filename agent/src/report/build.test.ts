import { describe, expect, it } from "vitest";
import { BusCodec, type ResourceStatus } from "@flotilla/shared";
import { boundResources, buildConditions, buildReport, reportFingerprint, type ApplyPhase } from "./build.js";
import type { AddonHealth } from "../health/evaluate.js";

const h = (total: number, ready: number, failed = 0, problems: string[] = []): AddonHealth => ({ total, ready, failed, problems });
const statuses = (phase: ApplyPhase, health?: AddonHealth) =>
  Object.fromEntries(buildConditions(phase, health, "r1").map((c) => [c.type, `${c.status}/${c.reason}`]));

describe("buildConditions", () => {
  it.each<{ name: string; phase: ApplyPhase; health?: AddonHealth; expected: Record<string, string> }>([
    { name: "all ready", phase: { kind: "Applied", objects: 3 }, health: h(3, 3), expected: { Applied: "True/Applied", Available: "True/Available", Progressing: "False/Complete", Degraded: "False/AsExpected" } },
    { name: "rolling out", phase: { kind: "Applied", objects: 3 }, health: h(3, 2, 0, ["Deployment ns/web: 0 of 1 available"]), expected: { Applied: "True/Applied", Available: "False/NotReady", Progressing: "True/Progressing", Degraded: "False/AsExpected" } },
    { name: "workload failed", phase: { kind: "Applied", objects: 3 }, health: h(3, 2, 1), expected: { Applied: "True/Applied", Available: "False/NotReady", Progressing: "False/Failed", Degraded: "True/WorkloadFailed" } },
    { name: "apply failed", phase: { kind: "ApplyFailed", message: "Deployment.apps \"x\" is invalid" }, expected: { Applied: "False/ApplyFailed", Available: "False/NotApplied", Progressing: "False/ApplyFailed", Degraded: "True/ApplyFailed" } },
    { name: "transient apply error", phase: { kind: "ApplyRetrying", message: "etcd timeout" }, expected: { Applied: "False/ApplyRetrying", Available: "Unknown/NotApplied", Progressing: "True/ApplyRetrying", Degraded: "False/AsExpected" } },
    { name: "invalid bundle", phase: { kind: "InvalidBundle", message: "digest mismatch" }, expected: { Applied: "False/InvalidBundle", Available: "False/NotApplied", Progressing: "False/InvalidBundle", Degraded: "True/InvalidBundle" } },
    { name: "applying", phase: { kind: "Applying", message: "waiting for bundle" }, expected: { Applied: "False/Applying", Available: "Unknown/NotApplied", Progressing: "True/Applying", Degraded: "False/AsExpected" } },
    { name: "empty addon is available", phase: { kind: "Applied", objects: 0 }, health: h(0, 0), expected: { Applied: "True/Applied", Available: "True/Available", Progressing: "False/Complete", Degraded: "False/AsExpected" } },
  ])("$name", ({ phase, health, expected }) => {
    expect(statuses(phase, health)).toEqual(expected);
  });

  it("keeps the server's message for ApplyFailed", () => {
    const msg = 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1';
    expect(buildConditions({ kind: "ApplyFailed", message: msg }, undefined, "r1").find((c) => c.type === "Applied")?.message).toBe(msg);
  });
});

describe("boundResources", () => {
  const r = (name: string, ready: boolean): ResourceStatus => ({ group: "", version: "v1", kind: "ConfigMap", name, ready });
  it("puts not-ready first and cuts at the bound", () => {
    expect(boundResources([r("a", true), r("b", false), r("c", true), r("d", false)], 3).map((x) => x.name)).toEqual(["b", "d", "a"]);
  });
});

describe("buildReport", () => {
  const input = { cluster: "c1", addon: "web", revision: "r2", appliedRevision: "r1", phase: { kind: "Applied", objects: 1 } as ApplyPhase, health: h(1, 1), resources: [] };
  it("validates against the wire schema", () => {
    const report = buildReport(input, new Date("2026-01-01T00:00:00Z"));
    const codec = new BusCodec();
    expect(codec.decode(codec.encode(report), "AddonReport").ok).toBe(true);
  });

  it("fingerprint ignores observedAt only", () => {
    const a = buildReport(input, new Date(1000));
    const b = buildReport(input, new Date(2000));
    expect(reportFingerprint(a)).toBe(reportFingerprint(b));
    const c = buildReport({ ...input, health: h(1, 0) }, new Date(1000));
    expect(reportFingerprint(a)).not.toBe(reportFingerprint(c));
    const d = buildReport({ ...input, appliedRevision: "r2" }, new Date(1000));
    expect(reportFingerprint(a)).not.toBe(reportFingerprint(d));
  });

  it("omits appliedRevision when nothing was applied", () => {
    expect("appliedRevision" in buildReport({ ...input, appliedRevision: undefined }, new Date())).toBe(false);
  });
});
