import type { ClusterProgress } from "../../rollout/progress.js";
import type { Tone } from "./types.js";

/** Rollout phases (CMA status.rollout.phase) as they read. Unknown phases are idle. */
const PHASE_TONE: Record<string, Tone> = {
  Succeeded: "ok",
  Progressing: "busy",
  Pending: "idle",
  Paused: "warn",
  Failed: "bad",
  RollingBack: "bad",
  RolledBack: "bad",
};

export const phaseTone = (phase: string): Tone => PHASE_TONE[phase] ?? "idle";

/** The order the fleet page lists phase groups in: what needs a person first. */
export const PHASE_ORDER = ["Failed", "RollingBack", "RolledBack", "Paused", "Progressing", "Pending", "Succeeded"];

export const PROGRESS: Record<ClusterProgress, { label: string; tone: Tone }> = {
  failed: { label: "failed", tone: "bad" },
  unreachable: { label: "unreachable", tone: "warn" },
  inFlight: { label: "in flight", tone: "busy" },
  waiting: { label: "waiting", tone: "idle" },
  succeeded: { label: "succeeded", tone: "ok" },
};
