import { findCondition, type AddOnRevision, type ClusterManagementAddOnStatus } from "@flotilla/shared";
import { CHANGE_CAUSE_ANNOTATION } from "../api/names.js";
import { formatAge } from "./table.js";

/** What became of a revision, from the CMA status and the revision's own conditions. Pure. */
export function revisionOutcome(rev: AddOnRevision, status: ClusterManagementAddOnStatus | undefined): string {
  const name = rev.metadata?.name;
  if (status?.rollout?.failedRevision === name || findCondition(rev.status?.conditions, "Bad")?.status === "True") return "failed";
  if (name === status?.currentRevision && name === status?.updateRevision) return "current";
  if (name === status?.updateRevision) return `rolling out (${status?.rollout?.phase ?? "Pending"})`;
  if (name === status?.currentRevision) return "last good";
  return "";
}

/** `flotilla rollout history` rows, oldest first: revision, name, age, outcome, change cause. Pure. */
export function historyRows(revs: readonly AddOnRevision[], status: ClusterManagementAddOnStatus | undefined, now: Date): string[][] {
  return [...revs]
    .sort((a, b) => a.spec.revision - b.spec.revision)
    .map((r) => [
      String(r.spec.revision),
      r.metadata?.name ?? "",
      formatAge(r.metadata?.creationTimestamp, now),
      revisionOutcome(r, status),
      r.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? "",
    ]);
}
