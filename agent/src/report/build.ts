import { MAX_REPORTED_RESOURCES, PROTOCOL_VERSION, type AddonReport, type ReportCondition, type ResourceStatus } from "@flotilla/shared";
import type { AddonHealth } from "../health/evaluate.js";

/** Where the agent is with an addon's desired revision. */
export type ApplyPhase =
  | { kind: "Applied"; objects: number }
  | { kind: "Applying"; message: string }
  /** A transient error (5xx, timeout, namespace terminating): retried with backoff, not a failure yet. */
  | { kind: "ApplyRetrying"; message: string }
  | { kind: "ApplyFailed"; message: string }
  /** The spoke API server refused (403) an object: the addon's identity may not touch it. */
  | { kind: "Forbidden"; message: string }
  /** An object another addon holds, or a field another manager owns (not forced): not retried until a resync or revision. */
  | { kind: "Conflict"; message: string }
  | { kind: "InvalidBundle"; message: string }
  /** A Helm hook failed or passed its deadline: the revision failed (so a rollout can roll it back). */
  | { kind: "HookFailed"; message: string }
  /** Hook annotations that cannot be read: nothing applied. */
  | { kind: "InvalidHook"; message: string };

export interface ReportInput {
  cluster: string;
  addon: string;
  revision: string;
  appliedRevision?: string;
  phase: ApplyPhase;
  /** Health of the applied objects; meaningful when phase is Applied. */
  health?: AddonHealth;
  resources: readonly ResourceStatus[];
  /** The `Drifted` condition (absent: none is reported). */
  drifted?: Pick<ReportCondition, "status" | "reason" | "message">;
}

const MAX_MESSAGE = 1024;
const clip = (s: string, n = MAX_MESSAGE): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const c = (type: string, status: ReportCondition["status"], reason: string, message: string): ReportCondition => ({ type, status, reason, message: clip(message) });

/** Applied, Available, Progressing, Degraded for one addon, from where the apply is and how healthy it is. */
export function buildConditions(phase: ApplyPhase, health: AddonHealth | undefined, revision: string): ReportCondition[] {
  switch (phase.kind) {
    case "Applying":
    case "ApplyRetrying":
      return [
        c("Applied", "False", phase.kind, phase.message),
        c("Available", "Unknown", "NotApplied", `revision ${revision} is not applied yet`),
        c("Progressing", "True", phase.kind, phase.message),
        c("Degraded", "False", "AsExpected", ""),
      ];
    case "ApplyFailed":
    case "Forbidden":
    case "Conflict":
    case "InvalidBundle":
    case "HookFailed":
    case "InvalidHook":
      return [
        c("Applied", "False", phase.kind, phase.message),
        c("Available", "False", "NotApplied", `revision ${revision} is not applied`),
        c("Progressing", "False", phase.kind, phase.message),
        c("Degraded", "True", phase.kind, phase.message),
      ];
    case "Applied": {
      const h = health ?? { total: 0, ready: 0, failed: 0, problems: [] };
      const applied = c("Applied", "True", "Applied", `applied ${phase.objects} objects at revision ${revision}`);
      const detail = healthDetail(h);
      if (h.invalid?.length) {
        const message = `${invalidDetail(h.invalid)}; ${detail}`;
        return [applied, c("Available", "False", "InvalidHealthCheck", message), c("Progressing", "False", "InvalidHealthCheck", message), c("Degraded", "True", "InvalidHealthCheck", message)];
      }
      if (h.failed > 0) {
        return [applied, c("Available", "False", "NotReady", detail), c("Progressing", "False", "Failed", detail), c("Degraded", "True", "WorkloadFailed", detail)];
      }
      if (h.ready < h.total) {
        return [applied, c("Available", "False", "NotReady", detail), c("Progressing", "True", "Progressing", detail), c("Degraded", "False", "AsExpected", "")];
      }
      return [applied, c("Available", "True", "Available", `all ${h.total} objects ready`), c("Progressing", "False", "Complete", `revision ${revision} is available`), c("Degraded", "False", "AsExpected", "")];
    }
  }
}

/** Where a failed apply leaves the revision: a conflict, a transient failure retried, or a refusal. */
export function failurePhase(err: { message: string; ownership: boolean; retryable: boolean; code: string }): ApplyPhase {
  if (err.ownership) return { kind: "Conflict", message: err.message };
  if (err.retryable) return { kind: "ApplyRetrying", message: err.message };
  return { kind: err.code === "Forbidden" ? "Forbidden" : "ApplyFailed", message: err.message };
}

/** Longest piece one object or rule takes in a condition message, so a few always fit. */
const MAX_PART = 200;

/**
 * "998/1000 ready; 2 not ready (1 failed): Deployment ns/a: …; Job ns/b: …": counts, then the first
 * few problems each clipped, and how many more there are; bounded whatever the bundle's size.
 */
export function healthDetail(h: AddonHealth): string {
  const notReady = h.total - h.ready;
  if (notReady <= 0) return `${h.ready}/${h.total} ready`;
  const shown = h.problems.map((p) => clip(p, MAX_PART));
  const more = notReady - shown.length;
  const list = [...shown, ...(more > 0 && shown.length ? [`and ${more} more`] : [])].join("; ");
  return `${h.ready}/${h.total} ready; ${notReady} not ready${h.failed ? ` (${h.failed} failed)` : ""}${list ? `: ${list}` : ""}`;
}

/** "healthChecks[0] (ConfigMap gate).cel[0]: does not compile: …", the first few. */
function invalidDetail(invalid: NonNullable<AddonHealth["invalid"]>, max = 3): string {
  const shown = invalid.slice(0, max).map((r) => clip(`${r.rule}: ${r.error}`, MAX_PART));
  return `invalid health check${invalid.length > 1 ? "s" : ""}: ${shown.join("; ")}${invalid.length > max ? `; and ${invalid.length - max} more` : ""}`;
}

/** Keeps the list under the bound, not-ready objects first so the interesting ones survive the cut. */
export function boundResources(resources: readonly ResourceStatus[], max = MAX_REPORTED_RESOURCES): ResourceStatus[] {
  const sorted = [...resources.filter((r) => !r.ready), ...resources.filter((r) => r.ready)];
  return sorted.slice(0, max).map((r) => (r.message ? { ...r, message: clip(r.message, 512) } : r));
}

export function buildReport(input: ReportInput, now: Date): AddonReport {
  return {
    version: PROTOCOL_VERSION,
    kind: "AddonReport",
    cluster: input.cluster,
    addon: input.addon,
    revision: input.revision,
    ...(input.appliedRevision ? { appliedRevision: input.appliedRevision } : {}),
    conditions: [
      ...buildConditions(input.phase, input.health, input.revision),
      ...(input.drifted ? [c("Drifted", input.drifted.status, input.drifted.reason, input.drifted.message)] : []),
    ],
    resources: boundResources(input.resources),
    observedAt: now.toISOString(),
  };
}

/** What decides whether a report is worth sending: everything but `observedAt`. */
export function reportFingerprint(r: AddonReport): string {
  const { observedAt: _t, ...rest } = r;
  return JSON.stringify(rest);
}

export const findReportCondition = (r: AddonReport, type: string): ReportCondition | undefined => r.conditions.find((x) => x.type === type);
