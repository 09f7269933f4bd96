/**
 * `flotilla diff` output and exit code (pure): a compact, kubectl-diff-like listing of what a revision
 * would change on one cluster. Exit codes as kubectl diff: 0 no differences, 1 differences, 2 an error
 * (including objects the spoke would refuse).
 */
import type { DiffObject, DiffResult } from "@flotilla/shared";

export const EXIT_SAME = 0;
export const EXIT_DIFFERENT = 1;
export const EXIT_ERROR = 2;

const MARK: Record<DiffObject["action"], string> = { Create: "+", Change: "~", Prune: "-", Error: "!", Unchanged: "=" };

const ident = (o: Pick<DiffObject, "group" | "kind" | "namespace" | "name">): string =>
  `${o.kind}${o.group ? `.${o.group}` : ""} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;

export interface DiffHeader {
  cluster: string;
  addon: string;
  revision: string;
  /** `update revision`, `revision 3`. */
  describe: string;
  /** Where the bundle came from: published on the bus, or rendered by the CLI. */
  source: "published" | "rendered";
}

export function exitCode(r: DiffResult): number {
  if (r.error || r.counts.Error > 0) return EXIT_ERROR;
  return r.counts.Create + r.counts.Change + r.counts.Prune > 0 ? EXIT_DIFFERENT : EXIT_SAME;
}

export function formatDiff(h: DiffHeader, r: DiffResult): string {
  const applied = r.appliedRevision ? (r.appliedRevision === h.revision ? "applied there now" : `applied there: ${r.appliedRevision}`) : "nothing applied there yet";
  const lines = [`${h.addon} on ${h.cluster}: ${h.describe} ${h.revision} (${h.source === "published" ? "as published for the cluster" : "rendered for the cluster"}; ${applied})`];
  for (const o of r.objects) {
    if (o.action === "Unchanged") continue;
    const note = o.action === "Prune" ? "  (pruned)" : o.action === "Create" && o.message ? `  (${o.message})` : "";
    lines.push(`${MARK[o.action]} ${ident(o)}${o.action === "Error" ? `: ${o.message ?? "failed"}` : note}`);
    for (const c of o.changes ?? []) lines.push(`    ${c.path}: ${c.before ?? "(none)"} → ${c.after ?? "(removed)"}`);
    if (o.changesOmitted) lines.push(`    … and ${o.changesOmitted} more changed field(s)`);
  }
  if (r.omitted) lines.push(`… ${r.omitted} more object(s) not listed (the answer is bounded); see the counts below`);
  const c = r.counts;
  const parts = [`${c.Change} to change`, `${c.Create} to create`, `${c.Prune} to prune`, `${c.Unchanged} unchanged`, ...(c.Error ? [`${c.Error} refused`] : [])];
  lines.push(exitCode(r) === EXIT_SAME ? `no differences (${c.Unchanged} unchanged)` : parts.join(", "));
  return lines.join("\n") + "\n";
}
