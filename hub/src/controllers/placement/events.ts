/**
 * The Kubernetes Events a CMA status change is worth (pure), the rollout's audit trail (DESIGN §6):
 * started, clusters started, each canary step, each wait and approval, failure, rollback, success,
 * stuck; bad values, dependency problems and revisions the image policies refuse.
 */
import { findCondition, type ConditionInput, type RolloutStrategy } from "@flotilla/shared";
import { IMAGE_POLICY_CONDITION, VALUES_VALID_CONDITION } from "../../api/names.js";
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
  /** The `ImagePolicyCompliant` condition; a Warning when it refuses a revision (or refuses it for something new). */
  imagePolicy?: Omit<ConditionInput, "observedGeneration">;
  targets: number;
  /** Each placement's strategy, for the RolloutStarted message. */
  strategies?: readonly { placement: string; strategy: RolloutStrategy }[];
  /** Clusters moved to the update revision by this reconcile. */
  started?: readonly string[];
  /** Clusters sent back to the last good revision by this reconcile. */
  rolledBack?: readonly string[];
}

const list = (names: readonly string[], max = 5): string =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;

/** "Canary (4 steps)", "Rolling", "All", per placement when there are several. */
export function describeStrategies(strategies: readonly { placement: string; strategy: RolloutStrategy }[]): string {
  const one = (s: RolloutStrategy) => (s.type === "Canary" ? `Canary, ${s.canary?.steps.length ?? 0} steps` : s.type);
  if (strategies.length === 0) return "strategy All";
  if (strategies.length === 1) return `strategy ${one(strategies[0]!.strategy)}`;
  return strategies.map((s) => `${s.placement || "unplaced"}: ${one(s.strategy)}`).join("; ");
}

export function rolloutEvents(input: RolloutEventsInput): RolloutEvent[] {
  const { previous, next, valuesValid, dependencies, targets } = input;
  const out: RolloutEvent[] = [];
  const R = next.updateRevision;
  const newRevision = R !== previous?.updateRevision;
  const was = newRevision ? undefined : previous?.rollout;
  const now = next.rollout;
  if (newRevision) out.push({ type: "Normal", reason: "RolloutStarted", message: `rolling out ${R} to ${targets} clusters (${describeStrategies(input.strategies ?? [])})` });

  // A step reached while progressing (a wait, failure or the end has its own Event).
  if (now && (now.step ?? 0) > 0 && (now.step ?? 0) !== (was?.step ?? 0) && now.phase === "Progressing") {
    out.push({ type: "Normal", reason: "CanaryStep", message: now.message ?? "" });
  }
  for (const a of now?.approvedSteps ?? []) {
    if (!was?.approvedSteps?.some((p) => p.step === a.step)) out.push({ type: "Normal", reason: "Approved", message: `step ${a.step} of ${R} approved at ${a.approvedAt}` });
  }
  if (input.started?.length) {
    const s = next.summary;
    out.push({ type: "Normal", reason: "ClustersStarted", message: `${R} started on ${input.started.length} cluster(s): ${list(input.started)}${s ? ` (${s.updated ?? 0}/${s.desired ?? 0} updated)` : ""}` });
  }
  const entered = now && (now.phase !== was?.phase || now.reason !== was?.reason) ? now : undefined;
  if (entered?.phase === "Paused") out.push({ type: "Normal", reason: entered.reason ?? "Paused", message: entered.message ?? "" });
  if (entered?.phase === "Failed") out.push({ type: "Warning", reason: "RolloutFailed", message: entered.message ?? "" });
  if (entered?.phase === "RollingBack" || (input.rolledBack?.length && now?.phase === "RollingBack")) {
    const back = input.rolledBack?.length ? ` (sent back now: ${list(input.rolledBack)})` : "";
    if (entered?.phase === "RollingBack" || back) out.push({ type: "Warning", reason: "RollingBack", message: `${now?.message ?? ""}${back}` });
  }
  if (entered?.phase === "RolledBack") out.push({ type: "Warning", reason: "RolledBack", message: entered.message ?? "" });
  if (next.currentRevision !== previous?.currentRevision && next.currentRevision === R) {
    out.push({ type: "Normal", reason: "RolloutSucceeded", message: `${R} is available on every reachable cluster` });
  }
  const stuck = findCondition(next.conditions, "Stuck");
  if (stuck?.status === "True" && findCondition(previous?.conditions, "Stuck")?.status !== "True") out.push({ type: "Warning", reason: "RolloutStuck", message: stuck.message });

  const wasValid = findCondition(previous?.conditions, VALUES_VALID_CONDITION);
  if (valuesValid.status === "False" && (wasValid?.status !== "False" || wasValid.reason !== valuesValid.reason)) {
    out.push({ type: "Warning", reason: valuesValid.reason, message: valuesValid.message });
  }
  const wasDeps = findCondition(previous?.conditions, "DependenciesReady");
  if (dependencies?.status === "False" && dependencies.reason !== "Waiting" && wasDeps?.reason !== dependencies.reason) {
    out.push({ type: "Warning", reason: dependencies.reason, message: dependencies.message });
  }
  const wasImages = findCondition(previous?.conditions, IMAGE_POLICY_CONDITION);
  const images = input.imagePolicy;
  if (images?.status === "False" && (wasImages?.status !== "False" || wasImages.reason !== images.reason || wasImages.message !== images.message)) {
    out.push({ type: "Warning", reason: images.reason, message: images.message });
  }
  return out;
}
