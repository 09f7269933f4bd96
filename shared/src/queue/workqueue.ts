import PQueue from "p-queue";
import type { Logger } from "pino";
import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import { classifyError, errorMessage } from "../errors.js";
import { reconcileMetrics } from "../observability/metrics.js";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "../retry/backoff.js";
import { systemClock, type Clock, type Timer } from "../time/clock.js";
import { NO_FAILURES, retryAction, type KeyFailures } from "./retry-action.js";

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
  /** Per-key backoff after a failure (default: DEFAULT_BACKOFF). */
  backoff?: BackoffPolicy;
  /** Conflicts in a row requeued at once before backing off (default 3). */
  maxImmediateConflicts?: number;
  clock?: Clock;
  random?: () => number;
}

/**
 * A keyed work queue in the controller-runtime sense, on p-queue: a key waiting to run is queued once
 * however often it is added; a key added while it runs is run again afterwards (never twice at once);
 * `requeueAfterMs` schedules a later look. A failure is classified (`classifyError`) and handled by
 * `retryAction`: Terminal/Invalid are logged and counted but not retried, a Conflict is requeued at
 * once (a few times in a row), anything else comes back with per-key backoff.
 */
export class WorkQueue {
  private readonly q: PQueue;
  private readonly opts: WorkQueueOptions;
  private readonly clock: Clock;
  private readonly policy: { backoff: BackoffPolicy; maxImmediateConflicts: number };
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, KeyFailures>();
  private readonly timers = new Map<string, { timer: Timer; due: number }>();
  private stopped = false;
  private readonly m: { duration: Histogram<string>; errors: Counter<string>; depth: Gauge<string> } | undefined;

  constructor(opts: WorkQueueOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.policy = { backoff: opts.backoff ?? DEFAULT_BACKOFF, maxImmediateConflicts: opts.maxImmediateConflicts ?? 3 };
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
    const due = this.clock.now() + ms;
    const existing = this.timers.get(key);
    if (existing) {
      if (existing.due <= due) return;
      existing.timer.cancel();
    }
    const timer = this.clock.setTimer(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { timer, due });
  }

  /** Resolves when nothing is queued or running. */
  async onIdle(): Promise<void> {
    await this.q.onIdle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) t.timer.cancel();
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
    let retry: (() => void) | undefined;
    try {
      result = await this.opts.reconcile(key);
      this.failures.delete(key);
    } catch (err) {
      failed = true;
      retry = this.onFailure(key, err);
    } finally {
      end?.({ result: failed ? "error" : "ok" });
      this.running.delete(key);
    }
    if (this.dirty.delete(key)) this.add(key);
    else if (retry) retry();
    else if (!failed && result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
  }

  /** Logs and counts the failure; returns how to run the key again, if at all. */
  private onFailure(key: string, err: unknown): (() => void) | undefined {
    const e = classifyError(err);
    const prior = this.failures.get(key) ?? NO_FAILURES;
    const { action, next } = retryAction(e.code, prior, this.policy, this.opts.random ?? Math.random);
    if (action.kind === "drop") this.failures.delete(key);
    else this.failures.set(key, next);
    this.m?.errors.inc({ queue: this.opts.name, code: e.code });
    const fields = { key, err: errorMessage(err), code: e.code, attempt: prior.backoffs + prior.conflicts + 1 };
    switch (action.kind) {
      case "drop":
        this.opts.logger.error(fields, "reconcile failed and will not be retried");
        return undefined;
      case "requeue":
        this.opts.logger.debug(fields, "reconcile conflicted; requeued at once");
        return () => this.add(key);
      case "backoff":
        this.opts.logger.warn({ ...fields, retryInMs: action.delayMs }, "reconcile failed");
        return () => this.addAfter(key, action.delayMs);
    }
  }
}
