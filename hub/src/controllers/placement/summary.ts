/** Per-cluster addon state and the CMA summary, from MCAs and clusters (pure). */
import { findCondition, isConditionTrue } from "@flotilla/shared";
import { RENDER_CONDITIONS } from "../../api/names.js";
import type { AddonSummary, ManagedClusterAddOnStatus } from "../../api/types.js";

export type AddonClusterState = "available" | "progressing" | "failed" | "unreachable";
export const ADDON_CLUSTER_STATES: readonly AddonClusterState[] = ["available", "progressing", "failed", "unreachable"];

export interface SummaryTarget {
  cluster: string;
  /** The cluster's Available condition is True (presence fresh). */
  reachable: boolean;
  status: ManagedClusterAddOnStatus | undefined;
}

/** One state per cluster: an unreachable cluster is only that; failures come before availability. */
export function addonClusterState(t: SummaryTarget): AddonClusterState {
  if (!t.reachable) return "unreachable";
  const conds = t.status?.conditions;
  // The hub could not render for the cluster (or its values fail the schema): failed, whatever runs there.
  if (isConditionTrue(conds, "Degraded") || RENDER_CONDITIONS.some((t) => findCondition(conds, t)?.status === "False")) return "failed";
  if (isConditionTrue(conds, "Available")) return "available";
  return "progressing";
}

export interface SummaryResult {
  summary: Required<AddonSummary>;
  failedClusters: string[];
}

export function summarize(updateRevision: string, targets: readonly SummaryTarget[]): SummaryResult {
  const summary: Required<AddonSummary> = { desired: targets.length, updated: 0, applied: 0, available: 0, progressing: 0, failed: 0, unreachable: 0 };
  const failedClusters: string[] = [];
  for (const t of targets) {
    const state = addonClusterState(t);
    summary[state]++;
    if (state === "failed") failedClusters.push(t.cluster);
    const updated = t.status?.desiredRevision === updateRevision;
    if (updated) summary.updated++;
    const applied = t.status?.appliedRevision === updateRevision;
    if (applied) summary.applied++;
  }
  return { summary, failedClusters: failedClusters.sort() };
}
