/**
 * `flotilla rollout status`: the text block it prints, and the exit code the rollout's state gives.
 * Pure: the CMA and the per-placement progress in, text out. Colour only when asked (a TTY).
 */
import { findCondition, type ClusterManagementAddOn, type Condition } from "@flotilla/shared";
import { isStale } from "../rollout/promotion.js";
import type { PlacementProgress, StepCounts, StepProgress } from "../rollout/progress.js";
import { countsText, pauseText, strategyText } from "../rollout/progress-text.js";

export interface RenderOptions {
  color: boolean;
  /** Characters inside the progress bar's brackets. */
  barWidth?: number;
}

const ANSI = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2 } as const;
type Colour = keyof typeof ANSI;
const paint = (on: boolean) => (colour: Colour, text: string) => (on && text ? `\x1b[${ANSI[colour]}m${text}\x1b[0m` : text);

const PHASE_COLOUR: Record<string, Colour> = { Succeeded: "green", Failed: "red", RollingBack: "red", RolledBack: "red", Paused: "yellow", Progressing: "cyan" };

/** `[###~~x------]`: succeeded `#`, in flight `~`, failed `x`, the rest `-`. */
export function progressBar(c: StepCounts, width: number, color = false): string {
  const p = paint(color);
  const at = (n: number) => (c.members === 0 ? 0 : Math.round((n / c.members) * width));
  const a = at(c.succeeded);
  const b = at(c.succeeded + c.inFlight);
  const f = at(c.succeeded + c.inFlight + c.failed);
  return `[${p("green", "#".repeat(a))}${p("yellow", "~".repeat(b - a))}${p("red", "x".repeat(f - b))}${"-".repeat(width - f)}]`;
}

const conditionText = (c: Condition) => `${c.status} (${c.reason})${c.message ? `: ${c.message}` : ""}`;

/** The block `flotilla rollout status ADDON` prints. */
export function renderRolloutStatus(cma: ClusterManagementAddOn, placements: readonly PlacementProgress[], o: RenderOptions): string {
  const p = paint(o.color);
  const width = o.barWidth ?? 20;
  const addon = cma.metadata?.name ?? "";
  const st = cma.status;
  const r = st?.rollout;
  const lines = [`clustermanagementaddon/${addon}`];
  const field = (name: string, value: string) => lines.push(`${`${name}:`.padEnd(10)} ${value}`);

  const revision = st?.updateRevision;
  const last = st?.currentRevision && st.currentRevision !== revision ? ` (last good: ${st.currentRevision})` : "";
  field("revision", revision ? `${revision}${last}` : "none yet");
  const phase = r?.phase ?? "Pending";
  const step = r?.step ? ` at step ${r.step}` : "";
  field("phase", `${p(PHASE_COLOUR[phase] ?? "dim", phase)}${step}${r?.reason ? ` (${r.reason})` : ""}`);
  if (r?.message) field("message", r.message);
  if (isStale(cma)) field("stale", `the status is of generation ${st?.observedGeneration ?? "none"}; the hub has not acted on generation ${cma.metadata?.generation} yet`);

  const live = phase === "Pending" || phase === "Progressing" || phase === "Paused";
  for (const pl of placements) {
    lines.push(`placement ${pl.name}: ${strategyText(pl.strategy, pl.steps.length)}`);
    const rows: [string, string, string][] = pl.steps.map((s: StepProgress) => {
      const mark = live && s.current ? ">" : " ";
      if (s.kind === "clusters") return [`${mark} ${s.index}`, s.what, `${progressBar(s.counts, width, o.color)} ${countsText(s.counts)}`];
      return [`${mark} ${s.index}`, s.duration !== undefined ? `pause ${s.duration}` : "pause", pauseText(s.state, s.duration, `flotilla rollout promote ${addon}`)];
    });
    const restLabel = pl.strategy.type === "Canary" ? "then rolling" : "clusters";
    if (pl.strategy.type !== "Canary" || pl.rest.members > 0) rows.push(["", restLabel, `${progressBar(pl.rest, width, o.color)} ${countsText(pl.rest)}`]);
    const w0 = Math.max(...rows.map((x) => x[0].length));
    const w1 = Math.max(...rows.map((x) => x[1].length));
    for (const [a, b, c] of rows) lines.push(`  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  }

  const s = st?.summary;
  if (s) field("summary", `desired ${s.desired ?? 0}, updated ${s.updated ?? 0}, applied ${s.applied ?? 0}, available ${s.available ?? 0}, progressing ${s.progressing ?? 0}, failed ${s.failed ?? 0}, unreachable ${s.unreachable ?? 0}`);
  const stuck = findCondition(st?.conditions, "Stuck");
  if (stuck?.status === "True") field("Stuck", p("red", conditionText(stuck)));
  const degraded = findCondition(st?.conditions, "Degraded");
  if (degraded?.status === "True") field("Degraded", p("red", conditionText(degraded)));
  return lines.join("\n") + "\n";
}

/** Where the rollout is, for exit codes: ended only when the status is of the current generation. */
export type RolloutOutcome = "succeeded" | "failed" | "rollingBack" | "inProgress";

export function rolloutOutcome(cma: ClusterManagementAddOn): RolloutOutcome {
  const phase = cma.status?.rollout?.phase;
  if (!phase || isStale(cma)) return "inProgress";
  if (phase === "Succeeded") return "succeeded";
  if (phase === "Failed" || phase === "RolledBack") return "failed";
  if (phase === "RollingBack") return "rollingBack";
  return "inProgress";
}

/** Exit codes of `flotilla rollout status` (documented in its --help). */
export const STATUS_EXIT = { succeeded: 0, failed: 1, inProgress: 3 } as const;

/** Printed once: 0 Succeeded, 1 Failed, RolledBack or RollingBack, 3 still in progress (or stale). */
export function statusExitCode(cma: ClusterManagementAddOn): number {
  const o = rolloutOutcome(cma);
  return o === "succeeded" ? STATUS_EXIT.succeeded : o === "inProgress" ? STATUS_EXIT.inProgress : STATUS_EXIT.failed;
}

/** With --watch: 0 once Succeeded, 1 once Failed or RolledBack; undefined while it goes on (RollingBack included). */
export function watchExitCode(cma: ClusterManagementAddOn): number | undefined {
  const o = rolloutOutcome(cma);
  return o === "succeeded" ? STATUS_EXIT.succeeded : o === "failed" ? STATUS_EXIT.failed : undefined;
}

/** Why the rollout ended badly: its phase and message, and the Degraded (or else Ready) condition. */
export function failureReport(cma: ClusterManagementAddOn): string {
  const r = cma.status?.rollout;
  const lines = [`rollout of ${cma.status?.updateRevision ?? cma.metadata?.name ?? ""} ${r?.phase ?? "failed"}${r?.message ? `: ${r.message}` : ""}`];
  const degraded = findCondition(cma.status?.conditions, "Degraded");
  const ready = findCondition(cma.status?.conditions, "Ready");
  if (degraded?.status === "True") lines.push(`Degraded=${conditionText(degraded)}`);
  else if (ready && ready.status !== "True") lines.push(`Ready=${conditionText(ready)}`);
  return lines.join("\n") + "\n";
}
