/**
 * What to write to and delete from `flotilla_desired` for one cluster (pure). The order of the
 * result is the order of the writes: bundle parts, bundle heads, then the index, then deletions, so
 * an agent that follows the index never finds a bundle missing or older than its digest says.
 */
import {
  BUNDLE_PART_BYTES,
  PROTOCOL_VERSION,
  canonicalJson,
  desiredBundleKey,
  desiredBundlePartKey,
  desiredIndexKey,
  getOwn,
  sha256Hex,
  type DesiredBundle,
  type DesiredBundleParts,
  type DesiredIndex,
  type DesiredIndexEntry,
} from "@flotilla/shared";

export interface KeyValue {
  key: string;
  bytes: Uint8Array;
  /** sha256 hex of `bytes`. */
  digest: string;
}

/** An addon's wish for this cluster: a freshly rendered bundle, or keep what is published. */
export type AddonDesire =
  | { addon: string; action: "publish"; revision: string; digest: string; values: KeyValue[] }
  | { addon: string; action: "keep" };

export interface PublishedCluster {
  index: DesiredIndex | undefined;
  /** Whether the index key exists (it may hold something undecodable). */
  hasIndexKey: boolean;
  /** Digest per bundle key (heads and parts), index key excluded. */
  keys: ReadonlyMap<string, string>;
}

export interface PublishPlan {
  writes: KeyValue[];
  index: { action: "write"; value: KeyValue; doc: DesiredIndex } | { action: "delete" } | { action: "none" };
  deletes: string[];
}

const encoder = new TextEncoder();
const keyValue = (key: string, bytes: Uint8Array): KeyValue => ({ key, bytes, digest: sha256Hex(bytes) });

/** The keys one bundle takes: the bundle itself, or parts plus a DesiredBundleParts head. */
export function bundleKeyValues(bundle: DesiredBundle, partBytes = BUNDLE_PART_BYTES): { digest: string; values: KeyValue[] } {
  const bytes = encoder.encode(JSON.stringify(bundle));
  const digest = sha256Hex(bytes);
  const key = desiredBundleKey(bundle.cluster, bundle.addon);
  if (bytes.byteLength <= partBytes) return { digest, values: [{ key, bytes, digest }] };
  const parts: KeyValue[] = [];
  for (let off = 0, n = 0; off < bytes.byteLength; off += partBytes, n++) {
    parts.push(keyValue(desiredBundlePartKey(bundle.cluster, bundle.addon, n), bytes.subarray(off, off + partBytes)));
  }
  const head: DesiredBundleParts = {
    version: PROTOCOL_VERSION,
    kind: "DesiredBundleParts",
    cluster: bundle.cluster,
    addon: bundle.addon,
    revision: bundle.revision,
    parts: parts.length,
    digest,
  };
  return { digest, values: [...parts, keyValue(key, encoder.encode(JSON.stringify(head)))] };
}

const addonOfKey = (cluster: string, key: string): string | undefined => {
  const rest = key.startsWith(`${cluster}.`) ? key.slice(cluster.length + 1) : undefined;
  return rest?.split(".")[0];
};

export function planPublish(cluster: string, current: PublishedCluster, desires: readonly AddonDesire[], opts: { deleteIndex?: boolean } = {}): PublishPlan {
  const entries: Record<string, DesiredIndexEntry> = {};
  const keep = new Set<string>();
  const writes: KeyValue[] = [];
  for (const d of [...desires].sort((a, b) => (a.addon < b.addon ? -1 : a.addon > b.addon ? 1 : 0))) {
    if (d.action === "keep") {
      // own entries only: an addon may be named `constructor`, which every object inherits
      const prev = getOwn(current.index?.addons, d.addon);
      if (!prev) continue;
      entries[d.addon] = prev;
      for (const k of current.keys.keys()) if (addonOfKey(cluster, k) === d.addon) keep.add(k);
      continue;
    }
    entries[d.addon] = { revision: d.revision, digest: d.digest };
    for (const kv of d.values) {
      keep.add(kv.key);
      if (current.keys.get(kv.key) !== kv.digest) writes.push(kv);
    }
  }
  // Parts before heads, so a head never points at parts that are not there yet.
  writes.sort((a, b) => Number(!a.key.includes(".part.")) - Number(!b.key.includes(".part.")));
  const deletes = [...current.keys.keys()].filter((k) => !keep.has(k)).sort();

  let index: PublishPlan["index"] = { action: "none" };
  if (opts.deleteIndex) {
    if (current.hasIndexKey) index = { action: "delete" };
  } else {
    const doc: DesiredIndex = { version: PROTOCOL_VERSION, kind: "DesiredIndex", cluster, addons: entries };
    const changed = !current.index || canonicalJson(current.index.addons) !== canonicalJson(entries);
    if (changed) index = { action: "write", doc, value: keyValue(desiredIndexKey(cluster), encoder.encode(JSON.stringify(doc))) };
  }
  return { writes, index, deletes };
}
