import { findCondition, type ClusterManagementAddOn, type ManagedCluster } from "@flotilla/shared";
import { PHASE_ORDER, phaseTone } from "./tone.js";
import type { AddonGroup, ClusterGroup, FleetView, Problem } from "./types.js";

export interface FleetInput {
  clusters: readonly ManagedCluster[];
  addons: readonly ClusterManagementAddOn[];
  problems: Problem[];
  loading: string[];
}

type GroupKey = ClusterGroup["key"];
const GROUPS: Record<GroupKey, Omit<ClusterGroup, "clusters" | "key">> = {
  unavailable: { label: "Unavailable", tone: "bad" },
  unknown: { label: "Unknown (presence lapsed)", tone: "warn" },
  joining: { label: "Joining", tone: "busy" },
  notAccepted: { label: "Not accepted", tone: "idle" },
  available: { label: "Available", tone: "ok" },
};

/** Which group a cluster is in: not accepted, else by its Available condition (none yet: joining). */
export function clusterGroup(c: ManagedCluster): GroupKey {
  if (c.spec?.hubAcceptsClient !== true) return "notAccepted";
  const a = findCondition(c.status?.conditions, "Available");
  if (!a) return "joining";
  return a.status === "True" ? "available" : a.status === "False" ? "unavailable" : "unknown";
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The fleet page: clusters grouped by condition, addons grouped by rollout phase; empty groups left out. Pure. */
export function fleetView(input: FleetInput): FleetView {
  const clusters = new Map<GroupKey, ClusterGroup>();
  for (const c of input.clusters) {
    const key = clusterGroup(c);
    const group = clusters.get(key) ?? { key, ...GROUPS[key], clusters: [] };
    const a = findCondition(c.status?.conditions, "Available");
    const why = a && a.status !== "True" ? `${a.reason}${a.message ? `: ${a.message}` : ""}` : "";
    group.clusters.push({ name: c.metadata?.name ?? "", kubernetesVersion: c.status?.kubernetesVersion ?? "", why });
    clusters.set(key, group);
  }
  const addons = new Map<string, AddonGroup>();
  for (const a of input.addons) {
    const phase = a.status?.rollout?.phase ?? "Pending";
    const group = addons.get(phase) ?? { phase, tone: phaseTone(phase), addons: [] };
    const s = a.status?.summary;
    group.addons.push({
      name: a.metadata?.name ?? "",
      displayName: a.spec?.displayName ?? "",
      phase,
      message: a.status?.rollout?.message ?? "",
      updateRevision: a.status?.updateRevision ?? "",
      desired: s?.desired ?? 0,
      available: s?.available ?? 0,
      failed: s?.failed ?? 0,
    });
    addons.set(phase, group);
  }
  const clusterOrder = Object.keys(GROUPS) as GroupKey[];
  const phaseRank = (p: string) => (PHASE_ORDER.includes(p) ? PHASE_ORDER.indexOf(p) : PHASE_ORDER.length);
  return {
    clusters: clusterOrder.flatMap((k) => clusters.get(k) ?? []).map((g) => ({ ...g, clusters: g.clusters.sort(byName) })),
    addons: [...addons.values()].sort((a, b) => phaseRank(a.phase) - phaseRank(b.phase) || (a.phase < b.phase ? -1 : 1)).map((g) => ({ ...g, addons: g.addons.sort(byName) })),
    clusterCount: input.clusters.length,
    addonCount: input.addons.length,
    problems: input.problems,
    loading: input.loading,
  };
}
