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
  targets: number;
}

export function rolloutEvents({ previous, next, valuesValid, targets }: RolloutEventsInput): RolloutEvent[] {
  const out: RolloutEvent[] = [];
  if (next.updateRevision !== previous?.updateRevision) {
    out.push({ type: "Normal", reason: "RolloutStarted", message: `rolling out ${next.updateRevision} to ${targets} clusters (strategy All)` });
  }
  if (next.currentRevision !== previous?.currentRevision) {
    out.push({ type: "Normal", reason: "RolloutSucceeded", message: `${next.currentRevision} is available on every reachable cluster` });
  }
  const wasValid = findCondition(previous?.conditions, VALUES_VALID_CONDITION);
  if (valuesValid.status === "False" && (wasValid?.status !== "False" || wasValid.reason !== valuesValid.reason)) {
    out.push({ type: "Warning", reason: valuesValid.reason, message: valuesValid.message });
  }
  if (next.rollout?.phase === "Failed" && previous?.rollout?.phase !== "Failed") {
    out.push({ type: "Warning", reason: "RolloutFailed", message: findCondition(next.conditions, "Degraded")?.message ?? "clusters failed" });
  }
  return out;
}
