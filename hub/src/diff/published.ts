import type { KV } from "@nats-io/kv";
import { desiredBundleKey, desiredBundlePartKey, desiredIndexKey, getOwn, sha256Hex, type BusCodec, type DesiredBundle } from "@flotilla/shared";

const matches = (data: Uint8Array, digest: string) => sha256Hex(data) === (digest.startsWith("sha256:") ? digest.slice(7) : digest).toLowerCase();

/**
 * The bundle published for `cluster` on `flotilla_desired`, when the cluster is desired on `revision`
 * there (what its agent applies, byte for byte); undefined when it is desired on another revision or
 * nothing is published. A published document that does not check out (invalid, digest mismatch, a
 * part missing) is an error: the CLI says so rather than diff something else.
 */
export async function readPublished(kv: Pick<KV, "get">, codec: BusCodec, cluster: string, addon: string, revision: string): Promise<DesiredBundle | undefined> {
  const live = async (key: string) => {
    const e = await kv.get(key);
    return e && e.operation === "PUT" ? e.value : undefined;
  };
  const indexBytes = await live(desiredIndexKey(cluster));
  if (!indexBytes) return undefined;
  const index = codec.decode(indexBytes, "DesiredIndex");
  if (!index.ok) throw new Error(`the published index of ${cluster} is invalid: ${index.error}`);
  const entry = getOwn(index.value.addons, addon);
  if (!entry || entry.revision !== revision) return undefined;
  const bad = (why: string) => new Error(`the bundle published for ${cluster}.${addon} (${revision}) ${why}`);
  const headBytes = await live(desiredBundleKey(cluster, addon));
  if (!headBytes) throw bad("is missing though the index names it");
  const head = codec.decode(headBytes, "DesiredBundle", "DesiredBundleParts");
  if (!head.ok) throw bad(`is invalid: ${head.error}`);
  if (head.value.kind === "DesiredBundle") {
    if (!matches(headBytes, entry.digest)) throw bad("does not match the index digest (being republished? try again)");
    return head.value;
  }
  const parts: Uint8Array[] = [];
  for (let n = 0; n < head.value.parts; n++) {
    const p = await live(desiredBundlePartKey(cluster, addon, n));
    if (!p) throw bad(`lacks part ${n} of ${head.value.parts}`);
    parts.push(p);
  }
  const whole = Buffer.concat(parts);
  if (!matches(whole, head.value.digest)) throw bad("does not match its digest (being republished? try again)");
  // Too big for one message, so not validated by the codec here; the request built from it is.
  return JSON.parse(whole.toString("utf8")) as DesiredBundle;
}
