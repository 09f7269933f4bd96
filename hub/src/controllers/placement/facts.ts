/** What the placement planners read, taken from the cached objects (pure). */
import { ADDON_NAME_LABEL, findCondition, isConditionTrue } from "@flotilla/shared";
import { RENDER_CONDITIONS, VALUES_VALID_CONDITION } from "../../api/names.js";
import type { ManagedCluster, ManagedClusterAddOn, ManagedClusterAddOnStatus } from "../../api/types.js";
import { isDeleting, labelsOf } from "../../kube/resources.js";
import type { ClusterView } from "../../rollout/cluster-state.js";
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

/** A desired revision just written, which the MCA cache may not show yet. */
export interface WrittenDesire {
  revision: string;
  /** ms since the epoch. */
  time: number;
}

const ms = (t: string | undefined): number | undefined => {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? undefined : v;
};

/**
 * What the rollout planner knows of one target cluster, from its MCA status (and the desired revision
 * just written, when the cache lags). Available counts from when the agent reported the applied revision
 * Available, and never from before the revision was desired (the condition may have stayed True across
 * the change). Failed: the agent's report about the desired revision says Degraded, or the hub could not
 * render it for the cluster.
 */
export function clusterView(input: {
  name: string;
  labels: Record<string, string>;
  reachable: boolean;
  status: ManagedClusterAddOnStatus | undefined;
  written?: WrittenDesire;
  blocked: boolean;
}): ClusterView {
  const s = input.status;
  const desired = input.written?.revision ?? s?.desiredRevision;
  const desiredSince = input.written?.time ?? ms(s?.desiredRevisionTime);
  const conds = s?.conditions;
  const reportOnDesired = desired !== undefined && s?.observedRevision === desired;
  const available = findCondition(conds, "Available");
  const availableAt = available?.status === "True" && s?.appliedRevision !== undefined && s.observedRevision === s.appliedRevision ? ms(available.lastTransitionTime) : undefined;
  const availableSince = availableAt === undefined ? undefined : Math.max(availableAt, s?.appliedRevision === desired ? (desiredSince ?? 0) : 0);
  const renderFailed = RENDER_CONDITIONS.some((t) => findCondition(conds, t)?.status === "False");
  const failed = desired !== undefined && ((reportOnDesired && isConditionTrue(conds, "Degraded")) || renderFailed);
  return {
    name: input.name,
    labels: input.labels,
    reachable: input.reachable,
    ...(desired !== undefined ? { desiredRevision: desired } : {}),
    ...(desiredSince !== undefined ? { desiredSince } : {}),
    ...(s?.appliedRevision ? { appliedRevision: s.appliedRevision } : {}),
    ...(availableSince !== undefined ? { availableSince } : {}),
    failed,
    ...(input.blocked ? { blocked: true } : {}),
  };
}
