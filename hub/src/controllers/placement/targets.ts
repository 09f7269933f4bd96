/** Which clusters an addon targets, and which MCAs to create or delete to match (pure). */
import { matchesSelector } from "@flotilla/shared";
import type { ClusterManagementAddOnSpec } from "../../api/types.js";

export interface ClusterFacts {
  name: string;
  labels: Record<string, string>;
  /** spec.hubAcceptsClient and not being deleted. */
  accepted: boolean;
}
export interface ExistingMca {
  cluster: string;
  /** Created by the placement controller (carries the addon label); only those are ever deleted. */
  managed: boolean;
  deleting: boolean;
}
export interface TargetPlan {
  /** Clusters that get the addon, sorted. */
  targets: string[];
  create: string[];
  delete: string[];
}

export function planTargets(spec: ClusterManagementAddOnSpec, clusters: readonly ClusterFacts[], mcas: readonly ExistingMca[]): TargetPlan {
  const accepted = new Set(clusters.filter((c) => c.accepted).map((c) => c.name));
  const existing = new Map(mcas.map((m) => [m.cluster, m]));
  // The CRD defaults installStrategy to Manual.
  const manual = (spec.installStrategy?.type ?? "Manual") === "Manual";
  const targets = new Set<string>();
  if (manual) {
    for (const m of mcas) if (accepted.has(m.cluster) && !m.deleting) targets.add(m.cluster);
  } else {
    const placements = spec.installStrategy?.placements ?? [];
    for (const c of clusters) {
      if (c.accepted && placements.some((p) => matchesSelector(p.clusterSelector, c.labels))) targets.add(c.name);
    }
    // An MCA made by hand (without the addon label) is kept and served like under Manual.
    for (const m of mcas) if (!m.managed && accepted.has(m.cluster) && !m.deleting) targets.add(m.cluster);
  }
  const sorted = [...targets].sort();
  return {
    targets: sorted,
    create: manual ? [] : sorted.filter((c) => !existing.has(c)),
    delete: manual ? [] : mcas.filter((m) => m.managed && !m.deleting && !targets.has(m.cluster)).map((m) => m.cluster).sort(),
  };
}
