/** The CMA status from the revision, the rollout decision and the summary (pure). */
import { canonicalJson, setCondition, type Condition, type ConditionInput } from "@flotilla/shared";
import type { ApprovedStep, ChartResolution, ClusterManagementAddOnSpec, ClusterManagementAddOnStatus, RolloutPhase } from "../../api/types.js";
import { answers } from "../../revision/resolved.js";
import { parseDuration } from "../../rollout/quantity.js";
import type { FleetRolloutDecision } from "./rollout.js";
import type { SummaryResult } from "./summary.js";

export interface CmaStatusInput {
  spec: ClusterManagementAddOnSpec;
  /** `status.source`: the chart a helm source resolved to (the sources controller writes it). */
  resolution?: ChartResolution | undefined;
  generation: number | undefined;
  previous: ClusterManagementAddOnStatus | undefined;
  updateRevision: string;
  result: SummaryResult;
  /** The combined rollout decision (rollout.ts). */
  decision: Pick<FleetRolloutDecision, "phase" | "reason" | "step" | "message" | "markFailed">;
  /** When updateRevision became the update revision (kept from the previous status, or now). */
  startTime: string;
  approvedSteps: readonly ApprovedStep[];
  /** The `ValuesValid` condition (see values.ts). */
  valuesValid: Omit<ConditionInput, "observedGeneration">;
  /** The `DependenciesReady` condition (see rollout/depends.ts), when known. */
  dependencies?: Omit<ConditionInput, "observedGeneration">;
  /** The `ImagePolicyCompliant` condition of the update revision (see imagepolicy/verdict.ts), when checked. */
  imagePolicy?: Omit<ConditionInput, "observedGeneration">;
  now: Date;
}

export interface CmaStatusResult {
  status: ClusterManagementAddOnStatus;
  /** Look again after this long: when the rollout would count as stuck. */
  recheckAfterMs?: number;
}

export interface SourceState {
  condition: Omit<ConditionInput, "observedGeneration">;
  /** A revision can be made: inline manifests, or a chart resolved for this spec (even if the last look failed). */
  usable: boolean;
}

/** `SourceResolved`, and whether the rollout can go on (pure). */
export function sourceCondition(spec: ClusterManagementAddOnSpec, resolution?: ChartResolution): SourceState {
  const ok = (reason: string, message: string): SourceState => ({ condition: { type: "SourceResolved", status: "True", reason, message }, usable: true });
  const failed = (reason: string, message: string, usable = false): SourceState => ({ condition: { type: "SourceResolved", status: "False", reason, message }, usable });
  if (spec.source?.manifests) return ok("InlineManifests", `${spec.source.manifests.length} manifests`);
  const helm = spec.source?.helm;
  if (!helm) return failed("NoSource", "spec.source has neither manifests nor helm");
  const resolved = answers(helm, resolution);
  const failure = resolution?.failure;
  if (resolved && !failure) return ok("ChartResolved", `${helm.chart} ${resolution.version} (${resolution.digest}) from ${helm.repoURL}`);
  if (resolved && failure) return failed(failure.reason, `${failure.message}; rolling out the last chart resolved, ${helm.chart} ${resolution.version}`, true);
  if (failure) return failed(failure.reason, failure.message);
  return failed("Resolving", `resolving ${helm.chart} ${helm.version || "(latest)"} from ${helm.repoURL}`);
}

const list = (names: readonly string[], max = 5): string =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;

/** The shortest progressDeadline of the addon's placements (default 10m): no progress for that long is Stuck. */
export function stuckAfterMs(spec: ClusterManagementAddOnSpec): number {
  const deadlines = (spec.installStrategy?.placements ?? []).map((p) => parseDuration(p.rolloutStrategy?.rolling?.progressDeadline, "10m"));
  return deadlines.length ? Math.min(...deadlines) : parseDuration(undefined, "10m");
}

/** Phases in which the rollout is expected to move by itself (a pause or an end state is not stuck). */
const MOVING: readonly RolloutPhase[] = ["Pending", "Progressing", "RollingBack"];

export function cmaStatus(input: CmaStatusInput): CmaStatusResult {
  const { spec, result, updateRevision, now, decision } = input;
  const { summary, failedClusters } = result;
  const g = input.generation !== undefined ? { observedGeneration: input.generation } : {};
  const { condition: source, usable: sourceOk } = sourceCondition(spec, input.resolution);
  const reachable = summary.desired - summary.unreachable;
  const progressMsg = `${summary.available} of ${reachable} reachable clusters available, ${summary.updated} of ${summary.desired} on ${updateRevision}`;
  const phase: RolloutPhase = sourceOk ? decision.phase : "Pending";
  const reason = sourceOk ? decision.reason : "SourceUnresolved";
  const message = sourceOk ? decision.message : source.message;
  const prev = input.previous;
  const prevRollout = prev?.updateRevision === updateRevision ? prev.rollout : undefined;

  // Progress: anything the counts, phase or step say changed. No progress for progressDeadline while the
  // rollout should be moving by itself is Stuck (KubeFleet's stuck condition).
  const progressSig = canonicalJson([summary, phase, decision.step]);
  const prevSig = prevRollout ? canonicalJson([prev?.summary, prevRollout.phase, prevRollout.step ?? 0]) : undefined;
  const progressTime = progressSig === prevSig && prevRollout?.progressTime ? prevRollout.progressTime : now.toISOString();
  const stuckAt = Date.parse(progressTime) + stuckAfterMs(spec);
  const moving = sourceOk && MOVING.includes(phase) && summary.desired > 0;
  const stuck = moving && stuckAt <= now.getTime();

  const failedMsg = summary.failed > 0 ? `${summary.failed} failed: ${list(failedClusters)}` : message;
  const conds: ConditionInput[] = ([
    { ...source, ...g },
    { ...input.valuesValid, ...g },
    ...(input.dependencies ? [{ ...input.dependencies, ...g }] : []),
    ...(input.imagePolicy ? [{ ...input.imagePolicy, ...g }] : []),
    progressing(phase, reason, message, progressMsg),
    summary.failed > 0
      ? { type: "Degraded", status: "True", reason: "ClustersFailed", message: failedMsg }
      : phase === "Failed" || phase === "RollingBack" || phase === "RolledBack"
        ? { type: "Degraded", status: "True", reason: phase === "Failed" ? "RolloutFailed" : phase, message }
        : { type: "Degraded", status: "False", reason: "AsExpected", message: "" },
    !sourceOk
      ? { type: "Ready", status: "False", reason: "SourceUnresolved", message: source.message }
      : phase === "Succeeded" && summary.failed === 0
        ? { type: "Ready", status: "True", reason: "RolloutComplete", message: progressMsg }
        : summary.failed > 0
          ? { type: "Ready", status: "False", reason: "ClustersFailed", message: failedMsg }
          : { type: "Ready", status: "False", reason, message: progressMsg },
    stuck
      ? { type: "Stuck", status: "True", reason: "ProgressDeadlineExceeded", message: `no progress since ${progressTime} (progressDeadline ${Math.round(stuckAfterMs(spec) / 1000)}s): ${message}` }
      : { type: "Stuck", status: "False", reason: moving ? "Progressing" : "NotMoving", message: "" },
  ] satisfies ConditionInput[]).map((c) => ({ ...c, ...g }));
  let conditions: Condition[] = prev?.conditions ?? [];
  for (const c of conds) conditions = setCondition(conditions, c, now);

  const currentRevision = sourceOk && phase === "Succeeded" ? updateRevision : prev?.currentRevision;
  const failedRevision = decision.markFailed || prev?.rollout?.failedRevision === updateRevision ? updateRevision : undefined;
  const status: ClusterManagementAddOnStatus = {
    ...g,
    ...(currentRevision ? { currentRevision } : {}),
    updateRevision,
    rollout: {
      phase,
      step: decision.step,
      reason,
      message,
      ...(failedRevision ? { failedRevision } : {}),
      startTime: input.startTime,
      progressTime,
      ...(input.approvedSteps.length ? { approvedSteps: [...input.approvedSteps] } : {}),
      lastTransitionTime: prevRollout?.phase === phase && (prevRollout.step ?? 0) === decision.step && prevRollout.lastTransitionTime ? prevRollout.lastTransitionTime : now.toISOString(),
    },
    summary,
    conditions,
  };
  return moving && !stuck ? { status, recheckAfterMs: stuckAt - now.getTime() } : { status };
}

function progressing(phase: RolloutPhase, reason: string, message: string, progressMsg: string): ConditionInput {
  switch (phase) {
    case "Succeeded":
      return { type: "Progressing", status: "False", reason: "RolloutComplete", message: progressMsg };
    case "Paused":
      return { type: "Progressing", status: "False", reason, message };
    case "Failed":
      return { type: "Progressing", status: "False", reason: "RolloutFailed", message };
    case "RolledBack":
      return { type: "Progressing", status: "False", reason: "RolledBack", message };
    case "RollingBack":
      return { type: "Progressing", status: "True", reason: "RollingBack", message };
    default:
      return { type: "Progressing", status: "True", reason: "RollingOut", message: progressMsg };
  }
}
