/** When to ask a chart repository again, and what `status.source` becomes after asking (pure). */
import type { ChartResolution, HelmSource } from "../../api/types.js";
import { answers } from "../../revision/resolved.js";

/** A failed look is tried again after this long, or the interval when that is shorter. */
export const FAILURE_RETRY_MS = 30_000;

/** Whether to ask the repository now; if not, how long until it is due. */
export function sourceDue(helm: HelmSource, prev: ChartResolution | undefined, intervalMs: number, now: number): { due: true } | { due: false; afterMs: number } {
  // Never asked for this spec (new addon, or the version, chart or repository changed): now.
  if (!answers(helm, prev) || !prev.lastCheckedTime) return { due: true };
  const wait = prev.failure ? Math.min(intervalMs, FAILURE_RETRY_MS) : intervalMs;
  const left = Date.parse(prev.lastCheckedTime) + wait - now;
  return left > 0 ? { due: false, afterMs: left } : { due: true };
}

export type LookOutcome = { ok: true; version: string; digest: string; url: string } | { ok: false; reason: string; message: string };

/**
 * `status.source` after a look. A failure keeps the chart last resolved for this spec (the rollout goes
 * on with it), and drops one resolved for another spec (nothing to roll out until this one resolves).
 */
export function nextResolution(helm: HelmSource, prev: ChartResolution | undefined, outcome: LookOutcome, now: number): ChartResolution {
  const base = { repoURL: helm.repoURL, chart: helm.chart, requestedVersion: helm.version ?? "", lastCheckedTime: new Date(now).toISOString() };
  if (outcome.ok) return { ...base, version: outcome.version, digest: outcome.digest, url: outcome.url };
  const failure = { reason: outcome.reason, message: outcome.message.slice(0, 4096) };
  if (answers(helm, prev)) return { ...base, version: prev.version, digest: prev.digest, ...(prev.url ? { url: prev.url } : {}), failure };
  return { ...base, failure };
}

/** What changed, for an Event: a newer (or first) chart, a failure, a recovery; undefined when nothing did. */
export function sourceTransition(prev: ChartResolution | undefined, next: ChartResolution): { type: "Normal" | "Warning"; reason: string; message: string } | undefined {
  if (next.failure) {
    return prev?.failure?.reason === next.failure.reason ? undefined : { type: "Warning", reason: next.failure.reason, message: next.failure.message };
  }
  const chart = `${next.chart} ${next.requestedVersion || "(latest)"}`;
  if (!prev || prev.digest !== next.digest || prev.version !== next.version) {
    return { type: "Normal", reason: "ChartResolved", message: `${chart} resolved to ${next.version} (${next.digest})${prev?.version && prev.version !== next.version ? `, was ${prev.version}` : ""}` };
  }
  if (prev.failure) return { type: "Normal", reason: "ChartResolved", message: `${chart} resolves again to ${next.version}` };
  return undefined;
}
