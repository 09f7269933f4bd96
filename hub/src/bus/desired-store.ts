import type { KV } from "@nats-io/kv";
import { classifyBusError, FlotillaError, getOwn, isWrongLastSequence, sha256Hex, type BusCodec, type BusMetrics, type DesiredIndex, type DesiredIndexEntry, type Logger } from "@flotilla/shared";
import type { KeyValue, PublishedCluster } from "../controllers/clusters/publish-plan.js";

interface KeyState {
  /** KV revision of the last value this hub wrote or read. */
  seq: number;
  digest: string;
}
interface ClusterState {
  index: DesiredIndex | undefined;
  keys: Map<string, KeyState>;
}

const MAX_CAS_ATTEMPTS = 5;

/**
 * What this hub has published on `flotilla_desired`, per cluster, kept in memory so unchanged values
 * are never rewritten. Loaded from the bucket when leadership starts; every write is a compare-and-set
 * against the revision last seen. A lost compare-and-set (the server says "wrong last sequence") re-reads
 * the key and tries again, a few times, then gives up as Conflict; any other failure (a timeout, a lost
 * connection) is not read as a conflict: it propagates at once as Retryable, and the in-memory state
 * is left as it was, so the next try compares against the same revision.
 */
export class DesiredStore {
  private readonly clusters = new Map<string, ClusterState>();

  constructor(
    private readonly kv: KV,
    private readonly codec: BusCodec,
    private readonly metrics: BusMetrics,
    private readonly logger: Logger,
  ) {}

  /** Reads the latest value of every key in the bucket. */
  async load(): Promise<void> {
    this.clusters.clear();
    let n = 0;
    try {
      const iter = await this.kv.history();
      for await (const e of iter) {
        if (e.operation !== "PUT") {
          this.forget(e.key);
          continue;
        }
        this.remember(e.key, e.revision, e.value);
        n++;
      }
    } catch (err) {
      this.clusters.clear();
      throw classifyBusError(err);
    }
    this.logger.info({ keys: n, clusters: this.clusters.size }, "loaded published desired state");
  }

  clusterNames(): string[] {
    return [...this.clusters.keys()];
  }

  /** The published index entry of one addon, if any. */
  indexEntry(cluster: string, addon: string): DesiredIndexEntry | undefined {
    // own entries only: an addon may be named `constructor`, which every object inherits
    return getOwn(this.clusters.get(cluster)?.index?.addons, addon);
  }

  published(cluster: string): PublishedCluster {
    const st = this.clusters.get(cluster);
    const keys = new Map<string, string>();
    for (const [k, v] of st?.keys ?? []) if (k !== cluster) keys.set(k, v.digest);
    return { index: st?.index, hasIndexKey: st?.keys.has(cluster) ?? false, keys };
  }

  /**
   * Compare-and-set write; a no-op when the key already holds these bytes. Rejects with a
   * FlotillaError: Conflict when it lost the compare-and-set MAX_CAS_ATTEMPTS times in a row,
   * Retryable (or Forbidden) for anything else.
   */
  async write(kv: KeyValue, kind: string): Promise<void> {
    let cur = this.state(kv.key);
    for (let attempt = 1; ; attempt++) {
      if (cur?.digest === kv.digest) return;
      try {
        const seq = cur ? await this.kv.update(kv.key, kv.bytes, cur.seq) : await this.kv.create(kv.key, kv.bytes);
        this.metrics.sent.inc({ kind });
        this.remember(kv.key, seq, kv.bytes);
        return;
      } catch (err) {
        if (!isWrongLastSequence(err)) throw classifyBusError(err);
        if (attempt >= MAX_CAS_ATTEMPTS) throw new FlotillaError("Conflict", `${kv.key}: compare-and-set lost ${attempt} times in a row`, { cause: err });
        this.logger.debug({ key: kv.key, expected: cur?.seq ?? 0, attempt }, "compare-and-set lost; re-reading the key");
        cur = await this.reread(kv.key);
      }
    }
  }

  /** Deletes the key; rejects with a FlotillaError (Retryable, Forbidden) and then remembers it still. */
  async remove(key: string): Promise<void> {
    try {
      await this.kv.delete(key);
    } catch (err) {
      throw classifyBusError(err);
    }
    this.forget(key);
  }

  /** The key's latest revision as the bucket holds it now, remembered. */
  private async reread(key: string): Promise<KeyState | undefined> {
    let e: Awaited<ReturnType<KV["get"]>>;
    try {
      e = await this.kv.get(key);
    } catch (err) {
      throw classifyBusError(err);
    }
    if (!e || e.operation !== "PUT") {
      this.forget(key);
      return undefined;
    }
    this.remember(key, e.revision, e.value);
    return this.state(key);
  }

  private state(key: string): KeyState | undefined {
    return this.clusters.get(key.split(".")[0] ?? key)?.keys.get(key);
  }

  private remember(key: string, seq: number, bytes: Uint8Array): void {
    const cluster = key.split(".")[0] ?? key;
    let st = this.clusters.get(cluster);
    if (!st) this.clusters.set(cluster, (st = { index: undefined, keys: new Map() }));
    st.keys.set(key, { seq, digest: sha256Hex(bytes) });
    if (key === cluster) {
      const d = this.codec.decode(bytes, "DesiredIndex");
      st.index = d.ok ? d.value : undefined;
      // Not the hub's own writing (someone else wrote the key): the next publish replaces it, by CAS.
      if (!d.ok) {
        this.metrics.invalid.inc({ reason: d.reason });
        this.logger.warn({ key, reason: d.reason }, "the published index is not a valid DesiredIndex; it will be replaced");
      }
    }
  }

  private forget(key: string): void {
    const cluster = key.split(".")[0] ?? key;
    const st = this.clusters.get(cluster);
    if (!st) return;
    st.keys.delete(key);
    if (key === cluster) st.index = undefined;
    if (st.keys.size === 0) this.clusters.delete(cluster);
  }
}
