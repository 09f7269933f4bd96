/** Content-hashed revisions (DESIGN §4: an AddOnRevision named `<addon>-<hash10>`). */
import { canonicalJson, sha256Hex } from "@flotilla/shared";
import type { AddOnRevisionSpec, ClusterManagementAddOnSpec } from "../api/types.js";

export type RevisionContent = Omit<AddOnRevisionSpec, "addon" | "revision">;

/**
 * What a revision is made of: everything in the CMA spec that changes what a cluster gets, exactly as
 * an AddOnRevision stores it, so copying a revision back into the CMA (`rollout undo`) gives the
 * same name. Placement values are keyed by placement name; selectors and rollout settings are not
 * content.
 */
export function revisionContent(spec: ClusterManagementAddOnSpec): RevisionContent {
  const placementValues: Record<string, Record<string, unknown>> = {};
  for (const p of spec.installStrategy?.placements ?? []) if (p.values) placementValues[p.name] = p.values;
  return {
    source: spec.source,
    ...(spec.values ? { values: spec.values } : {}),
    ...(spec.valuesSchema ? { valuesSchema: spec.valuesSchema } : {}),
    // The references only (their data is read at render time); only when set, so older names stay.
    ...(spec.valuesFrom?.length ? { valuesFrom: spec.valuesFrom } : {}),
    ...(Object.keys(placementValues).length ? { placementValues } : {}),
    ...(spec.installNamespace ? { installNamespace: spec.installNamespace } : {}),
    ...(spec.dependsOn?.length ? { dependsOn: spec.dependsOn } : {}),
    ...(spec.healthChecks?.length ? { healthChecks: spec.healthChecks } : {}),
    driftPolicy: spec.driftPolicy ?? "Correct",
    // Only when set, so the names of revisions made before the field existed do not change.
    ...(spec.deleteCRDs ? { deleteCRDs: true } : {}),
    // What the addon may touch changes what a cluster gets; only when declared, for the same reason.
    ...(spec.permissions?.length ? { permissions: spec.permissions } : {}),
    ...(spec.forceConflicts ? { forceConflicts: true } : {}),
  };
}

/** `<addon>-<first 10 hex of sha256(canonical JSON of the revision content)>`. */
export const revisionName = (addon: string, spec: ClusterManagementAddOnSpec): string =>
  `${addon}-${sha256Hex(canonicalJson(revisionContent(spec))).slice(0, 10)}`;
