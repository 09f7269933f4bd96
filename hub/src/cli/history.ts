import type { AddOnRevision, ClusterManagementAddOnStatus } from "@flotilla/shared";
import { CHANGE_CAUSE_ANNOTATION } from "../api/names.js";
import { byRevision, revisionOutcome } from "../rollout/history.js";
import { formatAge } from "./table.js";

/** `flotilla rollout history` rows, oldest first: revision, name, age, outcome, change cause. Pure. */
export function historyRows(revs: readonly AddOnRevision[], status: ClusterManagementAddOnStatus | undefined, now: Date): string[][] {
  return byRevision(revs).map((r) => [
    String(r.spec.revision),
    r.metadata?.name ?? "",
    formatAge(r.metadata?.creationTimestamp, now),
    revisionOutcome(r, status),
    r.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? "",
  ]);
}
