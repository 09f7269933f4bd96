import { describe, expect, it } from "vitest";
import { dependenciesCondition, dependencyProblem, describeProblem, waitingClusters } from "./depends.js";

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe("dependencyProblem", () => {
  it.each<[string, Record<string, string[]>, ReturnType<typeof dependencyProblem>]>([
    ["no dependencies", { b: [] }, undefined],
    ["a known dependency", { a: [], b: ["a"] }, undefined],
    ["a chain", { a: [], b: ["a"], c: ["b", "a"] }, undefined],
    ["an unknown name", { b: ["cert-manager", "a", "zz"], a: [] }, { reason: "UnknownDependency", names: ["cert-manager", "zz"] }],
    ["itself", { b: ["b"] }, { reason: "DependencyCycle", cycle: ["b", "b"] }],
    ["a cycle through it", { a: ["c"], b: ["a"], c: ["b"] }, { reason: "DependencyCycle", cycle: ["b", "a", "c", "b"] }],
    ["a cycle it only leads to (its own problem is none)", { a: ["x"], x: ["a"], b: ["a"] }, undefined],
  ])("%s", (_name, edges, expected) => {
    expect(dependencyProblem("b", graph(edges))).toEqual(expected);
  });
});

describe("describeProblem", () => {
  it("names what is wrong", () => {
    expect(describeProblem({ reason: "UnknownDependency", names: ["cert-manager"] })).toBe(
      "dependsOn names cert-manager, which is not an addon; no cluster gets a new revision until it exists or is removed from dependsOn",
    );
    expect(describeProblem({ reason: "DependencyCycle", cycle: ["b", "a", "b"] })).toBe("dependsOn forms a cycle: b → a → b; no cluster gets a new revision until it is broken");
  });
});

describe("waitingClusters", () => {
  it("lists, per cluster, the dependencies not Available there", () => {
    const up = new Set(["c1/a", "c1/x", "c2/x"]);
    expect(waitingClusters(["c1", "c2", "c3"], ["a", "x"], (c, a) => up.has(`${c}/${a}`))).toEqual(new Map([["c2", ["a"]], ["c3", ["a", "x"]]]));
  });
});

describe("dependenciesCondition", () => {
  it.each<[string, string[], Parameters<typeof dependenciesCondition>[1], Map<string, string[]>, string]>([
    ["none", [], undefined, new Map(), "True/NoDependencies"],
    ["a problem", ["x"], { reason: "UnknownDependency", names: ["x"] }, new Map(), "False/UnknownDependency"],
    ["clusters waiting", ["a"], undefined, new Map([["c2", ["a"]]]), "False/Waiting"],
    ["all met", ["a"], undefined, new Map(), "True/Available"],
  ])("%s", (_name, deps, problem, waiting, expected) => {
    const c = dependenciesCondition(deps, problem, waiting);
    expect(`${c.status}/${c.reason}`).toBe(expected);
  });

  it("names a few waiting clusters and what each waits for", () => {
    const waiting = new Map(Array.from({ length: 7 }, (_, i) => [`c${i + 1}`, ["a"]] as [string, string[]]));
    expect(dependenciesCondition(["a"], undefined, waiting).message).toBe(
      "7 cluster(s) wait until their dependencies are Available there: c1 (a), c2 (a), c3 (a), c4 (a), c5 (a) and 2 more",
    );
  });
});
