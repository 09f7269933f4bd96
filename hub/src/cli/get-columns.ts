import { findCondition, type ClusterManagementAddOn, type ManagedCluster } from "@flotilla/shared";
import { formatAge } from "./table.js";

/**
 * The columns of `flotilla get`, as data: a header, the cell, whether it shows only with `-o wide`, and
 * whether it changes with the clock alone (AGE): `--watch` re-prints a row only when a cell that does
 * not is different.
 */
export interface Column<T> {
  header: string;
  cell: (o: T, now: Date) => string;
  wide?: boolean;
  clock?: boolean;
}

const cond = (conds: { type: string; status: string }[] | undefined, type: string) => findCondition(conds, type)?.status ?? "";

/** `env=prod,region=eu` (sorted), like kubectl's LABELS column. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const pairs = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.length ? pairs.map(([k, v]) => `${k}=${v}`).join(",") : "<none>";
}

export const CLUSTER_COLUMNS: Column<ManagedCluster>[] = [
  { header: "name", cell: (c) => c.metadata?.name ?? "" },
  { header: "accepted", cell: (c) => String(c.spec?.hubAcceptsClient ?? false) },
  { header: "joined", cell: (c) => cond(c.status?.conditions, "Joined") },
  { header: "available", cell: (c) => cond(c.status?.conditions, "Available") },
  { header: "kubernetes", cell: (c) => c.status?.kubernetesVersion ?? "" },
  { header: "age", cell: (c, now) => formatAge(c.metadata?.creationTimestamp, now), clock: true },
  { header: "agent", cell: (c) => c.status?.agent?.version ?? "<none>", wide: true },
  // status.agent.lastSeenTime is refreshed every few minutes only (live presence is AVAILABLE)
  { header: "last-seen", cell: (c, now) => (c.status?.agent?.lastSeenTime ? formatAge(c.status.agent.lastSeenTime, now) : "<never>"), wide: true, clock: true },
  { header: "labels", cell: (c) => formatLabels(c.metadata?.labels), wide: true },
];

/** The rollout types of the addon's placements (`Canary`, `All,Rolling`), or `Manual`. */
export function strategyOf(a: ClusterManagementAddOn): string {
  const s = a.spec?.installStrategy;
  if (s?.type !== "Placements") return "Manual";
  const types = [...new Set((s.placements ?? []).map((p) => p.rolloutStrategy?.type ?? "All"))];
  return types.length ? types.join(",") : "<none>";
}

/** `2/5` while a canary runs its steps (out of the longest canary's steps), `-` otherwise. */
export function stepOf(a: ClusterManagementAddOn): string {
  const step = a.status?.rollout?.step ?? 0;
  const steps = Math.max(0, ...(a.spec?.installStrategy?.placements ?? []).map((p) => p.rolloutStrategy?.canary?.steps?.length ?? 0));
  return step > 0 ? (steps > 0 ? `${step}/${steps}` : String(step)) : "-";
}

export const ADDON_COLUMNS: Column<ClusterManagementAddOn>[] = [
  { header: "name", cell: (a) => a.metadata?.name ?? "" },
  { header: "desired", cell: (a) => String(a.status?.summary?.desired ?? 0) },
  { header: "updated", cell: (a) => String(a.status?.summary?.updated ?? 0) },
  { header: "available", cell: (a) => String(a.status?.summary?.available ?? 0) },
  { header: "failed", cell: (a) => String(a.status?.summary?.failed ?? 0) },
  { header: "revision", cell: (a) => a.status?.updateRevision ?? "" },
  { header: "age", cell: (a, now) => formatAge(a.metadata?.creationTimestamp, now), clock: true },
  { header: "strategy", cell: strategyOf, wide: true },
  { header: "phase", cell: (a) => a.status?.rollout?.phase ?? "<none>", wide: true },
  { header: "step", cell: stepOf, wide: true },
  { header: "current", cell: (a) => a.status?.currentRevision ?? "<none>", wide: true },
  { header: "unreachable", cell: (a) => String(a.status?.summary?.unreachable ?? 0), wide: true },
];

export const visibleColumns = <T>(columns: readonly Column<T>[], wide: boolean): Column<T>[] => columns.filter((c) => wide || !c.wide);

/** Headers and rows of the table. */
export function tableOf<T>(columns: readonly Column<T>[], items: readonly T[], now: Date): { headers: string[]; rows: string[][] } {
  return { headers: columns.map((c) => c.header), rows: items.map((o) => columns.map((c) => c.cell(o, now))) };
}

/**
 * What `--watch` compares: the row without the cells that move with the clock. A row is printed again
 * when this differs from what was last printed for the object.
 */
export function rowKey<T>(columns: readonly Column<T>[], row: readonly string[]): string {
  return JSON.stringify(row.filter((_c, i) => !columns[i]?.clock));
}
