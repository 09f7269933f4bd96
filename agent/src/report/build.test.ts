import { describe, expect, it } from "vitest";
import { BusCodec, MAX_REPORTED_RESOURCES, type ResourceStatus } from "@flotilla/shared";
import { boundResources, buildConditions, buildReport, healthDetail, reportFingerprint, type ApplyPhase } from "./build.js";
import { summarize, type AddonHealth, type ObjectHealth } from "../health/evaluate.js";

const h = (total: number, ready: number, failed = 0, problems: string[] = []): AddonHealth => ({ total, ready, failed, problems });
const statuses = (phase: ApplyPhase, health?: AddonHealth) =>
  Object.fromEntries(buildConditions(phase, health, "r1").map((c) => [c.type, `${c.status}/${c.reason}`]));

describe("buildConditions", () => {
  it.each<{ name: string; phase: ApplyPhase; health?: AddonHealth; expected: Record<string, string> }>([
    { name: "all ready", phase: { kind: "Applied", objects: 3 }, health: h(3, 3), expected: { Applied: "True/Applied", Available: "True/Available", Progressing: "False/Complete", Degraded: "False/AsExpected" } },
    { name: "rolling out", phase: { kind: "Applied", objects: 3 }, health: h(3, 2, 0, ["Deployment ns/web: 0 of 1 available"]), expected: { Applied: "True/Applied", Available: "False/NotReady", Progressing: "True/Progressing", Degraded: "False/AsExpected" } },
    { name: "workload failed", phase: { kind: "Applied", objects: 3 }, health: h(3, 2, 1), expected: { Applied: "True/Applied", Available: "False/NotReady", Progressing: "False/Failed", Degraded: "True/WorkloadFailed" } },
    { name: "apply failed", phase: { kind: "ApplyFailed", message: "Deployment.apps \"x\" is invalid" }, expected: { Applied: "False/ApplyFailed", Available: "False/NotApplied", Progressing: "False/ApplyFailed", Degraded: "True/ApplyFailed" } },
    { name: "refused to the addon's identity", phase: { kind: "Forbidden", message: "Secret ns/t: secrets \"t\" is forbidden" }, expected: { Applied: "False/Forbidden", Available: "False/NotApplied", Progressing: "False/Forbidden", Degraded: "True/Forbidden" } },
    { name: "transient apply error", phase: { kind: "ApplyRetrying", message: "etcd timeout" }, expected: { Applied: "False/ApplyRetrying", Available: "Unknown/NotApplied", Progressing: "True/ApplyRetrying", Degraded: "False/AsExpected" } },
    { name: "invalid bundle", phase: { kind: "InvalidBundle", message: "digest mismatch" }, expected: { Applied: "False/InvalidBundle", Available: "False/NotApplied", Progressing: "False/InvalidBundle", Degraded: "True/InvalidBundle" } },
    { name: "applying", phase: { kind: "Applying", message: "waiting for bundle" }, expected: { Applied: "False/Applying", Available: "Unknown/NotApplied", Progressing: "True/Applying", Degraded: "False/AsExpected" } },
    {
      name: "a health check that cannot be used", phase: { kind: "Applied", objects: 3 }, health: { ...h(3, 3), invalid: [{ rule: "healthChecks[0] (ConfigMap gate).cel[0]", error: "does not compile: Unexpected token: EOF" }] },
      expected: { Applied: "True/Applied", Available: "False/InvalidHealthCheck", Progressing: "False/InvalidHealthCheck", Degraded: "True/InvalidHealthCheck" },
    },
    { name: "empty addon is available", phase: { kind: "Applied", objects: 0 }, health: h(0, 0), expected: { Applied: "True/Applied", Available: "True/Available", Progressing: "False/Complete", Degraded: "False/AsExpected" } },
  ])("$name", ({ phase, health, expected }) => {
    expect(statuses(phase, health)).toEqual(expected);
  });

  it("names the unusable rule and its error in the Degraded message", () => {
    const health = { ...h(2, 1, 0, ["ConfigMap app/gate: healthChecks[0] (ConfigMap gate).cel[0] is invalid"]), invalid: [{ rule: "healthChecks[0] (ConfigMap gate).cel[0]", error: "does not compile: Unexpected token: EOF" }] };
    const degraded = buildConditions({ kind: "Applied", objects: 2 }, health, "r1").find((x) => x.type === "Degraded");
    expect(degraded?.message).toBe(
      "invalid health check: healthChecks[0] (ConfigMap gate).cel[0]: does not compile: Unexpected token: EOF; 1/2 ready; 1 not ready: ConfigMap app/gate: healthChecks[0] (ConfigMap gate).cel[0] is invalid",
    );
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

describe("a report for a large bundle", () => {
  /** n objects, of which the ones at `notReady` are not ready (every third of them failed), each with a long message. */
  const bundle = (n: number, notReady: ReadonlySet<number>) => {
    const items = Array.from({ length: n }, (_, i) => {
      const health: ObjectHealth = notReady.has(i) ? { ready: false, failed: i % 3 === 0, message: `replica set web-${i} is not progressing: ${"x".repeat(5000)}` } : { ready: true, failed: false };
      return { name: `Deployment ns/web-${i}`, health, status: { group: "apps", version: "v1", kind: "Deployment", namespace: "ns", name: `web-${i}`, ready: health.ready, ...(health.message ? { message: health.message } : {}) } satisfies ResourceStatus };
    });
    return buildReport(
      { cluster: "c1", addon: "big", revision: "big-0123456789", phase: { kind: "Applied", objects: n }, health: summarize(items), resources: items.map((x) => x.status) },
      new Date("2026-01-01T00:00:00Z"),
    );
  };
  const notReady = new Set([5, 17, 250, 251, 600, 998, 999, 300, 301, 302]);

  it("lists a bounded number of resources, the not-ready ones first, each message clipped", () => {
    const report = bundle(1000, notReady);
    expect(report.resources).toHaveLength(MAX_REPORTED_RESOURCES);
    expect(report.resources.slice(0, notReady.size).every((r) => !r.ready)).toBe(true);
    expect(new Set(report.resources.filter((r) => !r.ready).map((r) => r.name))).toEqual(new Set([...notReady].map((i) => `web-${i}`)));
    expect(Math.max(...report.resources.map((r) => r.message?.length ?? 0))).toBeLessThanOrEqual(512);
  });

  it("summarises counts and names the first few not-ready objects, clipped", () => {
    const available = bundle(1000, notReady).conditions.find((x) => x.type === "Available");
    expect(available).toMatchObject({ status: "False", reason: "NotReady" });
    const msg = available?.message ?? "";
    expect(msg.startsWith("990/1000 ready; 10 not ready (3 failed): Deployment ns/web-5: replica set web-5 is not progressing: xxx")).toBe(true);
    expect(msg).toContain("; Deployment ns/web-17: ");
    expect(msg).toContain("; Deployment ns/web-250: ");
    expect(msg.endsWith("; and 7 more")).toBe(true);
    expect(msg.length).toBeLessThanOrEqual(1024);
  });

  it("stays the same size however large the bundle, and passes the wire schema", () => {
    const codec = new BusCodec();
    const sizes = [1000, 10_000].map((n) => {
      const report = bundle(n, notReady);
      const bytes = codec.encode(report);
      expect(codec.decode(bytes, "AddonReport").ok).toBe(true);
      expect(report.conditions.every((x) => x.message.length <= 1024)).toBe(true);
      return bytes.length;
    });
    expect(sizes[0]).toBeLessThan(64 * 1024);
    expect(Math.abs((sizes[1] ?? 0) - (sizes[0] ?? 0))).toBeLessThan(200);
  });
});

describe("healthDetail", () => {
  it.each<[string, AddonHealth, string]>([
    ["all ready", h(3, 3), "3/3 ready"],
    ["one waiting", h(3, 2, 0, ["Job ns/migrate: job not complete"]), "2/3 ready; 1 not ready: Job ns/migrate: job not complete"],
    ["more than shown", h(10, 5, 1, ["a: x", "b: y"]), "5/10 ready; 5 not ready (1 failed): a: x; b: y; and 3 more"],
    ["a long problem is clipped", h(1, 0, 0, ["a: " + "z".repeat(500)]), `0/1 ready; 1 not ready: a: ${"z".repeat(196)}…`],
  ])("%s", (_n, health, want) => {
    expect(healthDetail(health)).toBe(want);
  });
});
