/**
 * The part of an MCA's status that comes from the agent's report (pure). Written by the hub's main
 * field manager; `desiredRevision` (rollout) and the `Rendered` and `ValuesValid` conditions
 * (publisher) belong to other managers and are only read here.
 */
import { MAX_REPORTED_RESOURCES, findCondition, type AddonReport, type Condition, type ConditionInput } from "@flotilla/shared";
import { IMAGE_POLICY_CONDITION, RENDER_CONDITIONS, RENDERED_CONDITION, VALUES_VALID_CONDITION } from "../../api/names.js";
import type { ManagedClusterAddOnStatus, ResourceStatus } from "../../api/types.js";
import { differsIgnoring } from "../../kube/diff.js";

/** The fields this writer owns. */
export type ReportedStatus = Pick<ManagedClusterAddOnStatus, "observedGeneration" | "appliedRevision" | "observedRevision" | "conditions" | "resources" | "resourceCount" | "lastReportTime">;

export interface McaStatusInput {
  generation: number | undefined;
  current: ManagedClusterAddOnStatus | undefined;
  report: AddonReport | undefined;
  now: Date;
}

const ORDER = ["Applied", "Available", "Progressing", "Degraded", "Drifted"];
const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const MAX_MESSAGE = 32_768;
const MAX_FIELD = 253;

const reason = (r: string, fallback: string): string => (REASON.test(r) && r.length <= 1024 ? r : fallback);
const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

function withTimes(previous: readonly Condition[] | undefined, inputs: readonly ConditionInput[], now: Date): Condition[] {
  return inputs.map((c) => {
    const prev = findCondition(previous, c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now.toISOString() };
  });
}

function resources(report: AddonReport): ResourceStatus[] {
  return report.resources.slice(0, MAX_REPORTED_RESOURCES).map((r) => ({
    group: clip(r.group, MAX_FIELD),
    version: clip(r.version, MAX_FIELD),
    kind: clip(r.kind, MAX_FIELD),
    ...(r.namespace ? { namespace: clip(r.namespace, MAX_FIELD) } : {}),
    name: clip(r.name, MAX_FIELD),
    ready: r.ready,
    ...(r.message ? { message: clip(r.message, 1024) } : {}),
  }));
}

export function reportedStatus(input: McaStatusInput): ReportedStatus {
  const { report, current, now } = input;
  const g = input.generation !== undefined ? { observedGeneration: input.generation } : {};
  // At most one of them fails at a time: values are checked before rendering, images after it.
  const failed = [RENDERED_CONDITION, VALUES_VALID_CONDITION, IMAGE_POLICY_CONDITION].map((t) => findCondition(current?.conditions, t)).find((c) => c?.status === "False");
  const desired = current?.desiredRevision;
  const byType = new Map<string, ConditionInput>();

  if (report) {
    for (const c of report.conditions) {
      byType.set(c.type, { type: c.type, status: c.status, reason: reason(c.reason, "AgentReported"), message: clip(c.message, MAX_MESSAGE), ...g });
    }
    const onDesired = desired !== undefined && report.revision === desired;
    if (!onDesired) {
      const msg = desired ? `agent reports ${report.revision}, desired is ${desired}` : `agent reports ${report.revision}; no revision is desired`;
      byType.set("Available", { type: "Available", status: "False", reason: "RevisionMismatch", message: msg, ...g });
      if (desired) byType.set("Progressing", { type: "Progressing", status: "True", reason: "AwaitingAgent", message: msg, ...g });
    }
  }
  if (failed) {
    byType.set("Degraded", { type: "Degraded", status: "True", reason: failed.reason || "RenderFailed", message: failed.message, ...g });
  }
  const types = [...byType.keys()].filter((t) => !RENDER_CONDITIONS.includes(t));
  types.sort((a, b) => {
    const ia = ORDER.indexOf(a), ib = ORDER.indexOf(b);
    return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib) || (a < b ? -1 : a > b ? 1 : 0);
  });
  const conditions = withTimes(current?.conditions, types.map((t) => byType.get(t) as ConditionInput), now);

  if (!report) return conditions.length ? { ...g, conditions } : {};
  return {
    ...g,
    ...(report.appliedRevision ? { appliedRevision: report.appliedRevision } : {}),
    observedRevision: report.revision,
    conditions,
    resources: resources(report),
    resourceCount: report.resources.length,
    lastReportTime: report.observedAt,
  };
}

/** The owned fields as they are now on the object, to compare against. */
export function ownedPart(current: ManagedClusterAddOnStatus | undefined): ReportedStatus {
  if (!current) return {};
  const conditions = (current.conditions ?? []).filter((c) => !RENDER_CONDITIONS.includes(c.type));
  return {
    ...(current.observedGeneration !== undefined ? { observedGeneration: current.observedGeneration } : {}),
    ...(current.appliedRevision ? { appliedRevision: current.appliedRevision } : {}),
    ...(current.observedRevision ? { observedRevision: current.observedRevision } : {}),
    ...(conditions.length ? { conditions } : {}),
    ...(current.resources ? { resources: current.resources } : {}),
    ...(current.resourceCount !== undefined ? { resourceCount: current.resourceCount } : {}),
    ...(current.lastReportTime ? { lastReportTime: current.lastReportTime } : {}),
  };
}

const byType = (s: ReportedStatus): ReportedStatus =>
  s.conditions ? { ...s, conditions: [...s.conditions].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)) } : s;

/** Whether the computed status needs a write: timestamps alone never do. */
export const reportedStatusChanged = (next: ReportedStatus, current: ManagedClusterAddOnStatus | undefined): boolean =>
  differsIgnoring(byType(next), byType(ownedPart(current)), ["lastTransitionTime", "lastReportTime"]);
