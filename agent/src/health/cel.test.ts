import { beforeAll, describe, expect, it } from "vitest";
import { CelPrograms, toCel, type CelCompiler } from "./cel.js";

let cel: CelCompiler;
beforeAll(async () => {
  cel = await new CelPrograms().load();
});

const gate = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "gate", labels: { tier: "db" } }, data: { ready: "true" } };
const deploy = { kind: "Deployment", spec: { replicas: 3 }, status: { readyReplicas: 3, conditions: [{ type: "Available", status: "True" }] } };

describe("compile", () => {
  it.each<[string, string, RegExp]>([
    ["a syntax error", "object.data.ready ==", /^does not compile: /],
    ["an unknown variable", 'self.data.ready == "true"', /^does not compile: Unknown variable: self/],
    ["an int result", "object.spec.replicas + 1", /^returns int, not a bool$/],
    ["a string result", '"ready"', /^returns string, not a bool$/],
    ["an unknown function", "object.data.isReady()", /^does not compile: /],
  ])("refuses %s", (_n, expression, error) => {
    const c = cel.compile(expression);
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.error).toMatch(error);
      expect(c.error).not.toContain("\n");
    }
  });

  it("keeps one compiled program per expression text", async () => {
    const programs = await new CelPrograms().load();
    const a = programs.compile("has(object.data)");
    expect(programs.compile("has(object.data)")).toBe(a);
    expect(programs.compile("has(object.spec)")).not.toBe(a);
  });

  it("refuses to compile before the library is loaded", () => {
    expect(() => new CelPrograms().compile("true")).toThrow(/before load/);
  });
});

describe("run", () => {
  it.each<[string, object, string, unknown]>([
    ["a string field", gate, 'object.data.ready == "true"', true],
    ["a string field not yet set so", { ...gate, data: { ready: "false" } }, 'object.data.ready == "true"', false],
    ["has() on a missing field", { ...gate, data: {} }, "has(object.data.ready)", false],
    ["optional chaining with a default", { ...gate, data: {} }, 'object.?data.?ready.orValue("") == "true"', false],
    ["JSON integers are ints", deploy, "object.status.readyReplicas >= object.spec.replicas && object.spec.replicas == 3", true],
    ["int arithmetic", deploy, "object.spec.replicas - 1 == 2", true],
    ["a macro over conditions", deploy, 'object.status.conditions.exists(c, c.type == "Available" && c.status == "True")', true],
    ["labels", gate, 'object.metadata.labels.tier == "db"', true],
  ])("%s", (_n, object, expression, want) => {
    const c = cel.compile(expression);
    expect(c.ok).toBe(true);
    if (c.ok) expect(c.run(object)).toBe(want);
  });

  it("throws on a missing field, with the library's reason", () => {
    const c = cel.compile('object.data.ready == "true"');
    expect(c.ok).toBe(true);
    if (c.ok) expect(() => c.run({ ...gate, data: {} })).toThrow(/ready/);
  });
});

describe("toCel", () => {
  it("turns JSON integers into ints and leaves the rest", () => {
    expect(toCel({ a: 1, b: 1.5, c: ["x", 2, null, true], d: { e: -3 } })).toEqual({ a: 1n, b: 1.5, c: ["x", 2n, null, true], d: { e: -3n } });
  });
});
