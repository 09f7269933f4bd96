import { ADDON_NAME_LABEL, KEEP_ANNOTATION } from "@flotilla/shared";
import { applyOrder, deleteOrder } from "../apply/kind-order.js";
import { refKey, type InventoryItem, type ObjectRef } from "./ref.js";

/** What the agent needs to know about a live object before deleting it. */
export interface LiveFacts {
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
}

export type DeleteDecision =
  | { delete: true }
  | { delete: false; reason: "Gone" | "UidChanged" | "Keep" | "NotOurs" | "Deleting" | "CRDKept" };

/** Deleting a CRD deletes every custom resource of its kind, whoever made it. */
export const isCrd = (i: Pick<InventoryItem, "group" | "kind">): boolean => i.group === "apiextensions.k8s.io" && i.kind === "CustomResourceDefinition";

/** Inventory entries that are not in the desired set, in deletion order. */
export function pruneCandidates(previous: readonly InventoryItem[], desired: readonly ObjectRef[]): InventoryItem[] {
  const want = new Set(desired.map(refKey));
  return deleteOrder(previous.filter((i) => !want.has(refKey(i))).map(withMeta)).map(stripMeta);
}

/** The whole inventory in deletion order (uninstall). */
export function uninstallOrder(inventory: readonly InventoryItem[]): InventoryItem[] {
  return deleteOrder(inventory.map(withMeta)).map(stripMeta);
}

/**
 * Whether to delete an inventory entry given what is live. An object someone recreated (other uid)
 * or marked with the keep annotation is left alone; an entry whose uid was never recorded (the agent
 * stopped mid-apply) is deleted only if it still carries this addon's label. A CRD is left (with its
 * custom resources) unless the addon asks for `deleteCRDs`, as Helm leaves a chart's CRDs.
 */
export function decideDelete(item: InventoryItem, live: LiveFacts | undefined, addon: string, opts: { deleteCRDs?: boolean } = {}): DeleteDecision {
  if (!live) return { delete: false, reason: "Gone" };
  if (isCrd(item) && opts.deleteCRDs !== true) return { delete: false, reason: "CRDKept" };
  if (item.uid && live.uid && live.uid !== item.uid) return { delete: false, reason: "UidChanged" };
  if (live.annotations && KEEP_ANNOTATION in live.annotations) return { delete: false, reason: "Keep" };
  if (!item.uid && live.labels?.[ADDON_NAME_LABEL] !== addon) return { delete: false, reason: "NotOurs" };
  if (live.deletionTimestamp) return { delete: false, reason: "Deleting" };
  return { delete: true };
}

/**
 * Inventory to record while an apply is under way or after it failed part way: everything previously
 * owned plus everything applied so far, so no object is ever forgotten. Newer uids win.
 */
export function mergeInventory(previous: readonly InventoryItem[], applied: readonly InventoryItem[]): InventoryItem[] {
  const out = new Map<string, InventoryItem>();
  for (const i of previous) out.set(refKey(i), i);
  for (const i of applied) {
    const prev = out.get(refKey(i));
    out.set(refKey(i), i.uid || !prev ? i : { ...i, uid: prev.uid });
  }
  return [...out.values()];
}

/** Canonical form for comparing and storing inventories: apply order. */
export function sortInventory(items: readonly InventoryItem[]): InventoryItem[] {
  return applyOrder(items.map(withMeta)).map(stripMeta);
}

export function sameInventory(a: readonly InventoryItem[], b: readonly InventoryItem[]): boolean {
  const norm = (l: readonly InventoryItem[]) =>
    JSON.stringify(sortInventory(l).map((i) => [i.group, i.version, i.kind, i.namespace ?? "", i.name, i.uid]));
  return norm(a) === norm(b);
}

type WithMeta = InventoryItem & { metadata: { name: string; namespace?: string } };
const withMeta = (i: InventoryItem): WithMeta => ({ ...i, metadata: { name: i.name, ...(i.namespace ? { namespace: i.namespace } : {}) } });
const stripMeta = ({ metadata: _m, ...rest }: WithMeta): InventoryItem => rest;
