/**
 * The addon's rollout across its placements (pure): each placement's clusters are planned with that
 * placement's strategy (hub/src/rollout/plan.ts), and the decisions are combined into the desired
 * revision of each cluster to write now and one phase, step, reason and message for the CMA.
 */
import type { RolloutStrategy } from "@flotilla/shared";
import { matchingPlacement } from "../../render/bundle.js";
import type { ClusterManagementAddOnSpec, RolloutPhase } from "../../api/types.js";
import type { ClusterView } from "../../rollout/cluster-state.js";
import { planRollout, type PlanDecision, type RolloutCounts } from "../../rollout/plan.js";

export interface FleetRolloutInput {
  spec: ClusterManagementAddOnSpec;
  updateRevision: string;
  lastGoodRevision?: string;
  failedRevision?: string;
  revisionSince: number;
  approvals: ReadonlyMap<number, number>;
  /** Every target cluster (placement-matched or hand-made MCA). */
  clusters: readonly ClusterView[];
  now: number;
}

export interface PlacementDecision {
  /** Placement name; "" for clusters no placement selects (hand-made MCAs, Manual): those go out like All. */
  placement: string;
  strategy: RolloutStrategy;
  decision: PlanDecision;
}

/** The placements' decisions combined: the same verdict fields, and the writes as one map. */
export interface FleetRolloutDecision extends Omit<PlanDecision, "start" | "rollback"> {
  /** cluster → the revision to write as its desired revision now (a start to R, or a rollback). */
  desired: Map<string, string>;
  placements: PlacementDecision[];
}

const ALL: RolloutStrategy = { type: "All" };

/** Each target's placement: the last placement whose selector matches it (DESIGN §4), else "". */
export function groupByPlacement(spec: ClusterManagementAddOnSpec, clusters: readonly ClusterView[]): { placement: string; strategy: RolloutStrategy; clusters: ClusterView[] }[] {
  const placements = spec.installStrategy?.type === "Placements" ? (spec.installStrategy.placements ?? []) : [];
  const groups = new Map<string, { placement: string; strategy: RolloutStrategy; clusters: ClusterView[] }>();
  for (const p of placements) groups.set(p.name, { placement: p.name, strategy: p.rolloutStrategy ?? ALL, clusters: [] });
  const rest = { placement: "", strategy: ALL, clusters: [] as ClusterView[] };
  for (const c of clusters) {
    const p = matchingPlacement(spec, c.labels);
    (p ? groups.get(p.name)! : rest).clusters.push(c);
  }
  return [...groups.values(), ...(rest.clusters.length ? [rest] : [])].filter((g) => g.clusters.length > 0);
}

/** Which phase speaks for the addon when placements differ: the one that needs attention first. */
const PHASE_RANK: readonly RolloutPhase[] = ["RollingBack", "Failed", "RolledBack", "Progressing", "Paused", "Pending", "Succeeded"];

export function planFleetRollout(input: FleetRolloutInput): FleetRolloutDecision {
  const groups = groupByPlacement(input.spec, input.clusters);
  const placements: PlacementDecision[] = groups.map((g) => ({
    placement: g.placement,
    strategy: g.strategy,
    decision: planRollout({
      strategy: g.strategy,
      revision: input.updateRevision,
      ...(input.lastGoodRevision ? { lastGoodRevision: input.lastGoodRevision } : {}),
      ...(input.failedRevision ? { failedRevision: input.failedRevision } : {}),
      revisionSince: input.revisionSince,
      paused: input.spec.paused === true,
      approvals: input.approvals,
      ...(g.strategy.orderLabel ? { orderLabel: g.strategy.orderLabel } : {}),
      clusters: g.clusters,
      now: input.now,
    }),
  }));
  // One placement marking R failed fails R everywhere: the others roll back too (on the next look).
  const markFailed = placements.some((p) => p.decision.markFailed);
  const desired = new Map<string, string>();
  for (const { decision: d } of placements) {
    for (const c of d.start) desired.set(c, input.updateRevision);
    if (input.lastGoodRevision) for (const c of d.rollback) desired.set(c, input.lastGoodRevision);
  }
  const counts: RolloutCounts = { total: 0, updated: 0, succeeded: 0, inFlight: 0, failed: 0, unreachable: 0 };
  let recheck: number | undefined;
  for (const { decision: d } of placements) {
    for (const k of Object.keys(counts) as (keyof RolloutCounts)[]) counts[k] += d.counts[k];
    if (d.recheckAfterMs !== undefined) recheck = recheck === undefined ? d.recheckAfterMs : Math.min(recheck, d.recheckAfterMs);
  }
  if (placements.length === 0) {
    return { desired, markFailed, phase: "Pending", reason: "NoClusterCanStart", step: 0, message: "no target cluster", counts, placements };
  }
  const lead = [...placements].sort((a, b) => PHASE_RANK.indexOf(a.decision.phase) - PHASE_RANK.indexOf(b.decision.phase))[0]!;
  const canary = placements.find((p) => p.strategy.type === "Canary");
  const message = placements.length === 1 ? lead.decision.message : placements.map((p) => `${p.placement || "unplaced"}: ${p.decision.message}`).join("; ");
  return {
    desired,
    markFailed,
    ...(recheck !== undefined ? { recheckAfterMs: recheck } : {}),
    phase: lead.decision.phase,
    reason: lead.decision.reason,
    step: (canary ?? lead).decision.step,
    message: message.length <= 1024 ? message : `${message.slice(0, 1023)}…`,
    counts,
    placements,
  };
}

/** 1-based indexes of the `pause: {}` or `pause: {duration}` steps of the addon's canary placements. */
export function pauseSteps(spec: ClusterManagementAddOnSpec): number[] {
  const out = new Set<number>();
  for (const p of spec.installStrategy?.placements ?? []) {
    (p.rolloutStrategy?.canary?.steps ?? []).forEach((s, i) => {
      if (s.pause) out.add(i + 1);
    });
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The decision while the image gate refuses the update revision: every cluster was held where it is, so
 * nothing started; a rollout that would otherwise be moving says why it does not (the policy's words).
 */
export function withImageRefusal(decision: FleetRolloutDecision, message: string): FleetRolloutDecision {
  if (decision.phase !== "Pending" && decision.phase !== "Progressing") return decision;
  return { ...decision, reason: "ImagePolicyRefused", message: message.length <= 1024 ? message : `${message.slice(0, 1023)}…` };
}
