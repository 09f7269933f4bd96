import type { StepCounts } from "../../rollout/progress.js";
import type { Segment } from "./types.js";

/**
 * A step's progress bar: succeeded, in flight, failed, waiting, in that order, in whole percent summing
 * to 100 (largest remainders get the rounding, a stretch that is not empty at least 1), stretches of 0 left out. An empty step is all waiting. Pure.
 */
export function barSegments(c: StepCounts): Segment[] {
  if (c.members === 0) return [{ kind: "waiting", percent: 100 }];
  const waiting = Math.max(0, c.members - c.succeeded - c.inFlight - c.failed);
  const parts: [Segment["kind"], number][] = [["succeeded", c.succeeded], ["inFlight", c.inFlight], ["failed", c.failed], ["waiting", waiting]];
  const exact = parts.map(([, n]) => (n / c.members) * 100);
  // Whole percent; a stretch that is not empty keeps at least 1 so one failed cluster in 1000 shows.
  const whole = exact.map((x) => (x > 0 ? Math.max(1, Math.floor(x)) : 0));
  let left = 100 - whole.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left > 0 && exact[i]! > 0) {
      whole[i]! += 1;
      left--;
    }
  }
  // Minimums pushed the sum over 100: the widest stretch gives it back.
  const widest = whole.indexOf(Math.max(...whole));
  whole[widest]! += Math.min(0, left);
  return parts.map(([kind], i) => ({ kind, percent: whole[i]! })).filter((s) => s.percent > 0);
}
