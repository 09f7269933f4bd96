import { describe, expect, it } from "vitest";
import type { KubeObject } from "@flotilla/shared";
import { hookEvent, MAX_RECORDED_HOOK_BYTES, phaseHooks, planHooks, recordOf, splitHooks, type HookPhase } from "./plan.js";

const obj = (kind: string, name: string, annotations?: Record<string, string>, apiVersion = kind === "Job" ? "batch/v1" : "v1"): KubeObject => ({
  apiVersion, kind, metadata: { name, namespace: "ns", ...(annotations ? { annotations } : {}) },
});
const hook = (kind: string, name: string, when: string, extra: Record<string, string> = {}) => obj(kind, name, { "helm.sh/hook": when, ...extra });
const DEFAULT = 300_000;

describe("splitHooks", () => {
  it.each([
    { name: "no annotation: a main object", o: obj("ConfigMap", "c"), main: 1, hooks: 0 },
    { name: "one phase", o: hook("Job", "j", "pre-install"), main: 0, hooks: 1, phases: ["pre-install"] },
    { name: "comma list with spaces", o: hook("Job", "j", "pre-install, pre-upgrade"), main: 0, hooks: 1, phases: ["pre-install", "pre-upgrade"] },
    { name: "test hook: not applied, said so", o: hook("Pod", "t", "test"), main: 0, hooks: 0, notRun: /"test" \(helm test hooks are not run\); not applied/ },
    { name: "test-success: not applied", o: hook("Pod", "t", "test-success"), main: 0, hooks: 0, notRun: /not applied/ },
    { name: "unknown name: not applied", o: hook("Job", "j", "crd-install"), main: 0, hooks: 0, notRun: /"crd-install" \(not a hook Flotilla knows\); not applied/ },
    { name: "known and unknown: runs as the known", o: hook("Job", "j", "post-install,test"), main: 0, hooks: 1, phases: ["post-install"], notRun: /ignored; runs as post-install/ },
  ])("$name", ({ o, main, hooks, phases, notRun }) => {
    const s = splitHooks([o], DEFAULT);
    expect(s.main).toHaveLength(main);
    expect(s.hooks).toHaveLength(hooks);
    if (phases) expect(s.hooks[0]?.phases).toEqual(phases);
    if (notRun) expect(s.notRun.join("\n")).toMatch(notRun);
    else expect(s.notRun).toEqual([]);
    expect(s.invalid).toEqual([]);
  });

  it.each<{ name: string; extra: Record<string, string>; weight?: number; policies?: string[]; timeoutMs?: number }>([
    { name: "weight default 0", extra: {}, weight: 0 },
    { name: "negative weight", extra: { "helm.sh/hook-weight": "-5" }, weight: -5 },
    { name: "weight with plus and spaces", extra: { "helm.sh/hook-weight": " +3 " }, weight: 3 },
    { name: "default policy: before-hook-creation (Helm 3/4)", extra: {}, policies: ["before-hook-creation"] },
    { name: "policies listed", extra: { "helm.sh/hook-delete-policy": "hook-succeeded,hook-failed" }, policies: ["hook-succeeded", "hook-failed"] },
    { name: "policy repeated once", extra: { "helm.sh/hook-delete-policy": "hook-succeeded, hook-succeeded" }, policies: ["hook-succeeded"] },
    { name: "default timeout", extra: {}, timeoutMs: DEFAULT },
    { name: "timeout in seconds", extra: { "addon.flotilla.dev/hook-timeout": "90s" }, timeoutMs: 90_000 },
    { name: "timeout in minutes", extra: { "addon.flotilla.dev/hook-timeout": "5m" }, timeoutMs: 300_000 },
  ])("$name", ({ extra, weight, policies, timeoutMs }) => {
    const s = splitHooks([hook("Job", "j", "pre-install", extra)], DEFAULT);
    expect(s.invalid).toEqual([]);
    const h = s.hooks[0];
    if (weight !== undefined) expect(h?.weight).toBe(weight);
    if (policies) expect(h?.deletePolicies).toEqual(policies);
    if (timeoutMs !== undefined) expect(h?.timeoutMs).toBe(timeoutMs);
  });

  it.each<{ name: string; extra: Record<string, string>; error: RegExp }>([
    { name: "weight not an integer", extra: { "helm.sh/hook-weight": "high" }, error: /Job ns\/j: helm.sh\/hook-weight "high" is not an integer/ },
    { name: "weight a decimal", extra: { "helm.sh/hook-weight": "1.5" }, error: /is not an integer/ },
    { name: "unknown delete policy", extra: { "helm.sh/hook-delete-policy": "always" }, error: /helm.sh\/hook-delete-policy "always" not one of before-hook-creation, hook-succeeded, hook-failed/ },
    { name: "timeout without a unit", extra: { "addon.flotilla.dev/hook-timeout": "90" }, error: /hook-timeout "90" is not a positive duration/ },
    { name: "zero timeout", extra: { "addon.flotilla.dev/hook-timeout": "0s" }, error: /is not a positive duration/ },
  ])("bad annotation: $name", ({ extra, error }) => {
    const s = splitHooks([hook("Job", "j", "pre-install", extra)], DEFAULT);
    expect(s.hooks).toEqual([]);
    expect(s.invalid.join("\n")).toMatch(error);
  });
});

describe("phaseHooks orders as Helm: weight, then kind order, then name", () => {
  const hooks = splitHooks(
    [
      hook("Job", "b-job", "pre-install"),
      hook("Job", "a-job", "pre-install"),
      hook("ConfigMap", "cfg", "pre-install", { "helm.sh/hook-weight": "-5" }),
      hook("ServiceAccount", "sa", "pre-install"),
      hook("Job", "late", "pre-install", { "helm.sh/hook-weight": "10" }),
      hook("Job", "other", "post-install"),
    ],
    DEFAULT,
  ).hooks;
  it.each<{ phase: HookPhase; names: string[] }>([
    { phase: "pre-install", names: ["cfg", "sa", "a-job", "b-job", "late"] },
    { phase: "post-install", names: ["other"] },
    { phase: "pre-delete", names: [] },
  ])("$phase", ({ phase, names }) => {
    expect(phaseHooks(hooks, phase).map((h) => h.object.metadata.name)).toEqual(names);
  });
});

describe("hookEvent and planHooks: which phases run", () => {
  it.each([
    { name: "nothing applied yet: install", applied: undefined, revision: "a-2", event: "install" },
    { name: "another revision applied: upgrade", applied: "a-1", revision: "a-2", event: "upgrade" },
    { name: "this revision applied (resync, drift): none", applied: "a-2", revision: "a-2", event: undefined },
  ])("$name", ({ applied, revision, event }) => {
    expect(hookEvent(applied, revision)).toBe(event);
  });

  const objects = [
    obj("ConfigMap", "main"),
    hook("Job", "pre", "pre-install,pre-upgrade"),
    hook("Job", "post-i", "post-install"),
    hook("Job", "post-u", "post-upgrade"),
    hook("Job", "del", "pre-delete"),
  ];
  it.each([
    { applied: undefined, pre: ["pre-install", ["pre"]], post: ["post-install", ["post-i"]] },
    { applied: "a-1", pre: ["pre-upgrade", ["pre"]], post: ["post-upgrade", ["post-u"]] },
    { applied: "a-2", pre: ["pre-install", []], post: ["post-install", []] },
  ] as const)("applied $applied", ({ applied, pre, post }) => {
    const p = planHooks(objects, { appliedRevision: applied, revision: "a-2", defaultTimeoutMs: DEFAULT });
    expect(p.main.map((o) => o.metadata.name)).toEqual(["main"]);
    expect([p.pre.phase, p.pre.hooks.map((h) => h.object.metadata.name)]).toEqual(pre);
    expect([p.post.phase, p.post.hooks.map((h) => h.object.metadata.name)]).toEqual(post);
    // recorded whatever runs now: the uninstall needs them
    expect(p.record.map((o) => o.metadata.name)).toEqual(["pre", "post-i", "post-u", "del"]);
  });

  it("refuses hooks too big to record", () => {
    const big = { ...hook("Job", "del", "pre-delete"), spec: { blob: "x".repeat(MAX_RECORDED_HOOK_BYTES) } };
    const p = planHooks([big], { appliedRevision: undefined, revision: "a-1", defaultTimeoutMs: DEFAULT });
    expect(p.invalid.join()).toMatch(/at most 32 hooks and 64 KiB/);
  });
});

describe("recordOf", () => {
  it("keeps delete hooks whole and only the identity and hook annotations of the others", () => {
    const del = { ...hook("Job", "del", "pre-delete"), spec: { template: {} } };
    const pre = { ...obj("Job", "pre", { "helm.sh/hook": "pre-install", "helm.sh/hook-weight": "1", "other": "x" }), spec: { template: {} } };
    const [d, p] = recordOf(splitHooks([del, pre], DEFAULT).hooks);
    expect(d).toEqual(del);
    expect(p).toEqual({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "pre", namespace: "ns", annotations: { "helm.sh/hook": "pre-install", "helm.sh/hook-weight": "1" } } });
  });
});
