/**
 * What the dashboard's server sends the page (JSON over the API and Server-Sent Events). The page
 * imports these as types only, so the browser bundle carries none of the hub's code.
 */
import type { ClusterProgress, StepCounts } from "../../rollout/progress.js";

/** How a state reads at a glance; the page gives each a colour and always shows the text too. */
export type Tone = "ok" | "busy" | "warn" | "bad" | "idle";

/** A resource the user's credentials could not list (RBAC says no, or the API server is away). */
export interface Problem {
  resource: string;
  code: string;
  message: string;
}

export interface ClusterItem {
  name: string;
  kubernetesVersion: string;
  /** The Available condition's reason and message when it is not True. */
  why: string;
}

export interface ClusterGroup {
  key: "available" | "unknown" | "unavailable" | "joining" | "notAccepted";
  label: string;
  tone: Tone;
  clusters: ClusterItem[];
}

export interface AddonItem {
  name: string;
  displayName: string;
  phase: string;
  message: string;
  updateRevision: string;
  desired: number;
  available: number;
  failed: number;
}

export interface AddonGroup {
  phase: string;
  tone: Tone;
  addons: AddonItem[];
}

export interface FleetView {
  clusters: ClusterGroup[];
  addons: AddonGroup[];
  clusterCount: number;
  addonCount: number;
  problems: Problem[];
  /** Resources not listed yet: their sections would be empty for no reason. */
  loading: string[];
}

/** A stretch of a progress bar, in percent of its width. */
export interface Segment {
  kind: "succeeded" | "inFlight" | "failed" | "waiting";
  percent: number;
}

export interface StepView {
  index: number;
  kind: "clusters" | "pause";
  /** What the step is: `clusters 1`, `selector ring=1`, `pause`, `pause 10m`, `then rolling`. */
  what: string;
  /** Where it stands, in words: `1/1 succeeded, 0 in flight, 0 failed`, `waiting for promote`. */
  state: string;
  tone: Tone;
  current: boolean;
  counts?: StepCounts;
  bar?: Segment[];
}

export interface PlacementView {
  name: string;
  strategy: string;
  steps: StepView[];
}

export interface ClusterRow {
  name: string;
  placement: string;
  progress: ClusterProgress;
  /** The progress in words (`in flight`, `succeeded`). */
  label: string;
  tone: Tone;
  desiredRevision: string;
  appliedRevision: string;
}

export interface RevisionRow {
  revision: number;
  name: string;
  created: string;
  outcome: string;
  changeCause: string;
}

export interface ActionState {
  enabled: boolean;
  /** Why not, when disabled; what it would do, when enabled. */
  note: string;
}

export interface AddonView {
  name: string;
  found: boolean;
  displayName: string;
  phase: string;
  tone: Tone;
  reason: string;
  message: string;
  step: number;
  updateRevision: string;
  currentRevision: string;
  paused: boolean;
  /** The hub has not yet acted on the latest spec. */
  stale: boolean;
  summary: { desired: number; updated: number; available: number; progressing: number; failed: number; unreachable: number };
  placements: PlacementView[];
  clusters: ClusterRow[];
  revisions: RevisionRow[];
  actions: { promote: ActionState & { step?: number }; pause: ActionState; resume: ActionState; undo: ActionState };
  problems: Problem[];
  loading: string[];
}

/** Names of the Server-Sent Events the page listens to. */
export type StreamEvent = "fleet" | "addon";

export interface DiffLine {
  /** Kept, added, removed, or `…`: unchanged lines left out (`text` says how many). */
  op: " " | "+" | "-" | "…";
  text: string;
}

export interface RevisionDiff {
  from: RevisionRow;
  to: RevisionRow;
  lines: DiffLine[];
}
