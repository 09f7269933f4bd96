import type { InventoryEntry, KubeObject } from "@flotilla/shared";

/**
 * An entry of the AppliedAddOn inventory (the type generated from crds/): an object's identity plus the
 * uid it had when applied ("" when not known yet).
 */
export type InventoryItem = InventoryEntry;

/** Identity of an applied object: an inventory entry without its uid. */
export type ObjectRef = Omit<InventoryEntry, "uid">;

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export const apiVersionOfRef = (r: Pick<ObjectRef, "group" | "version">): string => (r.group ? `${r.group}/${r.version}` : r.version);

export function refOf(obj: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): ObjectRef {
  const { group, version } = splitApiVersion(obj.apiVersion);
  const ns = obj.metadata.namespace;
  return { group, version, kind: obj.kind, ...(ns ? { namespace: ns } : {}), name: obj.metadata.name };
}

/**
 * Key that identifies an object whatever API version it is served at: a new revision that moves a
 * kind from v1beta1 to v1 keeps the same object.
 */
export const refKey = (r: Pick<ObjectRef, "group" | "kind" | "namespace" | "name">): string =>
  `${r.group}/${r.kind}/${r.namespace ?? ""}/${r.name}`;

/** Key of a kind whatever its version (the group's kind is the same resource at every version). */
export const kindKey = (group: string, kind: string): string => `${group}/${kind}`;

/** `Deployment ns/name` for messages. */
export const describeRef = (r: Pick<ObjectRef, "kind" | "namespace" | "name">): string =>
  `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}`;

/** Minimal object to address a ref with the generic object API. */
export const headerOf = (r: ObjectRef): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } => ({
  apiVersion: apiVersionOfRef(r),
  kind: r.kind,
  metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) },
});
