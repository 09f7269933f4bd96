/**
 * Approvals of canary pause steps, read from the CMA's `addon.flotilla.dev/promote` annotation and
 * remembered in `status.rollout.approvedSteps` with when the hub first saw each one (pure).
 */
import type { ApprovedStep } from "../api/types.js";

export interface PromoteEntry {
  revision: string;
  /** 1-based pause step, or "*" for every pause of the revision. */
  step: number | "*";
}

/** Parses the annotation's value; entries that do not read as `<revision>/<step|*>` are returned as `invalid`. */
export function parsePromote(value: string | undefined): { entries: PromoteEntry[]; invalid: string[] } {
  const entries: PromoteEntry[] = [];
  const invalid: string[] = [];
  for (const raw of (value ?? "").split(",")) {
    const item = raw.trim();
    if (!item) continue;
    const slash = item.lastIndexOf("/");
    const revision = item.slice(0, slash);
    const step = item.slice(slash + 1);
    if (slash <= 0 || !(step === "*" || /^[1-9][0-9]*$/.test(step))) invalid.push(item);
    else entries.push({ revision, step: step === "*" ? "*" : Number(step) });
  }
  return { entries, invalid };
}

/** The annotation with `revision/step` added; entries for other revisions are dropped (they can no longer matter). */
export function withPromotion(value: string | undefined, revision: string, step: number | "*"): string {
  const kept = parsePromote(value).entries.filter((e) => e.revision === revision && e.step !== step);
  return [...kept, { revision, step }].map((e) => `${e.revision}/${e.step}`).join(",");
}

/**
 * The pause steps of `revision` approved now: those recorded before keep their time; newly annotated
 * ones (of the given pause steps) are stamped `now`. Ordered by step.
 */
export function approvedSteps(revision: string, annotation: string | undefined, pauseSteps: readonly number[], recorded: readonly ApprovedStep[], now: Date): ApprovedStep[] {
  const byStep = new Map(recorded.map((a) => [a.step, a] as const));
  for (const e of parsePromote(annotation).entries) {
    if (e.revision !== revision) continue;
    for (const step of e.step === "*" ? pauseSteps : pauseSteps.filter((s) => s === e.step)) {
      if (!byStep.has(step)) byStep.set(step, { step, approvedAt: now.toISOString() });
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** step → approval time (ms), as the planner takes them. */
export const approvalTimes = (steps: readonly ApprovedStep[]): Map<number, number> => new Map(steps.map((a) => [a.step, Date.parse(a.approvedAt)] as const));
