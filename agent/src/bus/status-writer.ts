import type { KV } from "@nats-io/kv";
import { Backoff, DEFAULT_BACKOFF, statusAddonKey, statusAgentKey, systemClock, type AddonReport, type AgentInfo, type BackoffPolicy, type BusCodec, type BusMetrics, type Clock, type Logger, type Timer } from "@flotilla/shared";
import { reportFingerprint } from "../report/build.js";

type Outgoing = { op: "put"; doc: AddonReport; fingerprint: string; seq: number } | { op: "delete"; seq: number };

export interface StatusWriterOptions {
  cluster: string;
  codec: BusCodec;
  metrics: BusMetrics;
  logger: Logger;
  /** Delays before retrying after a failed put (default: DEFAULT_BACKOFF). */
  backoff?: BackoffPolicy;
  clock?: Clock;
  random?: () => number;
}

/**
 * Writes this cluster's status keys. Reports are coalesced per addon: only the latest one waits to be
 * sent, so while the bus is down nothing piles up, and on reconnect each addon's newest report goes
 * out once. A report identical to the last one sent (ignoring `observedAt`) is skipped unless forced.
 */
export class StatusWriter {
  private kv: Pick<KV, "put" | "delete"> | undefined;
  private connected = true;
  private readonly pending = new Map<string, Outgoing>();
  /** Fingerprint of what the bus holds per addon (as far as this process knows). */
  private readonly sent = new Map<string, string>();
  private seq = 0;
  /** The running flush; a reconnect starts a new epoch so a put stuck on the dead connection is not waited for. */
  private flushing: { epoch: number; done: Promise<void> } | undefined;
  private epoch = 0;
  private retryTimer: Timer | undefined;
  /** Failed puts in a row; a success or a reconnect starts over. */
  private readonly backoff: Backoff;
  /** A retry is waiting: the queue is not flushed again before it fires. */
  private waiting = false;
  private stopped = false;
  private readonly clock: Clock;

  constructor(private readonly opts: StatusWriterOptions) {
    this.clock = opts.clock ?? systemClock;
    this.backoff = new Backoff(opts.backoff ?? DEFAULT_BACKOFF, opts.random);
  }

  /** The status bucket once open; undefined while there is none. */
  attach(kv: Pick<KV, "put" | "delete"> | undefined): void {
    this.kv = kv;
    if (!kv) return;
    this.backoff.reset();
    this.waiting = false;
    this.kick();
  }

  /**
   * While disconnected nothing is attempted: a request made then waits out its whole timeout even if
   * the connection comes back meanwhile, which would hold up the flush on reconnect.
   */
  setConnected(connected: boolean): void {
    this.connected = connected;
    if (!connected) return;
    this.epoch++;
    this.backoff.reset();
    this.waiting = false;
    this.kick();
  }

  /** Queues the report if it says something new (or `force`, e.g. at resync so a lost put heals). */
  putReport(report: AddonReport, force = false): void {
    const fingerprint = reportFingerprint(report);
    const queued = this.pending.get(report.addon);
    const latest = queued ? (queued.op === "put" ? queued.fingerprint : undefined) : this.sent.get(report.addon);
    if (!force && latest === fingerprint) return;
    this.pending.set(report.addon, { op: "put", doc: report, fingerprint, seq: ++this.seq });
    this.kick();
  }

  /** Queues removal of the addon's status key (after uninstall). */
  deleteReport(addon: string): void {
    this.pending.set(addon, { op: "delete", seq: ++this.seq });
    this.kick();
  }

  /** Presence is not queued: a stale heartbeat sent late would only mislead. */
  async putInfo(info: AgentInfo): Promise<boolean> {
    if (!this.kv || !this.connected) return false;
    try {
      await this.kv.put(statusAgentKey(this.opts.cluster), this.opts.codec.encode(info));
      this.opts.metrics.sent.inc({ kind: "AgentInfo" });
      return true;
    } catch (err) {
      this.opts.logger.debug({ err: String(err) }, "heartbeat not sent");
      return false;
    }
  }

  /** Sends what is pending now, unless a retry is waiting out its backoff (it sends everything then). */
  kick(): void {
    if (this.stopped || this.waiting || !this.kv || !this.connected || this.pending.size === 0) return;
    if (this.flushing?.epoch === this.epoch) return;
    const epoch = this.epoch;
    const done = this.flush(epoch).finally(() => {
      if (this.flushing?.epoch === epoch) this.flushing = undefined;
      // Something may have been queued after the loop looked.
      if (!this.waiting && this.pending.size > 0) this.kick();
    });
    this.flushing = { epoch, done };
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Resolves when the current flush (if any) is done. */
  async idle(): Promise<void> {
    await this.flushing?.done;
  }

  stop(): void {
    this.stopped = true;
    this.retryTimer?.cancel();
  }

  private async flush(epoch: number): Promise<void> {
    for (const [addon, out] of [...this.pending]) {
      const kv = this.kv;
      if (!kv || !this.connected || this.stopped || epoch !== this.epoch) return;
      const key = statusAddonKey(this.opts.cluster, addon);
      try {
        if (out.op === "put") await kv.put(key, this.opts.codec.encode(out.doc));
        else await kv.delete(key);
      } catch (err) {
        if (epoch !== this.epoch) return; // outlived by a reconnect; the new flush owns the queue
        const delay = this.backoff.next();
        this.opts.logger.warn({ err: String(err), pending: this.pending.size, attempt: this.backoff.attempts, retryInMs: delay }, "status not sent; kept for later");
        this.retryTimer?.cancel();
        this.waiting = true;
        this.retryTimer = this.clock.setTimer(() => {
          this.waiting = false;
          this.kick();
        }, delay);
        return;
      }
      if (out.op === "put") {
        this.sent.set(addon, out.fingerprint);
        this.opts.metrics.sent.inc({ kind: "AddonReport" });
      } else {
        this.sent.delete(addon);
      }
      if (this.pending.get(addon)?.seq === out.seq) this.pending.delete(addon);
      this.backoff.reset();
      if (epoch !== this.epoch) return;
    }
  }
}
