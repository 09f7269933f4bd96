import type { KV, KvWatchEntry } from "@nats-io/kv";
import { parseStatusKey, type BusCodec, type BusMetrics, type Clock, type Logger, errorMessage } from "@flotilla/shared";
import type { PresenceStore } from "../../presence/store.js";
import type { ReportStore } from "../../presence/reports.js";
import { pause } from "../../kube/abort.js";

export interface StatusWatcherDeps {
  kv: KV;
  codec: BusCodec;
  metrics: BusMetrics;
  logger: Logger;
  presence: PresenceStore;
  reports: ReportStore;
  graceSeconds: number;
  /** A cluster's presence or agent facts changed. */
  onCluster: (cluster: string) => void;
  /** A report for `<cluster>/<addon>` arrived or went away. */
  onReport: (cluster: string, addon: string) => void;
  clock: Clock;
}

/**
 * The hub's one watcher on `flotilla_status`. It replays the latest value of every key when it starts
 * (after a restart nothing is lost), then follows updates. Anything malformed or foreign is dropped
 * and counted; nothing here can crash the hub.
 */
export class StatusWatcher {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  private markSynced!: () => void;
  /**
   * Resolves once the first replay of the bucket is through, so controllers that read presence do not
   * start from an empty picture (every cluster would flap to PresenceLapsed and back).
   */
  readonly synced: Promise<void> = new Promise((r) => (this.markSynced = r));

  constructor(private readonly d: StatusWatcherDeps) {}

  start(): void {
    this.loop = this.run();
  }

  /**
   * Restarts the watch from the last revision seen (after a reconnect the ordered consumer would
   * only notice its loss at the next missed heartbeat).
   */
  resume(): void {
    this.resuming = true;
    this.stopIter?.();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.stopIter?.();
    await this.loop;
  }

  private stopIter: (() => void) | undefined;
  private lastSeq = 0;
  private resuming = false;

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        if ((await this.d.kv.status()).values === 0) this.markSynced();
        const iter = await this.d.kv.watch(this.lastSeq > 0 ? { resumeFromRevision: this.lastSeq + 1 } : {});
        this.stopIter = () => iter.stop();
        if (signal.aborted) iter.stop();
        const startedAt = this.d.clock.now();
        for await (const e of iter) {
          this.lastSeq = Math.max(this.lastSeq, e.revision);
          this.handle(e, startedAt);
          if (e.delta === 0) this.markSynced();
        }
      } catch (err) {
        this.d.logger.warn({ err: errorMessage(err) }, "status watch failed");
      }
      if (signal.aborted) break;
      if (this.resuming) {
        this.resuming = false;
        this.d.logger.info({ fromRevision: this.lastSeq + 1 }, "resuming the status watch");
      } else {
        this.d.logger.warn("status watch ended; restarting");
        await pause(this.d.clock, 1000, signal);
      }
    }
  }

  private invalid(reason: string, key: string, error?: string): void {
    this.d.metrics.invalid.inc({ reason });
    // Never the content: a report may carry anything the agent saw.
    this.d.logger.warn({ key, reason, ...(error ? { error } : {}) }, "dropped a status message");
  }

  private handle(e: KvWatchEntry, watchStartedAt: number): void {
    try {
      const parsed = parseStatusKey(e.key);
      if (!parsed) return this.invalid("Foreign", e.key);
      const { cluster, addon } = parsed;
      if (e.operation !== "PUT") {
        if (addon) {
          this.d.reports.delete(cluster, addon);
          this.d.onReport(cluster, addon);
        } else if (this.d.presence.delete(cluster)) {
          this.d.onCluster(cluster);
        }
        return;
      }
      if (addon) {
        const r = this.d.codec.decode(e.value, "AddonReport");
        if (!r.ok) return this.invalid(r.reason, e.key, r.reason === "Invalid" ? r.error : undefined);
        if (r.value.cluster !== cluster || r.value.addon !== addon) return this.invalid("Foreign", e.key);
        this.d.metrics.received.inc({ kind: "AddonReport" });
        this.d.reports.set(cluster, addon, r.value);
        this.d.onReport(cluster, addon);
        return;
      }
      const r = this.d.codec.decode(e.value, "AgentInfo");
      if (!r.ok) return this.invalid(r.reason, e.key, r.reason === "Invalid" ? r.error : undefined);
      if (r.value.cluster !== cluster) return this.invalid("Foreign", e.key);
      this.d.metrics.received.inc({ kind: "AgentInfo" });
      const now = this.d.clock.now();
      // A value replayed at start was received when it was stored, not now.
      const receivedAt = e.created.getTime() < watchStartedAt ? Math.min(now, e.created.getTime()) : now;
      const prev = this.d.presence.record(cluster, r.value, receivedAt);
      const lapsed = !prev || receivedAt - prev.receivedAt > this.d.graceSeconds * 1000;
      const factsChanged =
        prev?.info.agentVersion !== r.value.agentVersion ||
        prev?.info.kubernetesVersion !== r.value.kubernetesVersion ||
        // what helm renders for the cluster depends on them
        (prev?.info.apiVersions ?? []).join(",") !== (r.value.apiVersions ?? []).join(",");
      if (lapsed || factsChanged) this.d.onCluster(cluster);
    } catch (err) {
      this.invalid("HandlerError", e.key, errorMessage(err));
    }
  }
}
