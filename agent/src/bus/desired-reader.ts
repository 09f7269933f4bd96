import type { KV, KvEntry } from "@nats-io/kv";
import { desiredBundleKey, desiredBundlePartKey, desiredIndexKey, type BusCodec, type DesiredBundle, type DesiredIndex, type DesiredIndexEntry } from "@flotilla/shared";
import { decodeAssembled, decodeBundleKey, decodeIndex, unsealBundle, type BundleOpener, type Invalid } from "./decode-desired.js";
import { concatBytes } from "./digest.js";

export type IndexRead = { kind: "missing" } | { kind: "ok"; index: DesiredIndex; revision: number } | { kind: "invalid"; invalid: Invalid };
export type BundleRead = { kind: "missing" } | { kind: "ok"; bundle: DesiredBundle; revision: number } | { kind: "invalid"; invalid: Invalid };

/**
 * Reads this cluster's desired keys by direct get (no consumers). Bus errors (disconnected, bucket
 * missing, permission) are thrown for the caller to retry; malformed documents come back as `invalid`.
 */
export class DesiredReader {
  constructor(
    private readonly kv: Pick<KV, "get">,
    private readonly codec: BusCodec,
    private readonly cluster: string,
    /** Opens sealed bundles; undefined when the agent has no encryption key. */
    private readonly open?: BundleOpener,
  ) {}

  async readIndex(): Promise<IndexRead> {
    const e = await this.getLive(desiredIndexKey(this.cluster));
    if (!e) return { kind: "missing" };
    const r = decodeIndex(this.codec, e.value, this.cluster);
    return r.ok ? { kind: "ok", index: r.value, revision: e.revision } : { kind: "invalid", invalid: r };
  }

  async readBundle(addon: string, entry: DesiredIndexEntry): Promise<BundleRead> {
    const e = await this.getLive(desiredBundleKey(this.cluster, addon));
    if (!e) return { kind: "missing" };
    const head = decodeBundleKey(this.codec, e.value, { cluster: this.cluster, addon, entry });
    if (!head.ok) return { kind: "invalid", invalid: head };
    if (head.value.kind === "DesiredBundle") return this.unsealed(head.value, e.revision);
    const parts: Uint8Array[] = [];
    for (let n = 0; n < head.value.parts; n++) {
      const p = await this.getLive(desiredBundlePartKey(this.cluster, addon, n));
      if (!p) return { kind: "invalid", invalid: { ok: false, reason: "MissingPart", error: `part ${n} of ${head.value.parts} is missing` } };
      parts.push(p.value);
    }
    const whole = decodeAssembled(this.codec, concatBytes(parts), head.value);
    return whole.ok ? this.unsealed(whole.value, e.revision) : { kind: "invalid", invalid: whole };
  }

  private unsealed(bundle: DesiredBundle, revision: number): BundleRead {
    const r = unsealBundle(this.codec, bundle, this.open);
    return r.ok ? { kind: "ok", bundle: r.value, revision } : { kind: "invalid", invalid: r };
  }

  /** A deleted or purged key reads as missing. */
  private async getLive(key: string): Promise<KvEntry | null> {
    const e = await this.kv.get(key);
    if (!e || e.operation !== "PUT") return null;
    return e;
  }
}
