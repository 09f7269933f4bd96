/** The Kubernetes Events a CMA status change is worth (pure): rollout started, done, failed; bad values. */
import { findCondition, type ConditionInput } from "@flotilla/shared";
import { VALUES_VALID_CONDITION } from "../../api/names.js";
import type { ClusterManagementAddOnStatus } from "../../api/types.js";

export interface RolloutEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface RolloutEventsInput {
  previous: ClusterManagementAddOnStatus | undefined;
  next: ClusterManagementAddOnStatus;
  valuesValid: Omit<ConditionInput, "observedGeneration">;
  /** The `DependenciesReady` condition; a Warning when it turns to a problem (unknown name, cycle). */
  dependencies?: Omit<ConditionInput, "observedGeneration">;
  targets: number;
  /** Placements asking for a strategy the hub does not apply yet (Rolling, Canary): "name (Canary)". */
  notApplied?: readonly string[];
}

/**
 * Placements whose rollout strategy is not applied yet. The planner for Rolling and Canary exists
 * (hub/src/rollout) but nothing applies its decisions, so those placements go out like All: say so.
 */
export function strategiesNotApplied(placements: readonly { name: string; rolloutStrategy?: { type: string } }[] | undefined): string[] {
  return (placements ?? []).filter((p) => (p.rolloutStrategy?.type ?? "All") !== "All").map((p) => `${p.name} (${p.rolloutStrategy?.type})`);
}

export function rolloutEvents({ previous, next, valuesValid, dependencies, targets, notApplied = [] }: RolloutEventsInput): RolloutEvent[] {
  const out: RolloutEvent[] = [];
  if (next.updateRevision !== previous?.updateRevision) {
    out.push({ type: "Normal", reason: "RolloutStarted", message: `rolling out ${next.updateRevision} to ${targets} clusters (strategy All)` });
    if (notApplied.length) {
      out.push({
        type: "Warning", reason: "RolloutStrategyNotApplied",
        message: `placement ${notApplied.join(", ")}: Rolling and Canary are not applied yet; ${next.updateRevision} goes to every cluster at once`,
      });
    }
  }
  if (next.currentRevision !== previous?.currentRevision) {
    out.push({ type: "Normal", reason: "RolloutSucceeded", message: `${next.currentRevision} is available on every reachable cluster` });
  }
  const wasValid = findCondition(previous?.conditions, VALUES_VALID_CONDITION);
  if (valuesValid.status === "False" && (wasValid?.status !== "False" || wasValid.reason !== valuesValid.reason)) {
    out.push({ type: "Warning", reason: valuesValid.reason, message: valuesValid.message });
  }
  const wasDeps = findCondition(previous?.conditions, "DependenciesReady");
  if (dependencies?.status === "False" && dependencies.reason !== "Waiting" && wasDeps?.reason !== dependencies.reason) {
    out.push({ type: "Warning", reason: dependencies.reason, message: dependencies.message });
  }
  if (next.rollout?.phase === "Failed" && previous?.rollout?.phase !== "Failed") {
    out.push({ type: "Warning", reason: "RolloutFailed", message: findCondition(next.conditions, "Degraded")?.message ?? "clusters failed" });
  }
  return out;
}
