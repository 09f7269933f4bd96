import type { DriftPolicy } from "@flotilla/shared";

/**
 * Whether an addon's bundle must be read from the bus: not when the agent holds the one the index
 * names, nor when that one was just dropped as invalid (until a hint about it or a resync).
 */
export function bundleStep(i: { wanted: string; held?: string; rejected?: string; resync: boolean }): "held" | "read" | "rejected" {
  if (i.held === i.wanted) return "held";
  if (i.rejected === i.wanted && !i.resync) return "rejected";
  return "read";
}

/**
 * Whether to apply the held bundle: when it is not applied yet (unless the API server refused it
 * and nothing changed since), when an applied object was deleted, or at resync to undo drift
 * (not with driftPolicy Report).
 */
export function shouldApply(i: { held: string; applied?: string; refused?: string; reapply: boolean; resync: boolean; driftPolicy: DriftPolicy }): boolean {
  if (i.reapply) return true;
  if (i.resync) return i.applied !== i.held || i.driftPolicy !== "Report";
  return i.applied !== i.held && i.refused !== i.held;
}
