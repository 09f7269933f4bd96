/** What the placement planners read, taken from the cached objects (pure). */
import { ADDON_NAME_LABEL, findCondition, isConditionTrue } from "@flotilla/shared";
import { VALUES_VALID_CONDITION } from "../../api/names.js";
import type { ManagedCluster, ManagedClusterAddOn, ManagedClusterAddOnStatus } from "../../api/types.js";
import { isDeleting, labelsOf } from "../../kube/resources.js";
import type { SummaryTarget } from "./summary.js";
import type { ClusterFacts, ExistingMca } from "./targets.js";
import type { InvalidClusterValues } from "./values.js";

export function clusterFacts(clusters: readonly ManagedCluster[]): ClusterFacts[] {
  return clusters.map((c) => ({
    name: c.metadata?.name ?? "",
    labels: labelsOf(c),
    accepted: c.spec?.hubAcceptsClient === true && !isDeleting(c),
  }));
}

export function existingMcas(addon: string, mcas: readonly ManagedClusterAddOn[]): ExistingMca[] {
  return mcas.map((m) => ({ cluster: m.metadata?.namespace ?? "", managed: labelsOf(m)[ADDON_NAME_LABEL] === addon, deleting: isDeleting(m) }));
}

/** Clusters whose Available condition is True (presence fresh). */
export function reachableClusters(clusters: readonly ManagedCluster[]): Set<string> {
  return new Set(clusters.filter((c) => isConditionTrue(c.status?.conditions, "Available")).map((c) => c.metadata?.name ?? ""));
}

/** Each target as the summary sees it, with the desired revision just decided (the cache may lag). */
export function summaryTargets(
  targets: readonly string[],
  statusOf: (cluster: string) => ManagedClusterAddOnStatus | undefined,
  decided: ReadonlyMap<string, string>,
  reachable: ReadonlySet<string>,
): SummaryTarget[] {
  return targets.map((c) => {
    const status = statusOf(c);
    const rev = decided.get(c);
    return { cluster: c, reachable: reachable.has(c), status: rev ? { ...status, desiredRevision: rev } : status };
  });
}

/** Targets whose MCA says `ValuesValid=False`. */
export function invalidClusterValues(targets: readonly string[], statusOf: (cluster: string) => ManagedClusterAddOnStatus | undefined): InvalidClusterValues[] {
  const out: InvalidClusterValues[] = [];
  for (const c of targets) {
    const v = findCondition(statusOf(c)?.conditions, VALUES_VALID_CONDITION);
    if (v?.status === "False") out.push({ cluster: c, message: v.message });
  }
  return out;
}
