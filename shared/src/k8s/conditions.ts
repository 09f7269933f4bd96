/** Pure helpers for metav1.Condition lists (the Condition type is generated from crds/). */
import type { Condition } from "../api/types.generated.js";

/** A condition to set; `setCondition` fills in `lastTransitionTime`. */
export type ConditionInput = Omit<Condition, "lastTransitionTime"> & { lastTransitionTime?: string };

export const findCondition = <C extends { type: string }>(conds: readonly C[] | undefined, type: string): C | undefined =>
  conds?.find((c) => c.type === type);

export const isConditionTrue = (conds: readonly { type: string; status: string }[] | undefined, type: string): boolean =>
  findCondition(conds, type)?.status === "True";

/**
 * Returns a new list with `next` set; `lastTransitionTime` moves only when the status changes, as
 * `meta.SetStatusCondition` does. Order is kept; new types are appended.
 */
export function setCondition(conds: readonly Condition[] | undefined, next: ConditionInput, now: Date): Condition[] {
  const list = [...(conds ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const prev = i >= 0 ? list[i] : undefined;
  const lastTransitionTime =
    prev && prev.status === next.status ? prev.lastTransitionTime : (next.lastTransitionTime ?? now.toISOString());
  const merged: Condition = { ...next, lastTransitionTime };
  if (i >= 0) list[i] = merged;
  else list.push(merged);
  return list;
}

/** True when the two lists differ in anything but lastTransitionTime. */
export function conditionsChanged(a: readonly Condition[] | undefined, b: readonly Condition[] | undefined): boolean {
  const strip = (l: readonly Condition[] | undefined) =>
    (l ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration ?? null]);
  return JSON.stringify(strip(a)) !== JSON.stringify(strip(b));
}
