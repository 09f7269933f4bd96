import type { HealthCheck } from "@flotilla/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { CelPrograms, type CelCompiler } from "./cel.js";
import type { LiveObject, ObjectHealth } from "./evaluate.js";
import { applyRules, hasCel, invalidRules, ruleMatches, ruleName, type RuleTarget } from "./rules.js";

let cel: CelCompiler;
beforeAll(async () => {
  cel = await new CelPrograms().load();
});

const READY: ObjectHealth = { ready: true, failed: false };
const cmTarget: RuleTarget = { group: "", kind: "ConfigMap", namespace: "app", name: "gate" };
const cm = (data: Record<string, string>): LiveObject => ({ kind: "ConfigMap", metadata: { name: "gate", namespace: "app" }, data });

describe("ruleMatches", () => {
  it.each<[string, HealthCheck, RuleTarget, boolean]>([
    ["kind only: any group", { kind: "Deployment" }, { group: "apps", kind: "Deployment", name: "web" }, true],
    ["another kind", { kind: "Deployment" }, { group: "apps", kind: "StatefulSet", name: "web" }, false],
    ["the group given", { group: "apps", kind: "Deployment" }, { group: "apps", kind: "Deployment", name: "web" }, true],
    ["another group", { group: "example.com", kind: "Deployment" }, { group: "apps", kind: "Deployment", name: "web" }, false],
    ["core group spelled empty", { group: "", kind: "ConfigMap" }, cmTarget, true],
    ["the namespace given", { kind: "ConfigMap", namespace: "app" }, cmTarget, true],
    ["another namespace", { kind: "ConfigMap", namespace: "other" }, cmTarget, false],
    ["a namespace for a cluster-scoped object", { kind: "Namespace", namespace: "x" }, { group: "", kind: "Namespace", name: "x" }, false],
    ["the name given", { kind: "ConfigMap", name: "gate" }, cmTarget, true],
    ["another name", { kind: "ConfigMap", name: "other" }, cmTarget, false],
  ])("%s", (_n, rule, target, want) => {
    expect(ruleMatches(rule, target)).toBe(want);
  });
});

describe("applyRules", () => {
  const widget: LiveObject = {
    kind: "Widget",
    status: { phase: "Running", replicas: 2, endpoint: { host: "h" }, conditions: [{ type: "Synced", status: "True" }, { type: "Healthy", status: "False" }] },
  };
  const widgetTarget: RuleTarget = { group: "example.com", kind: "Widget", name: "w" };
  it.each<{ name: string; obj: LiveObject; target?: RuleTarget; rules: HealthCheck[]; ready: boolean; message?: string }>([
    { name: "no rules", obj: widget, rules: [], ready: true },
    { name: "a rule for another kind", obj: widget, rules: [{ kind: "Gadget", fields: [{ path: "status.phase", value: "Nope" }] }], ready: true },
    { name: "condition holds", obj: widget, rules: [{ kind: "Widget", conditions: [{ type: "Synced" }] }], ready: true },
    { name: "condition with another status", obj: widget, rules: [{ kind: "Widget", conditions: [{ type: "Healthy" }] }], ready: false, message: "condition Healthy is False, not True" },
    { name: "condition wanted False", obj: widget, rules: [{ kind: "Widget", conditions: [{ type: "Healthy", status: "False" }] }], ready: true },
    { name: "condition absent", obj: widget, rules: [{ kind: "Widget", conditions: [{ type: "Ready" }] }], ready: false, message: "condition Ready is absent, not True" },
    { name: "field equals", obj: widget, rules: [{ kind: "Widget", fields: [{ path: "status.phase", value: "Running" }] }], ready: true },
    { name: "number field as a string", obj: widget, rules: [{ kind: "Widget", fields: [{ path: "status.replicas", value: "2" }] }], ready: true },
    { name: "field differs", obj: widget, rules: [{ kind: "Widget", fields: [{ path: "status.phase", value: "Done" }] }], ready: false, message: "status.phase is Running, not Done" },
    { name: "field missing", obj: widget, rules: [{ kind: "Widget", fields: [{ path: "status.url", value: "x" }] }], ready: false, message: "status.url is not set (want x)" },
    { name: "field through a scalar", obj: widget, rules: [{ kind: "Widget", fields: [{ path: "status.phase.x", value: "x" }] }], ready: false, message: "status.phase.x is not set (want x)" },
    { name: "cel true", obj: cm({ ready: "true" }), target: cmTarget, rules: [{ kind: "ConfigMap", cel: [{ expression: 'object.data.ready == "true"' }] }], ready: true },
    {
      name: "cel false, with the rule's message", obj: cm({ ready: "no" }), target: cmTarget,
      rules: [{ kind: "ConfigMap", name: "gate", cel: [{ expression: 'object.data.ready == "true"', message: "gate not open" }] }], ready: false, message: "gate not open",
    },
    { name: "cel false, no message: the expression", obj: cm({ ready: "no" }), target: cmTarget, rules: [{ kind: "ConfigMap", cel: [{ expression: 'object.data.ready == "true"' }] }], ready: false, message: 'object.data.ready == "true" is false' },
    {
      name: "cel runtime error: not ready, the error as message", obj: cm({}), target: cmTarget,
      rules: [{ kind: "ConfigMap", cel: [{ expression: 'object.data.ready == "true"', message: "gate not open" }] }], ready: false, message: 'object.data.ready == "true": No such key: ready',
    },
    { name: "cel that does not compile", obj: cm({}), target: cmTarget, rules: [{ kind: "ConfigMap", name: "gate", cel: [{ expression: "object.data.ready ==" }] }], ready: false, message: "healthChecks[0] (ConfigMap gate).cel[0] is invalid" },
    { name: "cel whose value is not a bool (typed dyn)", obj: cm({ ready: "yes" }), target: cmTarget, rules: [{ kind: "ConfigMap", cel: [{ expression: "object.data.ready" }] }], ready: false, message: "object.data.ready returned string, not a bool" },
    {
      name: "every matching rule must hold", obj: cm({ ready: "true", phase: "warm" }), target: cmTarget,
      rules: [{ kind: "ConfigMap", cel: [{ expression: 'object.data.ready == "true"' }] }, { kind: "ConfigMap", fields: [{ path: "data.phase", value: "hot" }] }], ready: false, message: "data.phase is warm, not hot",
    },
  ])("$name", ({ obj, target = widgetTarget, rules, ready, message }) => {
    const h = applyRules(READY, obj, target, rules, hasCel(rules) ? cel : undefined);
    expect({ ready: h.ready, failed: h.failed, message: h.message }).toEqual({ ready, failed: false, message });
  });

  it("leaves a built-in not-ready or failed verdict as it is", () => {
    const failed: ObjectHealth = { ready: false, failed: true, message: "job failed" };
    expect(applyRules(failed, cm({ ready: "true" }), cmTarget, [{ kind: "ConfigMap", cel: [{ expression: "true" }] }], cel)).toBe(failed);
  });

  it("clips a long message", () => {
    const h = applyRules(READY, cm({ ready: "no" }), cmTarget, [{ kind: "ConfigMap", cel: [{ expression: "false", message: "m".repeat(1000) }] }], cel);
    expect(h.message?.length).toBeLessThanOrEqual(256);
  });
});

describe("invalidRules", () => {
  it("names each expression that cannot be used, matched by an object or not", () => {
    const rules: HealthCheck[] = [
      { kind: "ConfigMap", name: "gate", cel: [{ expression: "has(object.data)" }, { expression: "object.data.ready ==" }] },
      { group: "apps", kind: "Deployment", fields: [{ path: "status.phase", value: "x" }] },
      { kind: "Widget", namespace: "ns", cel: [{ expression: "size(object.spec) + 1" }] },
    ];
    const invalid = invalidRules(rules, cel);
    expect(invalid.map((r) => r.rule)).toEqual(["healthChecks[0] (ConfigMap gate).cel[1]", "healthChecks[2] (Widget ns/*).cel[0]"]);
    expect(invalid[0]?.error).toMatch(/^does not compile: /);
    expect(invalid[1]?.error).toBe("returns int, not a bool");
  });

  it("has nothing to say about rules without CEL", () => {
    expect(invalidRules([{ kind: "Deployment", conditions: [{ type: "Available" }] }], undefined)).toEqual([]);
  });

  it("names rules by place and selection", () => {
    expect(ruleName([{ kind: "Deployment" }], 0)).toBe("healthChecks[0] (Deployment)");
  });
});
