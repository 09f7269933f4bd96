import type { RolloutPhase, RolloutStrategy } from "@flotilla/shared";
import { classify, inFlight, isFailure, type ClusterState, type ClusterView } from "./cluster-state.js";
import { parseDuration, resolveQuantity } from "./quantity.js";
import { planSteps, rolloutOrder, type PlannedStep } from "./steps.js";

/**
 * The rollout planner (DESIGN §6): a pure function of the strategy, where each cluster stands (with
 * timestamps), approvals and `now`. It decides which clusters move to the update revision now, which
 * go back to the last good one, when to look again, and the phase, step and message. No I/O, no clock:
 * the same input always gives the same decision.
 */
export interface PlanInput {
  strategy: RolloutStrategy;
  /** The update revision R. */
  revision: string;
  /** Where a rollback goes: the last revision fully rolled out (CMA currentRevision), if any. */
  lastGoodRevision?: string;
  /** `status.rollout.failedRevision`: R was rolled back and is not tried again until the spec changes. */
  failedRevision?: string;
  /** When R became the update revision; a pause that is the first step counts from here. */
  revisionSince: number;
  /** `spec.paused`: no cluster starts. */
  paused: boolean;
  /** Canary pause steps approved for R (1-based step index → when). */
  approvals: ReadonlyMap<number, number>;
  /** Inside a step, clusters are taken by this label's value, then by name. */
  orderLabel?: string;
  clusters: readonly ClusterView[];
  now: number;
}

export interface RolloutCounts {
  total: number;
  /** Desired on R. */
  updated: number;
  succeeded: number;
  inFlight: number;
  failed: number;
  unreachable: number;
}

export interface PlanDecision {
  /** Clusters whose desired revision becomes R now (in rollout order). */
  start: string[];
  /** Clusters sent back to `lastGoodRevision` now. */
  rollback: string[];
  /** Record R as failed (`status.rollout.failedRevision`): it is being rolled back. */
  markFailed: boolean;
  /** Look again after this long even if nothing happens (a soak ends, a deadline or a pause passes). */
  recheckAfterMs?: number;
  phase: RolloutPhase;
  /** Why, in CamelCase (`status.rollout.reason`). */
  reason: RolloutReason;
  /** 1-based canary step; 0 for other strategies. */
  step: number;
  message: string;
  counts: RolloutCounts;
}

export type RolloutReason =
  | "NoClusterCanStart" // Pending: no target cluster can start (unreachable, or waiting on dependencies)
  | "ImagePolicyRefused" // the update revision's images break an image policy: no cluster starts on it
  | "ClustersInFlight"
  | "WaitingForApproval" // a `pause: {}` step waits for promote
  | "PauseDuration"
  | "SpecPaused"
  | "StepFailed" // a canary step's cluster failed (without rollback)
  | "MaxFailuresExceeded"
  | "NoLastGoodRevision"
  | "RollingBack"
  | "RolledBack"
  | "AllClustersUpdated";

/** What a cluster counts as: its state, or Unreachable (skipped: holds no slot, never times out). */
type Standing = ClusterState | "Unreachable";

interface Settings {
  maxConcurrency: number;
  maxFailures: number;
  minSuccessMs: number;
  progressDeadlineMs: number;
}

function settings(strategy: RolloutStrategy, total: number): Settings {
  const r = strategy.rolling ?? {};
  return {
    maxConcurrency: strategy.type === "All" ? Math.max(total, 1) : Math.max(1, resolveQuantity(r.maxConcurrency, total, "25%")),
    maxFailures: resolveQuantity(r.maxFailures, total, 0),
    minSuccessMs: parseDuration(r.minSuccessTime, "0s"),
    progressDeadlineMs: parseDuration(r.progressDeadline, "10m"),
  };
}

export function planRollout(input: PlanInput): PlanDecision {
  const R = input.revision;
  const ordered = rolloutOrder(input.clusters, input.orderLabel);
  const s = settings(input.strategy, ordered.length);
  const timing = { minSuccessMs: s.minSuccessMs, progressDeadlineMs: s.progressDeadlineMs, now: input.now };

  const standing = new Map<string, Standing>();
  let recheckAt: number | undefined;
  const wakeAt = (at: number | undefined) => {
    if (at !== undefined && at > input.now) recheckAt = recheckAt === undefined ? at : Math.min(recheckAt, at);
  };
  for (const c of ordered) {
    const k = classify(c, R, timing);
    // An unreachable cluster cannot report: it is skipped, unless what it said before settles it.
    const st: Standing = !c.reachable && k.state !== "Succeeded" && k.state !== "Failed" ? "Unreachable" : k.state;
    standing.set(c.name, st);
    if (st !== "Unreachable") wakeAt(k.changesAt);
  }
  const counts: RolloutCounts = { total: ordered.length, updated: 0, succeeded: 0, inFlight: 0, failed: 0, unreachable: 0 };
  for (const c of ordered) {
    const x = standing.get(c.name)!;
    if (c.desiredRevision === R) counts.updated++;
    if (x === "Unreachable") counts.unreachable++;
    else if (x === "Succeeded") counts.succeeded++;
    else if (inFlight(x)) counts.inFlight++;
    else if (isFailure(x)) counts.failed++;
  }
  const base = { start: [] as string[], rollback: [] as string[], markFailed: false, counts };
  const recheck = () => (recheckAt === undefined ? {} : { recheckAfterMs: recheckAt - input.now });
  const onR = ordered.filter((c) => c.desiredRevision === R).map((c) => c.name);
  const canary = input.strategy.type === "Canary" ? input.strategy.canary : undefined;

  // R failed before and was rolled back: send back whatever still has it, until the spec changes.
  if (input.failedRevision === R) return rollingBack(input, ordered, counts, onR);

  const steps = canary ? planSteps(canary.steps, ordered, (d) => parseDuration(d, "0s")) : [];
  const where = canary ? walkSteps(steps, standing, input, s.minSuccessMs, ordered) : { step: 0, eligible: undefined, waiting: undefined };
  wakeAt(where.waiting?.until);

  // Failures: a canary step tolerates none; rolling (and a canary's tail) up to maxFailures.
  const inSteps = canary !== undefined && where.step <= steps.length;
  const step = Math.min(where.step, steps.length); // the tail after the last step reports the last
  const breach = inSteps ? counts.failed > 0 : counts.failed > s.maxFailures;
  if (breach) {
    const why = inSteps ? `canary step ${where.step}/${steps.length}: ${counts.failed} cluster(s) failed on ${R}` : `${counts.failed} cluster(s) failed on ${R}, more than maxFailures ${s.maxFailures}`;
    if (canary && canary.autoRollback !== false && input.lastGoodRevision && input.lastGoodRevision !== R) {
      return { ...base, rollback: onR, markFailed: true, phase: "RollingBack", reason: "RollingBack", step, message: `${why}; rolling ${onR.length} cluster(s) back to ${input.lastGoodRevision}` };
    }
    const tail = canary && canary.autoRollback !== false ? "; no earlier revision to roll back to" : "; no new cluster starts";
    return { ...base, phase: "Failed", reason: canary && canary.autoRollback !== false ? "NoLastGoodRevision" : inSteps ? "StepFailed" : "MaxFailuresExceeded", step, message: why + tail, ...recheck() };
  }

  // Under All there is no window to keep: an unreachable cluster gets R now and applies it when it returns.
  const offline = input.strategy.type === "All" && !input.paused ? ordered.filter((c) => !c.reachable && c.blocked !== true && c.desiredRevision !== R).map((c) => c.name) : [];
  const offlineSet = new Set(offline);
  const reachableLeft = ordered.filter((c) => standing.get(c.name) !== "Succeeded" && standing.get(c.name) !== "Unreachable");
  // Done when no reachable cluster is left to move, and something did move (or there is nothing to).
  if (reachableLeft.length === 0 && (counts.succeeded > 0 || counts.total === 0)) {
    const skipped = counts.unreachable ? `; ${counts.unreachable} unreachable cluster(s) follow when they return` : "";
    return { ...base, start: offline, phase: "Succeeded", reason: "AllClustersUpdated", step: canary ? steps.length : 0, message: `${counts.succeeded}/${counts.total} cluster(s) on ${R}${skipped}`, ...recheck() };
  }

  const at = stepLabel(where.step, steps.length);
  const progress = describe(counts, s);
  if (input.paused) return { ...base, phase: "Paused", reason: "SpecPaused", step, message: `paused (spec.paused): no new cluster starts; ${at}${progress}`, ...recheck() };
  if (where.waiting) {
    const waitFor = where.waiting.until === undefined ? "waiting for approval (flotilla rollout promote)" : `pausing until ${new Date(where.waiting.until).toISOString()}`;
    return { ...base, phase: "Paused", reason: where.waiting.until === undefined ? "WaitingForApproval" : "PauseDuration", step, message: `${at}${waitFor}; ${progress}`, ...recheck() };
  }

  const slots = Math.max(0, s.maxConcurrency - counts.inFlight);
  const eligible = ordered.filter((c) => ((c.reachable && standing.get(c.name) === "ToApply") || offlineSet.has(c.name)) && c.blocked !== true && (where.eligible === undefined || where.eligible.has(c.name)));
  const start = eligible.slice(0, slots).map((c) => c.name);
  const started = { ...counts, inFlight: counts.inFlight + start.length, updated: counts.updated + start.length };
  const phase: RolloutPhase = started.updated === 0 ? "Pending" : "Progressing";
  return { ...base, start, phase, reason: phase === "Pending" ? "NoClusterCanStart" : "ClustersInFlight", step, message: at + describe(started, s), ...recheck() };
}

interface StepPosition {
  /** 1-based step the rollout is in; steps.length + 1 once past them all (the rolling tail); 0 without steps. */
  step: number;
  /** Clusters the current step may start; undefined: any (no steps, or the tail). */
  eligible: ReadonlySet<string> | undefined;
  /** Waiting at a pause: until when (undefined: until approved). */
  waiting: { until?: number } | undefined;
}

/**
 * Finds the first canary step not passed. A clusters step passes when each of its clusters has
 * Succeeded (an unreachable one that never started is skipped) and at least one has; a pause passes
 * when approved, or its duration after the step before it passed.
 */
function walkSteps(steps: readonly PlannedStep[], standing: ReadonlyMap<string, Standing>, input: PlanInput, minSuccessMs: number, ordered: readonly ClusterView[]): StepPosition {
  const byName = new Map(ordered.map((c) => [c.name, c]));
  let prevDoneAt = input.revisionSince;
  for (const step of steps) {
    if (step.kind === "pause") {
      const approvedAt = input.approvals.get(step.index);
      const until = step.durationMs !== undefined ? prevDoneAt + step.durationMs : undefined;
      const doneAt = approvedAt ?? (until !== undefined && until <= input.now ? until : undefined);
      if (doneAt === undefined) return { step: step.index, eligible: new Set(), waiting: until !== undefined ? { until } : {} };
      prevDoneAt = Math.max(prevDoneAt, doneAt);
      continue;
    }
    let succeeded = 0;
    let passed = true;
    let doneAt = prevDoneAt;
    for (const name of step.members) {
      const st = standing.get(name);
      if (st === "Succeeded") {
        succeeded++;
        doneAt = Math.max(doneAt, (byName.get(name)?.availableSince ?? 0) + minSuccessMs);
      } else if (!(st === "Unreachable" && byName.get(name)?.desiredRevision !== input.revision)) {
        passed = false;
      }
    }
    if (!passed || (step.members.size > 0 && succeeded === 0)) return { step: step.index, eligible: step.members, waiting: undefined };
    prevDoneAt = doneAt;
  }
  return { step: steps.length + 1, eligible: undefined, waiting: undefined };
}

function rollingBack(input: PlanInput, ordered: readonly ClusterView[], counts: RolloutCounts, onR: string[]): PlanDecision {
  const base = { start: [], markFailed: false, counts, step: 0 };
  const good = input.lastGoodRevision;
  if (!good || good === input.revision) {
    return { ...base, rollback: [], phase: "Failed", reason: "NoLastGoodRevision", message: `${input.revision} failed and there is no earlier revision to roll back to` };
  }
  const back = ordered.filter((c) => c.desiredRevision === good);
  const settled = back.filter((c) => !c.reachable || (c.appliedRevision === good && c.availableSince !== undefined)).length;
  // Reachable clusters on no revision or an older one (one that joined meanwhile) get the last good one too.
  const stragglers = ordered.filter((c) => c.reachable && c.blocked !== true && c.desiredRevision !== input.revision && c.desiredRevision !== good).map((c) => c.name);
  if (stragglers.length > 0) return { ...base, rollback: [...onR, ...stragglers], phase: "RollingBack", reason: "RollingBack", message: `${input.revision} failed; ${settled}/${back.length + onR.length + stragglers.length} cluster(s) back on ${good}` };
  if (onR.length === 0 && settled === back.length) {
    return { ...base, rollback: [], phase: "RolledBack", reason: "RolledBack", message: `${input.revision} failed; every cluster is back on ${good}; change the spec to try again` };
  }
  return { ...base, rollback: onR, phase: "RollingBack", reason: "RollingBack", message: `${input.revision} failed; ${settled}/${back.length + onR.length} cluster(s) back on ${good}` };
}

function describe(c: RolloutCounts, s: Settings): string {
  const parts = [`${c.updated}/${c.total} cluster(s) updated`, `${c.succeeded} succeeded`, `${c.inFlight} in flight (max ${s.maxConcurrency})`];
  if (c.failed) parts.push(`${c.failed} failed (max ${s.maxFailures})`);
  if (c.unreachable) parts.push(`${c.unreachable} unreachable`);
  return parts.join(", ");
}

function stepLabel(step: number, steps: number): string {
  return step === 0 ? "" : step > steps ? "canary steps done, rolling: " : `canary step ${step}/${steps}: `;
}
