/**
 * What the rollout planner knows of one target cluster, read from its MCA status (pure). The placement
 * controller plans from it, and `flotilla rollout status` judges each cluster by it, so both agree.
 */
import { findCondition, isConditionTrue } from "@flotilla/shared";
import { RENDER_CONDITIONS } from "../api/names.js";
import type { ManagedClusterAddOnStatus } from "../api/types.js";
import type { ClusterView } from "./cluster-state.js";

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
