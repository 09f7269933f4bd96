/** Rollout progress in words, for `flotilla rollout status` and the dashboard. Pure. */
import type { RolloutStrategy } from "@flotilla/shared";
import type { PauseState, StepCounts } from "./progress.js";

export function countsText(c: StepCounts): string {
  const parts = [`${c.succeeded}/${c.members} succeeded`, `${c.inFlight} in flight`, `${c.failed} failed`];
  if (c.unreachable) parts.push(`${c.unreachable} unreachable`);
  return parts.join(", ");
}

/** A pause step's state in words; `promoteHint` names how to approve it (a command, a button). */
export function pauseText(s: PauseState, duration: string | undefined, promoteHint: string): string {
  switch (s.kind) {
    case "approved": return `approved at ${s.at}`;
    case "waitingForPromote": return `waiting for promote (${promoteHint})`;
    case "waitsUntil": return `waits until ${s.until}`;
    case "passed": return "passed";
    case "ahead": return duration !== undefined ? `waits ${duration}` : "waits for promote";
  }
}

/** A placement's strategy in one line, e.g. `Canary, 3 step(s), autoRollback on; then rolling: …`. */
export function strategyText(s: RolloutStrategy, steps: number): string {
  const rolling = s.rolling ?? {};
  const roll = [`maxConcurrency ${rolling.maxConcurrency ?? "25%"}`, `maxFailures ${rolling.maxFailures ?? 0}`];
  if (rolling.minSuccessTime) roll.push(`minSuccessTime ${rolling.minSuccessTime}`);
  const order = s.orderLabel ? `, ordered by label ${s.orderLabel}` : "";
  if (s.type === "All") return `All${order}`;
  if (s.type === "Rolling") return `Rolling${order}, ${roll.join(", ")}`;
  return `Canary, ${steps} step(s)${order}, autoRollback ${s.canary?.autoRollback === false ? "off" : "on"}; then rolling: ${roll.join(", ")}`;
}
