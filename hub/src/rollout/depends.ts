/**
 * `dependsOn` (DESIGN §4): an addon reaches a cluster only once every addon it depends on is Available
 * there. Pure: the graph of addons and per-cluster availability in, problems and waits out.
 */

export type DependencyProblem =
  | { reason: "UnknownDependency"; names: string[] }
  | { reason: "DependencyCycle"; cycle: string[] };

/**
 * What is wrong with `addon`'s dependencies, if anything: names that are no addon, or a cycle through
 * `addon` (given as the path, starting and ending with `addon`). `graph` maps each addon to its dependsOn.
 */
export function dependencyProblem(addon: string, graph: ReadonlyMap<string, readonly string[]>): DependencyProblem | undefined {
  const direct = graph.get(addon) ?? [];
  const unknown = [...new Set(direct.filter((d) => !graph.has(d)))].sort();
  if (unknown.length) return { reason: "UnknownDependency", names: unknown };
  // depth-first from addon, looking for a way back to it
  const seen = new Set<string>();
  const walk = (node: string, path: string[]): string[] | undefined => {
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (next === addon) return [...path, next];
      if (seen.has(next) || !graph.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  const cycle = walk(addon, [addon]);
  return cycle ? { reason: "DependencyCycle", cycle } : undefined;
}

/** A problem as a condition message. */
export function describeProblem(p: DependencyProblem): string {
  return p.reason === "UnknownDependency"
    ? `dependsOn names ${p.names.join(", ")}, which ${p.names.length === 1 ? "is not an addon" : "are not addons"}; no cluster gets a new revision until it ${p.names.length === 1 ? "exists" : "they exist"} or is removed from dependsOn`
    : `dependsOn forms a cycle: ${p.cycle.join(" → ")}; no cluster gets a new revision until it is broken`;
}

/**
 * The clusters that must wait, and for which dependencies: those among `clusters` where some addon of
 * `deps` is not Available.
 */
export function waitingClusters(clusters: readonly string[], deps: readonly string[], available: (cluster: string, addon: string) => boolean): Map<string, string[]> {
  const waiting = new Map<string, string[]>();
  for (const c of clusters) {
    const missing = deps.filter((d) => !available(c, d));
    if (missing.length) waiting.set(c, missing);
  }
  return waiting;
}

export const DEPENDENCIES_CONDITION = "DependenciesReady";

/** The CMA's `DependenciesReady` condition (without observedGeneration). Pure. */
export function dependenciesCondition(deps: readonly string[], problem: DependencyProblem | undefined, waiting: ReadonlyMap<string, readonly string[]>) {
  const type = DEPENDENCIES_CONDITION;
  if (deps.length === 0) return { type, status: "True" as const, reason: "NoDependencies", message: "" };
  if (problem) return { type, status: "False" as const, reason: problem.reason, message: describeProblem(problem) };
  if (waiting.size === 0) return { type, status: "True" as const, reason: "Available", message: `${deps.join(", ")} available wherever this addon goes next` };
  const shown = [...waiting].slice(0, 5).map(([c, missing]) => `${c} (${missing.join(", ")})`);
  const more = waiting.size > 5 ? ` and ${waiting.size - 5} more` : "";
  return { type, status: "False" as const, reason: "Waiting", message: `${waiting.size} cluster(s) wait until their dependencies are Available there: ${shown.join(", ")}${more}` };
}
