import { MAX_DIFF_CHANGES_PER_OBJECT, MAX_DIFF_VALUE_CHARS, setOwn, type DiffChange } from "@flotilla/shared";

/**
 * Field-level comparison of a live object with what an apply would make of it (pure). Fields the
 * server owns and changes on every write, or that are not the revision's to change, are left out:
 * `status`, and in `metadata` the uid, resourceVersion, generation, managedFields, timestamps.
 */
const IGNORED_METADATA = new Set(["managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"]);
const IGNORED_TOP = new Set(["status"]);

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The object without the fields a diff ignores (a copy; the input is not changed). */
export function comparable(obj: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (IGNORED_TOP.has(k)) continue;
    // setOwn: a key named `__proto__` stays a key (shared/json/own.ts)
    setOwn(out, k, k === "metadata" && isObject(v) ? Object.fromEntries(Object.entries(v).filter(([mk]) => !IGNORED_METADATA.has(mk))) : v);
  }
  return out;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** `a.b`, `a["x/y"]`, `a[0]`: readable and unambiguous. */
export const childPath = (parent: string, key: string | number): string =>
  typeof key === "number" ? `${parent}[${key}]` : IDENT.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`;

/** A full change, before bounding: the values themselves. */
export interface FieldChange {
  path: string;
  before?: Json;
  after?: Json;
}

/**
 * Every leaf that differs, in a stable order (keys sorted, array items by index). A field present on
 * one side only is an addition or removal of the whole subtree; a type change is one change.
 */
export function fieldChanges(before: Json, after: Json, path = ""): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const p = childPath(path, k);
      if (!(k in after)) return [{ path: p, before: before[k] }];
      if (!(k in before)) return [{ path: p, after: after[k] }];
      return fieldChanges(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const p = childPath(path, i);
      if (i >= after.length) out.push({ path: p, before: before[i] });
      else if (i >= before.length) out.push({ path: p, after: after[i] });
      else out.push(...fieldChanges(before[i], after[i], p));
    }
    return out;
  }
  return sameLeaf(before, after) ? [] : [{ path: path || "(object)", before, after }];
}

const sameLeaf = (a: Json, b: Json): boolean => a === b || (typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b));

/** A value as JSON text, cut at `max` characters (the cut ends in "…"). */
export function valueText(v: Json, max = MAX_DIFF_VALUE_CHARS): string {
  const s = JSON.stringify(v) ?? "null";
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** The changes between the live object and the dry-run result, bounded for the wire. */
export function objectChanges(live: Record<string, Json>, after: Record<string, Json>, maxChanges = MAX_DIFF_CHANGES_PER_OBJECT): { changes: DiffChange[]; omitted: number } {
  const all = fieldChanges(comparable(live), comparable(after));
  const changes = all.slice(0, maxChanges).map((c) => ({
    path: c.path.length > 1024 ? `${c.path.slice(0, 1023)}…` : c.path,
    ...("before" in c ? { before: valueText(c.before) } : {}),
    ...("after" in c ? { after: valueText(c.after) } : {}),
  }));
  return { changes, omitted: all.length - changes.length };
}
