import { Backoff, DEFAULT_BACKOFF, systemClock, type BackoffPolicy, type BusMetrics, type Clock, type Logger, type Timer, type WorkQueue } from "@flotilla/shared";
import type { DesiredReader } from "../bus/desired-reader.js";
import { planFromIndex } from "../plan/work-plan.js";
import type { AgentState } from "./state.js";

export interface DesiredSyncOptions {
  state: AgentState;
  reader: () => DesiredReader | undefined;
  queue: Pick<WorkQueue, "add">;
  metrics: BusMetrics;
  logger: Logger;
  /** Delays before reading again after a failed read (default: DEFAULT_BACKOFF). */
  backoff?: BackoffPolicy;
  clock?: Clock;
  random?: () => number;
}

/**
 * Reads the cluster's index by direct get and turns it into per-addon work. Requests coalesce: one
 * read runs at a time, and any number of requests made meanwhile cause exactly one more. A failed
 * read (bus down, bucket not created yet) is retried with backoff; a missing or invalid index
 * changes nothing, so the last good state stays applied.
 *
 * A hint can outrun the write it announces: core subscribers get the KV publish while JetStream is
 * still storing it, so a direct get right after the hint may return the previous index. After a hint
 * whose read did not move the index revision, the read is repeated a few times at short delays.
 */
/** Delays of the re-reads after a hint that found the index unchanged. */
export const HINT_REREAD_DELAYS_MS = [20, 100, 500] as const;

export class DesiredSync {
  private running = false;
  private again = false;
  private readonly backoff: Backoff;
  private readonly clock: Clock;
  private retryTimer: Timer | undefined;
  private stopped = false;
  private loggedMissing = false;
  /** Re-reads left for the latest hint (index into HINT_REREAD_DELAYS_MS from the end). */
  private hintRereads = 0;
  private hintTimer: Timer | undefined;

  constructor(private readonly o: DesiredSyncOptions) {
    this.backoff = new Backoff(o.backoff ?? DEFAULT_BACKOFF, o.random);
    this.clock = o.clock ?? systemClock;
  }

  /** Asks for a read; `hint` when a hint announced a change (see the class comment). */
  request(hint = false): void {
    if (this.stopped) return;
    if (hint) {
      this.hintRereads = HINT_REREAD_DELAYS_MS.length;
      this.hintTimer?.cancel();
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.hintTimer?.cancel();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.once();
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
  }

  private async once(): Promise<void> {
    const reader = this.o.reader();
    if (!reader) return;
    const { state, logger, metrics } = this.o;
    let r: Awaited<ReturnType<DesiredReader["readIndex"]>>;
    try {
      r = await reader.readIndex();
    } catch (err) {
      const delay = this.backoff.next();
      logger.warn({ err: String(err), attempt: this.backoff.attempts, retryInMs: delay }, "cannot read desired index; keeping what is applied");
      this.retryTimer?.cancel();
      this.retryTimer = this.clock.setTimer(() => this.request(), delay);
      return;
    }
    this.backoff.reset();
    if (r.kind === "missing") {
      if (!this.loggedMissing) logger.info("no desired index for this cluster; nothing to do until the hub publishes one");
      this.loggedMissing = true;
      return;
    }
    this.loggedMissing = false;
    if (r.kind === "invalid") {
      metrics.invalid.inc({ reason: r.invalid.reason });
      logger.warn({ reason: r.invalid.reason, detail: r.invalid.reason === "NotJSON" ? undefined : r.invalid.error }, "dropped invalid desired index; last good state stays applied");
      return;
    }
    metrics.received.inc({ kind: "DesiredIndex" });
    const moved = r.revision !== state.indexRevision;
    if (moved) this.hintRereads = 0;
    else if (this.hintRereads > 0) {
      const delay = HINT_REREAD_DELAYS_MS[HINT_REREAD_DELAYS_MS.length - this.hintRereads] ?? 500;
      this.hintRereads--;
      this.hintTimer?.cancel();
      this.hintTimer = this.clock.setTimer(() => this.request(), delay);
    }
    state.index = r.index;
    state.indexRevision = r.revision;
    // Planned even when the index did not move: an addon whose bundle could not be read before (bus
    // down) is still "changed" and gets its turn now.
    const plan = planFromIndex(r.index, state.heldDigests(), state.records.keys());
    if (moved && (plan.changed.length || plan.removed.length)) logger.info({ indexRevision: r.revision, changed: plan.changed, removed: plan.removed }, "desired state changed");
    for (const addon of [...plan.changed, ...plan.removed]) this.o.queue.add(addon);
  }
}
