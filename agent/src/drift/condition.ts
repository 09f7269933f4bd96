import type { ReportCondition } from "@flotilla/shared";
import { driftSummary, type NamedDrift } from "./describe.js";

/** What the agent remembers of an addon's drift (see reconcile/state.ts). */
export interface DriftMemory {
  drift?: readonly NamedDrift[];
  corrected?: { drifts: readonly NamedDrift[]; at: number; total: number };
  correctionFailed?: string;
}

/**
 * The `Drifted` condition (pure): True while drift is only reported (driftPolicy Report) or a
 * correction was refused; False otherwise, naming the last drift corrected since the revision was
 * applied.
 */
export function driftCondition(mem: DriftMemory, reportOnly: boolean): Pick<ReportCondition, "status" | "reason" | "message"> {
  if (mem.correctionFailed) return { status: "True", reason: "CorrectionFailed", message: `drift not corrected: ${mem.correctionFailed}` };
  if (reportOnly && mem.drift?.length) return { status: "True", reason: "DriftDetected", message: `${driftSummary(mem.drift)} (driftPolicy Report: not corrected)` };
  const c = mem.corrected;
  if (c) return { status: "False", reason: "Corrected", message: `${c.total} correction${c.total === 1 ? "" : "s"} since the revision was applied; last at ${new Date(c.at).toISOString()}: ${driftSummary(c.drifts)}` };
  return { status: "False", reason: "NoDrift", message: "" };
}
