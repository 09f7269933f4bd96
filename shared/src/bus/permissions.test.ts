import { describe, expect, it } from "vitest";
import { agentRole, bootstrapRole, registerSubject } from "./permissions.js";

const all = (r: ReturnType<typeof agentRole>) => [...r.permissions.pub.allow, ...r.permissions.sub.allow];

describe("bus roles", () => {
  it.each([
    ["agent", agentRole],
    ["bootstrap", bootstrapRole],
  ])("%s: every subject it may use names its own cluster as a whole token, before any wildcard", (_name, role) => {
    for (const subject of all(role("eu-1"))) {
      const tokens = subject.split(".");
      const own = tokens.findIndex((t) => t === "eu-1" || t.startsWith("_INBOX_eu-1"));
      expect(own, subject).toBeGreaterThanOrEqual(0);
      const wild = tokens.findIndex((t) => t === "*" || t === ">");
      if (wild >= 0) expect(wild, subject).toBeGreaterThan(own);
    }
  });

  it("never grants the JetStream API beyond direct gets of its own desired keys", () => {
    const js = agentRole("c").permissions.pub.allow.filter((s) => s.startsWith("$JS."));
    expect(js).toEqual(["$JS.API.DIRECT.GET.KV_flotilla_desired.$KV.flotilla_desired.c", "$JS.API.DIRECT.GET.KV_flotilla_desired.$KV.flotilla_desired.c.>"]);
    expect(bootstrapRole("c").permissions.pub.allow).toEqual([registerSubject("c")]);
  });

  it("clusters whose names share a prefix get disjoint subjects", () => {
    const one = new Set(all(agentRole("cluster-1")));
    for (const s of all(agentRole("cluster-10"))) expect(one.has(s)).toBe(false);
  });

  it("the template form puts {{name()}} where the cluster goes", () => {
    expect(agentRole("{{name()}}").permissions.sub.allow).toContain("_INBOX_{{name()}}.>");
  });
});
