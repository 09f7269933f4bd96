import { WorkQueue, type Clock, type Logger, type Reconciler } from "@flotilla/shared";
import type { Registry } from "prom-client";
import type { Enqueue } from "./context.js";
import type { Stoppers } from "./stoppers.js";

export interface SessionReconcilers {
  cma: Reconciler;
  cluster: Reconciler;
  report: Reconciler;
  source: Reconciler;
}

/**
 * The session's four work queues. Keys can be enqueued from the start (informer events arrive while
 * the caches fill); they are dropped until `start`, after which the level-based first pass covers them.
 */
export class SessionQueues implements Enqueue {
  private queues: { cma: WorkQueue; cluster: WorkQueue; report: WorkQueue; source: WorkQueue } | undefined;

  readonly cma = (addon: string, afterMs?: number): void => {
    if (afterMs) this.queues?.cma.addAfter(addon, afterMs);
    else this.queues?.cma.add(addon);
  };
  readonly cluster = (name: string): void => this.queues?.cluster.add(name);
  readonly report = (cluster: string, addon: string): void => this.queues?.report.add(`${cluster}/${addon}`);
  readonly source = (addon: string): void => this.queues?.source.add(addon);

  start(r: SessionReconcilers, o: { logger: Logger; registry: Registry; clock: Clock }, stoppers: Stoppers): void {
    const q = (name: string, reconcile: Reconciler, concurrency: number) =>
      new WorkQueue({ name, reconcile, logger: o.logger.child({ component: "queue", queue: name }), registry: o.registry, concurrency, clock: o.clock });
    // Chart lookups wait on repositories: a few at once, apart from the rollouts.
    this.queues = { cma: q("cma", r.cma, 4), cluster: q("cluster", r.cluster, 16), report: q("report", r.report, 16), source: q("source", r.source, 4) };
    for (const wq of Object.values(this.queues)) stoppers.push(() => wq.stop());
  }
}
