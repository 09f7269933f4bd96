/**
 * Which renders stand for a revision when its images are checked before rollout (pure). Values differ
 * by placement (CMA values < placement values), so one render per placement that has target clusters,
 * each for the first of its clusters by name (its labels feed `{{ .Cluster.Labels.x }}` placeholders),
 * and one for the clusters no placement selects. Per-cluster values (MCA, valuesFrom, config objects)
 * are not the revision's: each cluster's render is checked again before it is published.
 */
import type { ClusterManagementAddOnSpec } from "../api/types.js";
import { matchingPlacement } from "../render/bundle.js";

export interface TargetCluster {
  name: string;
  labels: Record<string, string>;
}

/** No target yet: the revision is still checked, for a cluster without name or labels. */
const NOBODY: TargetCluster = { name: "", labels: {} };

export function representatives(spec: ClusterManagementAddOnSpec, targets: readonly TargetCluster[]): TargetCluster[] {
  if (targets.length === 0) return [NOBODY];
  // One pass, no sort: the placement controller asks on every reconcile, with up to 10,000 targets.
  const first = new Map<string, TargetCluster>();
  for (const t of targets) {
    const placement = matchingPlacement(spec, t.labels)?.name ?? "";
    const seen = first.get(placement);
    if (!seen || t.name < seen.name) first.set(placement, t);
  }
  return [...first.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
