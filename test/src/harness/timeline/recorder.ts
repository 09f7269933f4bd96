import type { KubeConfig } from "@kubernetes/client-node";
import { ADDON_NAME_LABEL, createLogger, Informer, makeClients, resources, type ManagedClusterAddOn } from "@flotilla/shared";
import { formatTimeline, GONE, pointOf, samePoint, type ClusterPoint, type Timeline, type TimelineEntry } from "./timeline.js";

/**
 * Records the timeline of one addon's MCAs on the hub: a list, then a watch (relisted on 410 and
 * restarted on error by the shared Informer), keeping each change of a cluster's desired revision,
 * applied revision and Available condition with when it arrived. One watch stream delivers changes in
 * the order the API server made them, so the order of the timeline is the order of the writes; the
 * times are this process's, a few milliseconds after each write.
 */
export class TimelineRecorder {
  private readonly entries: TimelineEntry[] = [];
  private readonly last = new Map<string, ClusterPoint>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly addon: string,
    private readonly informer: Informer<ManagedClusterAddOn>,
    private readonly now: () => number,
  ) {}

  /** Starts recording and resolves once the MCAs that already exist are recorded. */
  static async start(kubeConfig: KubeConfig, addon: string, now: () => number = Date.now): Promise<TimelineRecorder> {
    const informer = new Informer<ManagedClusterAddOn>({
      clients: makeClients(kubeConfig),
      resource: resources.managedClusterAddOns,
      labelSelector: `${ADDON_NAME_LABEL}=${addon}`,
      logger: createLogger({ level: "warn", name: `timeline-${addon}` }),
    });
    const recorder = new TimelineRecorder(addon, informer, now);
    informer.on((event, mca) => {
      if (event === "resync") return;
      recorder.record(mca.metadata?.namespace ?? "", event === "delete" ? GONE : pointOf(mca));
    });
    await informer.start();
    await informer.synced;
    return recorder;
  }

  /** What was recorded so far (a copy). */
  timeline(): Timeline {
    return [...this.entries];
  }

  /**
   * Resolves with the timeline as soon as `test` holds for it (checked now and on each change); rejects
   * after `timeoutMs` naming `what`, with the timeline so far.
   */
  until(what: string, test: (t: Timeline) => boolean, timeoutMs = 60_000): Promise<Timeline> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const t = this.timeline();
        if (!test(t)) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(t);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; timeline of ${this.addon}:\n${formatTimeline(this.timeline())}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    await this.informer.stop();
  }

  private record(cluster: string, point: ClusterPoint): void {
    if (samePoint(this.last.get(cluster), point)) return;
    this.last.set(cluster, point);
    this.entries.push({ at: this.now(), cluster, ...point });
    for (const w of [...this.waiters]) w();
  }
}
