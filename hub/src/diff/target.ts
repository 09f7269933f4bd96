/**
 * Which revision `flotilla diff` compares, and which spec renders it (pure): the update revision by
 * default, or the one named by `--revision` (a name from `rollout history`, or its number). A revision
 * other than the spec's is rendered from its AddOnRevision, as the clusters controller does.
 */
import type { AddOnRevision, ClusterManagementAddOn, ClusterManagementAddOnSpec } from "../api/types.js";
import { revisionName } from "../revision/hash.js";
import { specFromRevision } from "../rollout/undo.js";

export interface DiffTarget {
  revision: string;
  /** The spec to render the revision from. */
  spec: ClusterManagementAddOnSpec;
  /** `update revision` or `revision N`, for the header line. */
  describe: string;
}

export class DiffTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiffTargetError";
  }
}

export function diffTarget(addon: string, cma: ClusterManagementAddOn, revisions: readonly AddOnRevision[], wanted: string | undefined): DiffTarget {
  const spec = cma.spec ?? {};
  const specRevision = revisionName(addon, spec);
  const known = () => [...revisions].sort((a, b) => a.spec.revision - b.spec.revision).map((r) => `${r.spec.revision} (${r.metadata?.name ?? "?"})`).join(", ") || "none";
  const number = (name: string) => revisions.find((r) => r.metadata?.name === name)?.spec.revision;
  let name: string;
  if (wanted === undefined) name = cma.status?.updateRevision ?? specRevision;
  else if (/^\d+$/.test(wanted)) {
    const hit = revisions.find((r) => r.spec.revision === Number(wanted));
    if (!hit?.metadata?.name) throw new DiffTargetError(`revision ${wanted} of ${addon} not found (known: ${known()})`);
    name = hit.metadata.name;
  } else name = wanted;
  const n = number(name);
  const describe = wanted === undefined ? "update revision" : `revision ${n ?? name}`;
  if (name === specRevision) return { revision: name, spec, describe };
  const rev = revisions.find((r) => r.metadata?.name === name);
  if (!rev) throw new DiffTargetError(`revision ${name} of ${addon} not found (known: ${known()})`);
  return { revision: name, spec: specFromRevision(spec, rev), describe };
}
