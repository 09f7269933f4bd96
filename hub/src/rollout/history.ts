import { findCondition, type AddOnRevision, type ClusterManagementAddOnStatus } from "@flotilla/shared";

/** What became of a revision, from the CMA status and the revision's own conditions. Pure. */
export function revisionOutcome(rev: AddOnRevision, status: ClusterManagementAddOnStatus | undefined): string {
  const name = rev.metadata?.name;
  if (status?.rollout?.failedRevision === name || findCondition(rev.status?.conditions, "Bad")?.status === "True") return "failed";
  if (name === status?.currentRevision && name === status?.updateRevision) return "current";
  if (name === status?.updateRevision) return `rolling out (${status?.rollout?.phase ?? "Pending"})`;
  if (name === status?.currentRevision) return "last good";
  return "";
}

/** Revisions oldest first (by their number). */
export const byRevision = (revs: readonly AddOnRevision[]): AddOnRevision[] => [...revs].sort((a, b) => a.spec.revision - b.spec.revision);
