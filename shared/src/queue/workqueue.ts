import PQueue from "p-queue";
import type { Logger } from "pino";
import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import { reconcileMetrics } from "../observability/metrics.js";

export interface ReconcileResult {
  /** Look again after this long even without an event (e.g. a grace period ending). */
  requeueAfterMs?: number;
}
export type Reconciler = (key: string) => Promise<ReconcileResult | void>;

export interface WorkQueueOptions {
  name: string;
  reconcile: Reconciler;
  logger: Logger;
  registry?: Registry;
  concurrency?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/**
 * A keyed work queue in the controller-runtime sense, on p-queue: a key waiting to run is queued once
 * however often it is added; a key added while it runs is run again afterwards (never twice at once);
 * a failed key comes back with per-key exponential backoff; `requeueAfterMs` schedules a later look.
 */
export class WorkQueue {
  private readonly q: PQueue;
  private readonly opts: WorkQueueOptions;
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private stopped = false;
  private readonly m: { duration: Histogram<string>; errors: Counter<string>; depth: Gauge<string> } | undefined;

  constructor(opts: WorkQueueOptions) {
    this.opts = opts;
    this.q = new PQueue({ concurrency: opts.concurrency ?? 4 });
    this.m = opts.registry ? reconcileMetrics(opts.registry) : undefined;
  }

  get depth(): number {
    return this.queued.size;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.m?.depth.set({ queue: this.opts.name }, this.queued.size);
    void this.q.add(() => this.run(key));
  }

  /** Adds the key after `ms`; an earlier pending timer for the key wins if it fires sooner. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const due = Date.now() + ms;
    const existing = this.timers.get(key);
    if (existing) {
      if (existing.due <= due) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { timer, due });
  }

  /** Resolves when nothing is queued or running. */
  async onIdle(): Promise<void> {
    await this.q.onIdle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.q.clear();
    this.queued.clear();
    await this.q.onIdle();
  }

  private async run(key: string): Promise<void> {
    this.queued.delete(key);
    this.m?.depth.set({ queue: this.opts.name }, this.queued.size);
    if (this.stopped) return;
    this.running.add(key);
    const end = this.m?.duration.startTimer({ queue: this.opts.name });
    let result: ReconcileResult | void = undefined;
    let failed = false;
    try {
      result = await this.opts.reconcile(key);
      this.failures.delete(key);
    } catch (err) {
      failed = true;
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      const base = this.opts.backoffBaseMs ?? 200;
      const delay = Math.min(this.opts.backoffMaxMs ?? 60_000, base * 2 ** Math.min(n - 1, 16));
      this.m?.errors.inc({ queue: this.opts.name });
      this.opts.logger.warn({ key, err: (err as Error)?.message ?? String(err), attempt: n, retryInMs: delay }, "reconcile failed");
      this.addAfter(key, delay);
    } finally {
      end?.({ result: failed ? "error" : "ok" });
      this.running.delete(key);
    }
    if (this.dirty.delete(key)) this.add(key);
    else if (!failed && result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
  }
}
