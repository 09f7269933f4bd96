import type { KubeObject } from "@flotilla/shared";
import { describeRef, refKey, type InventoryItem, type ObjectRef } from "../inventory/ref.js";

export interface DeletedOwned {
  /** Inventory objects deleted by someone else (same uid as applied) and not back yet. */
  gone: InventoryItem[];
  /** refKeys of live copies that describe a deleted object (health must not judge by them). */
  stale: string[];
}

/**
 * Which of an addon's objects the watch saw deleted (pure): `deletedUid` says, per object, the uid
 * of the copy deleted while none is back under that name.
 */
export function deletedOwned(inventory: readonly InventoryItem[], live: ReadonlyMap<string, KubeObject>, deletedUid: (ref: ObjectRef) => string | undefined): DeletedOwned {
  const gone: InventoryItem[] = [];
  const stale: string[] = [];
  for (const item of inventory) {
    const uid = deletedUid(item);
    if (uid === undefined) continue;
    const key = refKey(item);
    if (live.get(key)?.metadata.uid === uid) stale.push(key);
    if (item.uid !== "" && item.uid === uid) gone.push(item);
  }
  return { gone, stale };
}

/** Drops the stale live copies and names the owned objects that are gone. */
export function missingOwned(inventory: readonly InventoryItem[], live: Map<string, KubeObject>, watch: { deletedUid(ref: ObjectRef): string | undefined }): string[] {
  const d = deletedOwned(inventory, live, (ref) => watch.deletedUid(ref));
  for (const key of d.stale) live.delete(key);
  return d.gone.map(describeRef);
}
