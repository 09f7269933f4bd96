/** The CMA status from the revision, the rollout decision and the summary (pure). */
import { setCondition, type Condition, type ConditionInput } from "@flotilla/shared";
import type { ClusterManagementAddOnSpec, ClusterManagementAddOnStatus, RolloutPhase } from "../../api/types.js";
import type { SummaryResult } from "./summary.js";

export interface CmaStatusInput {
  spec: ClusterManagementAddOnSpec;
  generation: number | undefined;
  previous: ClusterManagementAddOnStatus | undefined;
  updateRevision: string;
  result: SummaryResult;
  /** Clusters the planner holds back (paused). */
  held: number;
  /** The `ValuesValid` condition (see values.ts). */
  valuesValid: Omit<ConditionInput, "observedGeneration">;
  /** The `DependenciesReady` condition (see rollout/depends.ts), when known. */
  dependencies?: Omit<ConditionInput, "observedGeneration">;
  now: Date;
}

export function sourceCondition(spec: ClusterManagementAddOnSpec): Omit<ConditionInput, "observedGeneration"> {
  if (spec.source?.manifests) return { type: "SourceResolved", status: "True", reason: "InlineManifests", message: `${spec.source.manifests.length} manifests` };
  if (spec.source?.helm) return { type: "SourceResolved", status: "False", reason: "HelmNotSupported", message: "helm sources are not rendered by this hub yet" };
  return { type: "SourceResolved", status: "False", reason: "NoSource", message: "spec.source has neither manifests nor helm" };
}

const list = (names: readonly string[], max = 5): string =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;

export function cmaStatus(input: CmaStatusInput): ClusterManagementAddOnStatus {
  const { spec, result, updateRevision, now } = input;
  const { summary, complete, failedClusters } = result;
  const g = input.generation !== undefined ? { observedGeneration: input.generation } : {};
  const source = sourceCondition(spec);
  const sourceOk = source.status === "True";
  const paused = spec.paused === true && input.held > 0;
  const reachable = summary.desired - summary.unreachable;
  const progressMsg = `${summary.available} of ${reachable} reachable clusters available, ${summary.updated} of ${summary.desired} on ${updateRevision}`;

  // Under All every cluster starts at once, so a failure is the rollout failing (maxFailures defaults to 0).
  const phase: RolloutPhase = !sourceOk ? "Pending" : complete ? "Succeeded" : summary.failed > 0 ? "Failed" : paused ? "Paused" : "Progressing";
  const prevRollout = input.previous?.rollout;
  const conds: ConditionInput[] = [
    { ...source, ...g },
    { ...input.valuesValid, ...g },
    ...(input.dependencies ? [{ ...input.dependencies, ...g }] : []),
    complete
      ? { type: "Progressing", status: "False", reason: "RolloutComplete", message: progressMsg, ...g }
      : paused
        ? { type: "Progressing", status: "False", reason: "Paused", message: `paused with ${input.held} clusters not started; ${progressMsg}`, ...g }
        : { type: "Progressing", status: "True", reason: "RollingOut", message: progressMsg, ...g },
    summary.failed > 0
      ? { type: "Degraded", status: "True", reason: "ClustersFailed", message: `${summary.failed} failed: ${list(failedClusters)}`, ...g }
      : { type: "Degraded", status: "False", reason: "AsExpected", message: "", ...g },
    !sourceOk
      ? { type: "Ready", status: "False", reason: "SourceUnresolved", message: source.message, ...g }
      : summary.failed > 0
        ? { type: "Ready", status: "False", reason: "ClustersFailed", message: `${summary.failed} failed: ${list(failedClusters)}`, ...g }
        : complete
          ? { type: "Ready", status: "True", reason: "RolloutComplete", message: progressMsg, ...g }
          : { type: "Ready", status: "False", reason: paused ? "Paused" : "RollingOut", message: progressMsg, ...g },
  ];
  let conditions: Condition[] = input.previous?.conditions ?? [];
  for (const c of conds) conditions = setCondition(conditions, c, now);

  const currentRevision = complete && sourceOk && summary.failed === 0 ? updateRevision : input.previous?.currentRevision;
  return {
    ...g,
    ...(currentRevision ? { currentRevision } : {}),
    updateRevision,
    rollout: {
      phase,
      step: 0,
      message: progressMsg,
      lastTransitionTime: prevRollout?.phase === phase && prevRollout.lastTransitionTime ? prevRollout.lastTransitionTime : now.toISOString(),
    },
    summary,
    conditions,
  };
}
