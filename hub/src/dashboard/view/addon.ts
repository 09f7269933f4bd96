import type { AddOnRevision, ClusterManagementAddOn, ManagedCluster, ManagedClusterAddOn } from "@flotilla/shared";
import { CHANGE_CAUSE_ANNOTATION } from "../../api/names.js";
import { byRevision, revisionOutcome } from "../../rollout/history.js";
import { placementFacts, progressOf, type PlacementProgress, type StepProgress } from "../../rollout/progress.js";
import { countsText, pauseText, strategyText } from "../../rollout/progress-text.js";
import { isStale, promotionFor } from "../../rollout/promotion.js";
import { undoTarget } from "../../rollout/undo.js";
import { barSegments } from "./bar.js";
import { phaseTone, PROGRESS } from "./tone.js";
import type { ActionState, AddonView, ClusterRow, PlacementView, Problem, RevisionRow, StepView, Tone } from "./types.js";

export interface AddonInput {
  name: string;
  addon: ClusterManagementAddOn | undefined;
  /** The addon's ManagedClusterAddOns. */
  mcas: readonly ManagedClusterAddOn[];
  clusters: readonly ManagedCluster[];
  /** The addon's AddOnRevisions. */
  revisions: readonly AddOnRevision[];
  now: Date;
  problems: Problem[];
  loading: string[];
}

const PROMOTE_HINT = "the Promote button";

const pauseTone = (s: Extract<StepProgress, { kind: "pause" }>["state"]): Tone =>
  s.kind === "waitingForPromote" || s.kind === "waitsUntil" ? "warn" : s.kind === "ahead" ? "idle" : "ok";

function countsTone(c: { members: number; succeeded: number; failed: number; inFlight: number }): Tone {
  if (c.failed > 0) return "bad";
  if (c.inFlight > 0) return "busy";
  return c.members > 0 && c.succeeded === c.members ? "ok" : "idle";
}

/** One placement drawn step by step: its canary steps, then the clusters after them (or all of them). */
export function placementView(p: PlacementProgress, live: boolean): PlacementView {
  const steps = p.steps.map((s): StepView => {
    const current = live && s.current;
    if (s.kind === "clusters") return { index: s.index, kind: "clusters", what: s.what, state: countsText(s.counts), tone: countsTone(s.counts), current, counts: s.counts, bar: barSegments(s.counts) };
    return { index: s.index, kind: "pause", what: s.duration !== undefined ? `pause ${s.duration}` : "pause", state: pauseText(s.state, s.duration, PROMOTE_HINT), tone: pauseTone(s.state), current };
  });
  const canary = p.strategy.type === "Canary";
  if (!canary || p.rest.members > 0) {
    steps.push({ index: steps.length + 1, kind: "clusters", what: canary ? "then rolling" : "clusters", state: countsText(p.rest), tone: countsTone(p.rest), current: false, counts: p.rest, bar: barSegments(p.rest) });
  }
  return { name: p.name, strategy: strategyText(p.strategy, p.steps.length), steps };
}

function actionsOf(cma: ClusterManagementAddOn, revisions: readonly AddOnRevision[]): AddonView["actions"] {
  let promote: ActionState & { step?: number };
  try {
    const p = promotionFor(cma);
    promote = { enabled: true, note: `approve step ${p.step} of ${p.revision}`, step: p.step };
  } catch (err) {
    promote = { enabled: false, note: err instanceof Error ? err.message : String(err) };
  }
  const paused = cma.spec?.paused === true;
  let undo: ActionState;
  try {
    const t = undoTarget(revisions, cma.status?.currentRevision ?? cma.status?.updateRevision, undefined);
    undo = { enabled: true, note: `go back to revision ${t.spec.revision} (${t.metadata?.name ?? ""})` };
  } catch (err) {
    undo = { enabled: false, note: err instanceof Error ? err.message : String(err) };
  }
  return {
    promote,
    pause: paused ? { enabled: false, note: "already paused" } : { enabled: true, note: "no new cluster starts; in-flight ones finish" },
    resume: paused ? { enabled: true, note: "let the paused rollout go on" } : { enabled: false, note: "not paused" },
    undo,
  };
}

const revisionRow = (r: AddOnRevision, cma: ClusterManagementAddOn | undefined): RevisionRow => ({
  revision: r.spec.revision,
  name: r.metadata?.name ?? "",
  created: r.metadata?.creationTimestamp ? new Date(r.metadata.creationTimestamp).toISOString() : "",
  outcome: revisionOutcome(r, cma?.status),
  changeCause: r.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? "",
});

const NO_ACTION: ActionState = { enabled: false, note: "the addon is not there" };

/** The addon page: the rollout drawn step by step, each cluster's state, the revision history, what the buttons would do. Pure. */
export function addonView(input: AddonInput): AddonView {
  const { addon: cma, name } = input;
  const st = cma?.status;
  const phase = st?.rollout?.phase ?? "Pending";
  const live = phase === "Progressing" || phase === "Paused";
  const facts = cma ? placementFacts(cma, input.mcas, input.clusters, input.now) : [];
  const mcaOf = new Map(input.mcas.map((m) => [m.metadata?.namespace ?? "", m]));
  const clusters = facts.flatMap((p) =>
    p.clusters.map((c): ClusterRow => ({
      name: c.name,
      placement: p.name,
      progress: c.progress,
      ...PROGRESS[c.progress],
      desiredRevision: mcaOf.get(c.name)?.status?.desiredRevision ?? "",
      appliedRevision: mcaOf.get(c.name)?.status?.appliedRevision ?? "",
    })),
  );
  const s = st?.summary;
  return {
    name,
    found: cma !== undefined,
    displayName: cma?.spec?.displayName ?? "",
    phase,
    tone: phaseTone(phase),
    reason: st?.rollout?.reason ?? "",
    message: st?.rollout?.message ?? "",
    step: st?.rollout?.step ?? 0,
    updateRevision: st?.updateRevision ?? "",
    currentRevision: st?.currentRevision ?? "",
    paused: cma?.spec?.paused === true,
    stale: cma ? isStale(cma) : false,
    summary: { desired: s?.desired ?? 0, updated: s?.updated ?? 0, available: s?.available ?? 0, progressing: s?.progressing ?? 0, failed: s?.failed ?? 0, unreachable: s?.unreachable ?? 0 },
    placements: cma ? progressOf(cma, facts).map((p) => placementView(p, live)) : [],
    clusters,
    revisions: byRevision(input.revisions).reverse().map((r) => revisionRow(r, cma)),
    actions: cma ? actionsOf(cma, input.revisions) : { promote: NO_ACTION, pause: NO_ACTION, resume: NO_ACTION, undo: NO_ACTION },
    problems: input.problems,
    loading: input.loading,
  };
}

export { revisionRow };
