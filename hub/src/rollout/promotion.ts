/**
 * What `flotilla rollout promote` approves: the pause the rollout waits at, or a named pause step of
 * the update revision. Pure: the CMA in, the approval (or why there is none) out.
 */
import { FlotillaError, type ClusterManagementAddOn, type ClusterManagementAddOnSpec } from "@flotilla/shared";

export interface Promotion {
  revision: string;
  /** 1-based canary step index. */
  step: number;
}

/** Nothing waits for promote: the rollout is doing something else, which the message says. */
export class NothingToPromoteError extends FlotillaError {
  constructor(message: string, options?: ErrorOptions) {
    super("Invalid", message, options);
    this.name = "NothingToPromoteError";
  }
}

/** `--step N` names no pause step of any Canary placement of the addon. */
export class NotAPauseStepError extends FlotillaError {
  constructor(message: string, options?: ErrorOptions) {
    super("Invalid", message, options);
    this.name = "NotAPauseStepError";
  }
}

/** 1-based indexes of the pause steps of the addon's Canary placements, sorted, without repeats. */
export function pauseSteps(spec: ClusterManagementAddOnSpec | undefined): number[] {
  const out = new Set<number>();
  for (const p of spec?.installStrategy?.placements ?? []) {
    const strategy = p.rolloutStrategy;
    if (strategy?.type !== "Canary") continue;
    strategy.canary?.steps.forEach((s, i) => s.pause && out.add(i + 1));
  }
  return [...out].sort((a, b) => a - b);
}

/** The rollout's phase, reason and message in one phrase, e.g. `Progressing (ClustersInFlight): canary step 1/3: …`. */
export function describeRollout(cma: ClusterManagementAddOn): string {
  const r = cma.status?.rollout;
  if (!r?.phase) return "not started (the hub has written no rollout status yet)";
  return `${r.phase}${r.reason ? ` (${r.reason})` : ""}${r.message ? `: ${r.message}` : ""}`;
}

/** The status is of an older spec: the hub has not acted on the current generation yet. */
export function isStale(cma: ClusterManagementAddOn): boolean {
  const generation = cma.metadata?.generation;
  return generation !== undefined && cma.status?.observedGeneration !== generation;
}

/**
 * The approval to write: `step` of the update revision when given (it must be a pause step of a
 * Canary placement), otherwise the pause the rollout waits at (phase Paused, reason WaitingForApproval).
 */
export function promotionFor(cma: ClusterManagementAddOn, step?: number): Promotion {
  const name = `clustermanagementaddon/${cma.metadata?.name ?? ""}`;
  const revision = cma.status?.updateRevision;
  if (!revision) throw new NothingToPromoteError(`nothing to promote: ${name} has no update revision yet; the rollout is ${describeRollout(cma)}`);
  if (isStale(cma)) {
    throw new NothingToPromoteError(
      `nothing to promote yet: the hub has not acted on generation ${cma.metadata?.generation} of ${name} (its status is of generation ${cma.status?.observedGeneration ?? "none"}); try again in a moment`,
    );
  }
  if (step !== undefined) {
    const pauses = pauseSteps(cma.spec);
    if (!pauses.includes(step)) {
      const known = pauses.length ? `its pause steps are ${pauses.join(", ")}` : "it has no canary pause step";
      throw new NotAPauseStepError(`step ${step} is not a pause step of ${name}: ${known}`);
    }
    return { revision, step };
  }
  const r = cma.status?.rollout;
  if (r?.phase !== "Paused" || r.reason !== "WaitingForApproval" || !r.step) {
    throw new NothingToPromoteError(`nothing to promote: ${name} waits for no approval; the rollout is ${describeRollout(cma)}`);
  }
  return { revision, step: r.step };
}
