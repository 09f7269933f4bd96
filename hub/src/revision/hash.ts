/** Content-hashed revision names (DESIGN §4: `<addon>-<hash10>`). */
import { createHash } from "node:crypto";
import type { ClusterManagementAddOnSpec } from "../api/types.js";

/** JSON with object keys sorted at every level, so equal content always gives equal bytes. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : canonicalJson(x))).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
}

export const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** What a revision is made of: everything in the CMA spec that changes what a cluster gets. */
export function revisionContent(spec: ClusterManagementAddOnSpec): unknown {
  return {
    source: spec.source ?? null,
    values: spec.values ?? null,
    placementValues: (spec.installStrategy?.placements ?? []).map((p) => p.values ?? null),
    installNamespace: spec.installNamespace ?? null,
    driftPolicy: spec.driftPolicy ?? null,
  };
}

/** `<addon>-<first 10 hex of sha256(canonical JSON of the revision content)>`. */
export const revisionName = (addon: string, spec: ClusterManagementAddOnSpec): string =>
  `${addon}-${sha256Hex(canonicalJson(revisionContent(spec))).slice(0, 10)}`;
