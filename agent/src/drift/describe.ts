import type { ObjectDrift } from "./detect.js";

/** One drifted object as the report names it. */
export interface NamedDrift {
  /** `ConfigMap ns/settings`. */
  object: string;
  drift: ObjectDrift;
}

const MAX_FIELDS = 5;
const MAX_OBJECTS = 3;

/** "ConfigMap ns/settings: .data.greeting changed by kubectl-edit" or "Deployment ns/web: deleted". */
export function describeDrift(d: NamedDrift): string {
  if (d.drift.deleted) return `${d.object}: deleted`;
  const f = d.drift.fields;
  const shown = f.slice(0, MAX_FIELDS).join(", ") + (f.length > MAX_FIELDS ? ` and ${f.length - MAX_FIELDS} more` : "");
  return `${d.object}: ${shown} changed${d.drift.by.length ? ` by ${d.drift.by.join(", ")}` : ""}`;
}

/** The first few drifted objects and how many more, bounded whatever the bundle's size. */
export function driftSummary(drifts: readonly NamedDrift[]): string {
  const shown = drifts.slice(0, MAX_OBJECTS).map(describeDrift);
  const more = drifts.length - shown.length;
  return `${drifts.length} object${drifts.length === 1 ? "" : "s"} drifted: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}
