/**
 * Where a rollout stands per placement and canary step, as `flotilla rollout status` shows it: the
 * CMA, its MCAs and the ManagedClusters in, counts per step out. The steps are cut as the planner cuts
 * them (`rolloutOrder`, `planSteps`); each cluster is judged as the planner judges it (`clusterView`,
 * `classify`: a cluster soaking for minSuccessTime is still in flight, one past progressDeadline failed). Pure.
 */
import { isConditionTrue, type ApprovedStep, type ClusterManagementAddOn, type ManagedCluster, type ManagedClusterAddOn, type RolloutStrategy } from "@flotilla/shared";
import { matchingPlacement } from "../render/bundle.js";
import { classify, type Timing } from "./cluster-state.js";
import { clusterView } from "./cluster-view.js";
import { parseDuration } from "./quantity.js";
import { planSteps, rolloutOrder } from "./steps.js";

/** Where one cluster is relative to the update revision R. */
export type ClusterProgress = "waiting" | "inFlight" | "succeeded" | "failed" | "unreachable";

export interface StepCounts {
  members: number;
  /** Available on R for minSuccessTime. */
  succeeded: number;
  /** Desired on R, not yet Available on it (or still soaking). */
  inFlight: number;
  failed: number;
  /** Presence lapsed and not settled on R either way. */
  unreachable: number;
}

export type PauseState =
  | { kind: "approved"; at: string }
  | { kind: "waitingForPromote" }
  | { kind: "waitsUntil"; until: string }
  | { kind: "passed" }
  | { kind: "ahead" };

export type StepProgress =
  | { kind: "clusters"; index: number; what: string; counts: StepCounts; current: boolean }
  | { kind: "pause"; index: number; duration?: string; state: PauseState; current: boolean };

export interface PlacementProgress {
  name: string;
  strategy: RolloutStrategy;
  steps: StepProgress[];
  /** Canary: the clusters after the last step (they follow `rolling`); other strategies: every cluster. */
  rest: StepCounts;
}

export interface ClusterFacts {
  name: string;
  labels: Record<string, string>;
  progress: ClusterProgress;
  /** When it became Available on R (ms), for when a pause counts from. */
  availableSince?: number;
}

const labels = (o: { metadata?: { labels?: Record<string, string> } }) => o.metadata?.labels ?? {};

/** One cluster relative to R, as the planner sees it; `reachable` is the ManagedCluster's Available condition. */
export function clusterProgress(mca: ManagedClusterAddOn | undefined, revision: string, reachable: boolean, t: Timing): { progress: ClusterProgress; availableSince?: number } {
  const view = clusterView({ name: mca?.metadata?.namespace ?? "", labels: {}, reachable, status: mca?.status, blocked: false });
  const { state } = classify(view, revision, t);
  const since = view.availableSince !== undefined ? { availableSince: view.availableSince } : {};
  // As the planner counts: an unreachable cluster is skipped unless what it said before settles it.
  if (state === "Succeeded") return { progress: "succeeded", ...since };
  if (state === "Failed") return { progress: "failed" };
  if (!reachable) return { progress: "unreachable" };
  if (state === "TimedOut") return { progress: "failed" };
  return { progress: state === "ToApply" ? "waiting" : "inFlight" };
}

/**
 * The clusters each placement targets: accepted ManagedClusters matching its selector; a cluster
 * matched by several placements belongs to the last (as values do). Keyed by placement name.
 */
export function placementTargets(cma: ClusterManagementAddOn, clusters: readonly ManagedCluster[]): Map<string, ManagedCluster[]> {
  const placements = cma.spec?.installStrategy?.placements ?? [];
  const out = new Map<string, ManagedCluster[]>(placements.map((p) => [p.name, []]));
  for (const c of clusters) {
    if (c.spec?.hubAcceptsClient !== true || c.metadata?.deletionTimestamp) continue;
    const last = matchingPlacement(cma.spec ?? {}, labels(c));
    if (last) out.get(last.name)?.push(c);
  }
  return out;
}

export function countOf(facts: readonly ClusterFacts[]): StepCounts {
  const counts: StepCounts = { members: facts.length, succeeded: 0, inFlight: 0, failed: 0, unreachable: 0 };
  for (const f of facts) if (f.progress !== "waiting") counts[f.progress]++;
  return counts;
}

interface RolloutFacts {
  /** The step the rollout is at (status.rollout.step). */
  step: number;
  paused: boolean;
  reason?: string;
  startTime?: number;
  approved: ReadonlyMap<number, string>;
  minSuccessMs: number;
}

/** Steps of one Canary placement, each with its counts or pause state. */
function canarySteps(strategy: RolloutStrategy, ordered: readonly ClusterFacts[], r: RolloutFacts): { steps: StepProgress[]; rest: StepCounts } {
  const byName = new Map(ordered.map((c) => [c.name, c]));
  const planned = planSteps(strategy.canary?.steps ?? [], ordered, (d) => parseDuration(d, "0s"));
  const spec = strategy.canary?.steps ?? [];
  let covered: ReadonlySet<string> = new Set();
  // When the step before a pause was done, as the planner counts a pause's duration from it.
  let prevDoneAt = r.startTime;
  const steps = planned.map((p): StepProgress => {
    const current = p.index === r.step;
    if (p.kind === "clusters") {
      covered = p.members;
      const members = [...p.members].map((n) => byName.get(n)).filter((c): c is ClusterFacts => c !== undefined);
      for (const m of members) if (m.availableSince !== undefined && prevDoneAt !== undefined) prevDoneAt = Math.max(prevDoneAt, m.availableSince + r.minSuccessMs);
      return { kind: "clusters", index: p.index, what: stepWhat(spec[p.index - 1]), counts: countOf(members), current };
    }
    const duration = spec[p.index - 1]?.pause?.duration;
    const approvedAt = r.approved.get(p.index);
    let state: PauseState;
    if (approvedAt) state = { kind: "approved", at: approvedAt };
    else if (p.index < r.step) state = { kind: "passed" };
    else if (current && r.paused && r.reason === "WaitingForApproval") state = { kind: "waitingForPromote" };
    else if (current && r.paused && p.durationMs !== undefined && prevDoneAt !== undefined) state = { kind: "waitsUntil", until: new Date(prevDoneAt + p.durationMs).toISOString() };
    else if (current && r.paused && p.durationMs === undefined) state = { kind: "waitingForPromote" };
    else state = { kind: "ahead" };
    if (prevDoneAt !== undefined) prevDoneAt = approvedAt ? Math.max(prevDoneAt, Date.parse(approvedAt)) : prevDoneAt + (p.durationMs ?? 0);
    return { kind: "pause", index: p.index, ...(duration !== undefined ? { duration } : {}), state, current };
  });
  return { steps, rest: countOf(ordered.filter((c) => !covered.has(c.name))) };
}

/** What a clusters step adds, as written: `clusters 1`, `clusters 50%`, `selector ring=1`. */
export function stepWhat(step: { clusters?: number | string; clusterSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } } | undefined): string {
  if (step?.clusterSelector) {
    const sel = step.clusterSelector;
    const parts = [
      ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(sel.matchExpressions ?? []).map((e) => (e.operator === "Exists" ? e.key : e.operator === "DoesNotExist" ? `!${e.key}` : `${e.key} ${e.operator === "In" ? "in" : "notin"} (${(e.values ?? []).join(",")})`)),
    ];
    return `selector ${parts.join(",") || "(everything)"}`;
  }
  return `clusters ${step?.clusters ?? 1}`;
}

/** One placement's strategy and its clusters in rollout order, each judged as the planner judges it. */
export interface PlacementFacts {
  name: string;
  strategy: RolloutStrategy;
  clusters: ClusterFacts[];
}

/** Per placement (or one `(manual)` entry): where each of its clusters stands on the update revision. */
export function placementFacts(cma: ClusterManagementAddOn, mcas: readonly ManagedClusterAddOn[], clusters: readonly ManagedCluster[], now: Date): PlacementFacts[] {
  const revision = cma.status?.updateRevision;
  if (!revision) return [];
  const mcaOf = new Map(mcas.map((m) => [m.metadata?.namespace ?? "", m]));
  type Cluster = Pick<ManagedCluster, "metadata" | "status">;
  const reachable = (c: Cluster) => isConditionTrue(c.status?.conditions, "Available");
  const timing = (strategy: RolloutStrategy | undefined): Timing => ({
    minSuccessMs: parseDuration(strategy?.rolling?.minSuccessTime, "0s"),
    progressDeadlineMs: parseDuration(strategy?.rolling?.progressDeadline, "10m"),
    now: now.getTime(),
  });
  const factsWith = (t: Timing) => (c: Cluster): ClusterFacts => {
    const name = c.metadata?.name ?? "";
    return { name, labels: labels(c), ...clusterProgress(mcaOf.get(name), revision, reachable(c), t) };
  };
  const placements = cma.spec?.installStrategy?.placements ?? [];
  if (placements.length === 0 || cma.spec?.installStrategy?.type === "Manual") {
    // Manual: the MCAs made by hand are the targets, all at once.
    const byName = new Map(clusters.map((c) => [c.metadata?.name ?? "", c]));
    const manual = mcas.map((m): Cluster => byName.get(m.metadata?.namespace ?? "") ?? { metadata: { name: m.metadata?.namespace ?? "" } });
    return [{ name: "(manual)", strategy: { type: "All" }, clusters: manual.map(factsWith(timing(undefined))) }];
  }
  const targets = placementTargets(cma, clusters);
  return placements.map((p) => {
    const strategy: RolloutStrategy = p.rolloutStrategy ?? { type: "All" };
    return { name: p.name, strategy, clusters: rolloutOrder((targets.get(p.name) ?? []).map(factsWith(timing(strategy))), strategy.orderLabel) };
  });
}

/** Per placement: its strategy, and per step (or for all its clusters) where the clusters stand on the update revision. */
export function rolloutProgress(cma: ClusterManagementAddOn, mcas: readonly ManagedClusterAddOn[], clusters: readonly ManagedCluster[], now: Date): PlacementProgress[] {
  return progressOf(cma, placementFacts(cma, mcas, clusters, now));
}

/** The steps of each placement from its facts (`placementFacts`) and the CMA's rollout status. */
export function progressOf(cma: ClusterManagementAddOn, placements: readonly PlacementFacts[]): PlacementProgress[] {
  const r = cma.status?.rollout;
  const approved = new Map((r?.approvedSteps ?? []).map((a: ApprovedStep) => [a.step, a.approvedAt] as const));
  const startTime = r?.startTime ? Date.parse(r.startTime) : undefined;
  return placements.map(({ name, strategy, clusters: ordered }) => {
    if (strategy.type !== "Canary") return { name, strategy, steps: [], rest: countOf(ordered) };
    const minSuccessMs = parseDuration(strategy.rolling?.minSuccessTime, "0s");
    // Once Succeeded every step has passed, whatever step the status names.
    const at: RolloutFacts = { step: r?.phase === "Succeeded" ? Number.MAX_SAFE_INTEGER : (r?.step ?? 0), paused: r?.phase === "Paused", ...(r?.reason ? { reason: r.reason } : {}), ...(startTime !== undefined ? { startTime } : {}), approved, minSuccessMs };
    return { name, strategy, ...canarySteps(strategy, ordered, at) };
  });
}
