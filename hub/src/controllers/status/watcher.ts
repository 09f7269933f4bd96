import type { KV, KvWatchEntry } from "@nats-io/kv";
import { type BusCodec, type BusMetrics, type Clock, type Logger, errorMessage } from "@flotilla/shared";
import type { PresenceStore } from "../../presence/store.js";
import type { ReportStore } from "../../presence/reports.js";
import { pause } from "../../kube/abort.js";
import { decodeStatusEntry, type StatusDropReason } from "./decode.js";

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

  private invalid(reason: StatusDropReason, key: string, error?: string): void {
    this.d.metrics.invalid.inc({ reason });
    // Never the content: a report may carry anything the agent saw.
    this.d.logger.warn({ key, reason, ...(error ? { error } : {}) }, "dropped a status message");
  }

  private handle(e: KvWatchEntry, watchStartedAt: number): void {
    try {
      const d = decodeStatusEntry(this.d.codec, e.key, e.operation, e.value);
      if (!d.ok) return this.invalid(d.reason, e.key, d.error);
      const entry = d.entry;
      if (entry.kind === "Deleted") {
        const { cluster, addon } = entry;
        if (addon) {
          this.d.reports.delete(cluster, addon);
          this.d.onReport(cluster, addon);
        } else if (this.d.presence.delete(cluster)) {
          this.d.onCluster(cluster);
        }
        return;
      }
      this.d.metrics.received.inc({ kind: entry.kind });
      if (entry.kind === "AddonReport") {
        this.d.reports.set(entry.cluster, entry.addon, entry.report);
        this.d.onReport(entry.cluster, entry.addon);
        return;
      }
      const { cluster, info } = entry;
      const now = this.d.clock.now();
      // A value replayed at start was received when it was stored, not now.
      const receivedAt = e.created.getTime() < watchStartedAt ? Math.min(now, e.created.getTime()) : now;
      const prev = this.d.presence.record(cluster, info, receivedAt);
      const lapsed = !prev || receivedAt - prev.receivedAt > this.d.graceSeconds * 1000;
      const factsChanged =
        prev?.info.agentVersion !== info.agentVersion ||
        prev?.info.kubernetesVersion !== info.kubernetesVersion ||
        // what helm renders for the cluster depends on them
        (prev?.info.apiVersions ?? []).join(",") !== (info.apiVersions ?? []).join(",");
      if (lapsed || factsChanged) this.d.onCluster(cluster);
    } catch (err) {
      this.invalid("HandlerError", e.key, errorMessage(err));
    }
  }
}
