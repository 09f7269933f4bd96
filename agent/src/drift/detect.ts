import { compareText } from "@flotilla/shared";
import { leafPaths, managerEntry, type FieldsV1, type ManagedFieldsEntry } from "./fields.js";

/**
 * Drift of one applied object, judged from the watch cache (pure). After an apply the agent's field
 * manager owns every field the bundle sets. Another manager that changes one of them (an update, or
 * an apply with force) takes it over, and one that removes it removes it: either way the field leaves
 * the agent's set. Fields the bundle does not set are not the agent's business, and a status written
 * by a controller touches a subresource, not the agent's set.
 */

/** What the agent owned right after its last apply of the object. */
export interface AppliedFields {
  /** resourceVersion the apply returned. */
  resourceVersion: string;
  /** JSON of the agent's field set then, to compare cheaply. */
  signature: string;
  fields: FieldsV1;
}

export interface ObjectDrift {
  /** Field paths the agent set and no longer owns; empty when the object was deleted. */
  fields: string[];
  /** Other managers now holding those fields (or, when none does, the last to write). */
  by: string[];
  deleted?: true;
}

interface LiveMeta {
  resourceVersion?: string;
  managedFields?: readonly ManagedFieldsEntry[];
}

/** What to remember of an apply response (undefined when it carries no field set of the manager). */
export function appliedFields(metadata: object, manager: string): AppliedFields | undefined {
  const meta = metadata as LiveMeta;
  const entry = managerEntry(meta.managedFields, manager);
  if (!entry?.fieldsV1 || meta.resourceVersion === undefined) return undefined;
  return { resourceVersion: meta.resourceVersion, signature: JSON.stringify(entry.fieldsV1), fields: entry.fieldsV1 };
}

/**
 * Whether resourceVersion `a` is older than `b`. They are opaque strings by contract; every API
 * server backed by etcd makes them the store's revision, a decimal integer, so those are compared as
 * numbers; anything else counts as newer (a difference is then treated as a write after the apply).
 */
export function olderThan(a: string, b: string): boolean {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) < BigInt(b);
}

/**
 * The drift of a cached copy against what the agent applied; undefined when there is none, or when
 * the cache has not caught up with the apply yet (an older resourceVersion).
 */
export function detectDrift(applied: AppliedFields, metadata: object, manager: string): ObjectDrift | undefined {
  const live = metadata as LiveMeta;
  const rv = live.resourceVersion;
  if (rv === undefined || rv === applied.resourceVersion || olderThan(rv, applied.resourceVersion)) return undefined;
  const ours = managerEntry(live.managedFields, manager)?.fieldsV1;
  if (ours && JSON.stringify(ours) === applied.signature) return undefined;
  const kept = new Set(leafPaths(ours));
  const fields = leafPaths(applied.fields).filter((p) => !kept.has(p));
  if (fields.length === 0) return undefined;
  const lost = new Set(fields);
  const others = (live.managedFields ?? []).filter((e) => e.manager !== manager && !e.subresource);
  let by = others.filter((e) => leafPaths(e.fieldsV1).some((p) => lost.has(p))).map((e) => e.manager ?? "unknown");
  if (by.length === 0) {
    // A removed field is owned by nobody: name whoever wrote last.
    const last = [...others].sort((x, y) => compareText(x.time ?? "", y.time ?? "")).at(-1);
    by = last ? [last.manager ?? "unknown"] : [];
  }
  return { fields, by: [...new Set(by)] };
}
