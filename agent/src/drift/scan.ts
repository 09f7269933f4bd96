import type { KubernetesObject } from "@kubernetes/client-node";
import { describeRef, refKey, type InventoryItem, type ObjectRef } from "../inventory/ref.js";
import { detectDrift, type AppliedFields } from "./detect.js";
import type { NamedDrift } from "./describe.js";

export interface DriftScan {
  drifts: (NamedDrift & { item: InventoryItem })[];
  /** Every object the addon holds is of a kind a synced watch covers. */
  watched: boolean;
}

export interface DriftInputs {
  /** The watch cache: the object, undefined when not there, "unknown" when the kind is not covered. */
  lookup(ref: ObjectRef): KubernetesObject | undefined | "unknown";
  /** The uid of an object seen deleted (or unlabelled) and not back. */
  deletedUid(ref: ObjectRef): string | undefined;
  /** What the agent owned after its last apply of each object, by refKey. */
  applied: ReadonlyMap<string, AppliedFields>;
  manager: string;
}

/**
 * Which objects the addon holds have drifted (pure over the cache): deleted by someone else (the
 * uid it applied is the one seen deleted), or changed by another field manager. An object re-created
 * by someone else under the same name (another uid) is not the addon's, so not its drift.
 */
export function scanDrift(inventory: readonly InventoryItem[], i: DriftInputs): DriftScan {
  const drifts: DriftScan["drifts"] = [];
  let watched = true;
  for (const item of inventory) {
    if (item.uid === "") continue;
    const cached = i.lookup(item);
    if (cached === "unknown") {
      watched = false;
      continue;
    }
    if (i.deletedUid(item) === item.uid) {
      drifts.push({ item, object: describeRef(item), drift: { fields: [], by: [], deleted: true } });
      continue;
    }
    if (!cached || cached.metadata?.uid !== item.uid) continue;
    const applied = i.applied.get(refKey(item));
    const drift = applied && detectDrift(applied, cached.metadata, i.manager);
    if (drift) drifts.push({ item, object: describeRef(item), drift });
  }
  return { drifts, watched };
}
