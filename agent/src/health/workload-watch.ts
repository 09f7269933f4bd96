import type { KubernetesObject } from "@kubernetes/client-node";
import { ADDON_NAME_LABEL, Informer, systemClock, type Clock, type InformerEvent, type KubeClients, type Logger } from "@flotilla/shared";
import { refKey, type ObjectRef } from "../inventory/ref.js";

/** The workload kinds whose readiness moves after apply, with their REST resource. */
const WORKLOADS: Readonly<Record<string, { group: string; version: string; plural: string; kind: string }>> = {
  Deployment: { group: "apps", version: "v1", plural: "deployments", kind: "Deployment" },
  StatefulSet: { group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet" },
  DaemonSet: { group: "apps", version: "v1", plural: "daemonsets", kind: "DaemonSet" },
  Job: { group: "batch", version: "v1", plural: "jobs", kind: "Job" },
};

export type WorkloadChange = (addon: string, event: InformerEvent, obj: KubernetesObject) => void;

export interface WorkloadWatchOptions {
  clients: KubeClients;
  logger: Logger;
  onChange: WorkloadChange;
  /** How long `ensure` waits for the first list before going on without the cache. */
  syncTimeoutMs?: number;
  clock?: Clock;
}

/**
 * One informer per workload kind an addon uses, over every object carrying the addon label, so a
 * Deployment turning ready is seen within a watch event rather than a poll. Started lazily: a cluster
 * whose addons have no StatefulSet never watches StatefulSets.
 */
export class WorkloadWatch {
  private readonly informers = new Map<string, { informer: Informer<KubernetesObject>; synced: boolean }>();
  /** refKey → uid of the object last seen deleted, while no object of that name has come back. */
  private readonly tombstones = new Map<string, string>();
  private stopped = false;

  constructor(private readonly opts: WorkloadWatchOptions) {}

  static watches(ref: Pick<ObjectRef, "group" | "kind">): boolean {
    const w = WORKLOADS[ref.kind];
    return w !== undefined && w.group === ref.group;
  }

  /** Starts watching the kinds among `refs` not watched yet; waits (bounded) for their first list. */
  async ensure(refs: readonly Pick<ObjectRef, "group" | "kind">[]): Promise<void> {
    if (this.stopped) return;
    const waits: Promise<void>[] = [];
    for (const ref of refs) {
      if (!WorkloadWatch.watches(ref) || this.informers.has(ref.kind)) continue;
      const resource = WORKLOADS[ref.kind];
      if (!resource) continue;
      const informer = new Informer<KubernetesObject>({
        clients: this.opts.clients,
        resource,
        labelSelector: ADDON_NAME_LABEL,
        logger: this.opts.logger.child({ informer: resource.plural }),
        resyncMs: 10 * 60_000,
      });
      const entry = { informer, synced: false };
      this.informers.set(ref.kind, entry);
      informer.on((event, obj) => {
        this.remember(resource, event, obj);
        const addon = obj.metadata?.labels?.[ADDON_NAME_LABEL];
        if (addon && event !== "resync") this.opts.onChange(addon, event, obj);
      });
      void informer.synced.then(() => (entry.synced = true));
      void informer.start();
      waits.push(informer.synced);
    }
    if (waits.length > 0) {
      const timeout = new Promise<void>((r) => (this.opts.clock ?? systemClock).setTimer(r, this.opts.syncTimeoutMs ?? 5_000));
      await Promise.race([Promise.all(waits).then(() => undefined), timeout]);
    }
  }

  /**
   * The cached object: `undefined` when the kind is watched and synced but the object is not there,
   * `"unknown"` when the cache cannot tell (kind not watched, or first list not done).
   */
  lookup(ref: ObjectRef): KubernetesObject | undefined | "unknown" {
    if (!WorkloadWatch.watches(ref)) return "unknown";
    const entry = this.informers.get(ref.kind);
    if (!entry?.synced) return "unknown";
    return entry.informer.get(ref.name, ref.namespace);
  }

  /**
   * The uid of the object that was deleted under this name, while the cache still says it is gone
   * (a re-created object, or a kind whose cache cannot tell, gives undefined).
   */
  deletedUid(ref: ObjectRef): string | undefined {
    if (this.lookup(ref) !== undefined) return undefined;
    return this.tombstones.get(refKey(ref));
  }

  private remember(resource: { group: string; kind: string }, event: InformerEvent, obj: KubernetesObject): void {
    const name = obj.metadata?.name;
    if (!name) return;
    const namespace = obj.metadata?.namespace;
    const key = refKey({ group: resource.group, kind: resource.kind, ...(namespace ? { namespace } : {}), name });
    if (event === "delete") this.tombstones.set(key, obj.metadata?.uid ?? "");
    else this.tombstones.delete(key);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((e) => e.informer.stop()));
    this.informers.clear();
  }
}
