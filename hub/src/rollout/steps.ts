import { matchesSelector, type CanaryStep } from "@flotilla/shared";
import type { ClusterView } from "./cluster-state.js";
import { resolveQuantity } from "./quantity.js";

/** Clusters in the order a rollout takes them: by `orderLabel`'s value when given, then by name. Pure. */
export function rolloutOrder<T extends Pick<ClusterView, "name" | "labels">>(clusters: readonly T[], orderLabel?: string): T[] {
  // Keys read once per cluster, not once per comparison (10,000 clusters: ~140,000 comparisons).
  const keyed = clusters.map((c) => ({ c, k: orderLabel ? (c.labels[orderLabel] ?? "") : "", n: c.name }));
  keyed.sort((a, b) => (a.k !== b.k ? (a.k < b.k ? -1 : 1) : a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return keyed.map((e) => e.c);
}

export type PlannedStep =
  | { kind: "clusters"; index: number; members: ReadonlySet<string> }
  | { kind: "pause"; index: number; durationMs?: number };

/**
 * The canary steps as cumulative sets of cluster names over `ordered` (all target clusters, so a
 * cluster going unreachable never reshuffles the steps): `clusters: N|"P%"` is the first N in order
 * (a total, not an increment), `clusterSelector` adds its matches; a pause adds nothing. Pure.
 */
export function planSteps(steps: readonly CanaryStep[], ordered: readonly Pick<ClusterView, "name" | "labels">[], parseMs: (d: string) => number): PlannedStep[] {
  const members = new Set<string>();
  return steps.map((s, i): PlannedStep => {
    const index = i + 1;
    if (s.pause) return s.pause.duration !== undefined ? { kind: "pause", index, durationMs: parseMs(s.pause.duration) } : { kind: "pause", index };
    if (s.clusterSelector) {
      for (const c of ordered) if (matchesSelector(s.clusterSelector, c.labels)) members.add(c.name);
    } else {
      const total = Math.min(ordered.length, resolveQuantity(s.clusters, ordered.length, 1));
      for (const c of ordered.slice(0, total)) members.add(c.name);
    }
    return { kind: "clusters", index, members: new Set(members) };
  });
}
