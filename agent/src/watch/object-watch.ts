import type { KubernetesObject } from "@kubernetes/client-node";
import { ADDON_NAME_LABEL, Informer, kubeErrorMessage, systemClock, type Clock, type InformerEvent, type KubeClients, type Logger } from "@flotilla/shared";
import { apiVersionOfRef, kindKey, refKey, type ObjectRef } from "../inventory/ref.js";

export type ObjectChange = (addon: string, event: InformerEvent, obj: KubernetesObject) => void;

/** A kind's REST resource, from discovery; undefined when the kind is not served. */
export type ResolveResource = (apiVersion: string, kind: string) => Promise<{ plural: string } | undefined>;

export interface ObjectWatchOptions {
  clients: KubeClients;
  resolve: ResolveResource;
  logger: Logger;
  onChange: ObjectChange;
  /** How long `ensure` waits for the first list before going on without the cache. */
  syncTimeoutMs?: number;
  clock?: Clock;
}

type Kind = Pick<ObjectRef, "group" | "version" | "kind">;

/**
 * One informer per kind the addons use, over every object carrying the addon label (any addon), so
 * a change to an applied object (a status turning ready, another manager's edit, a deletion) is seen
 * within a watch event rather than a poll or a resync. Started lazily: a cluster whose addons have no
 * StatefulSet never watches StatefulSets. A kind not served yet (a custom resource whose CRD the same
 * bundle brings) is picked up by the next `ensure` once it is.
 */
export class ObjectWatch {
  private readonly informers = new Map<string, { informer: Informer<KubernetesObject>; synced: boolean }>();
  /** refKey → uid of the object last seen deleted (or unlabelled), while none is back under that name. */
  private readonly tombstones = new Map<string, string>();
  /** refKey → the addon its label names, for objects in the caches. */
  private readonly owners = new Map<string, string>();
  private stopped = false;

  constructor(private readonly opts: ObjectWatchOptions) {}

  /** Starts watching the kinds among `refs` not watched yet; waits (bounded) for their first list. */
  async ensure(refs: readonly Kind[]): Promise<void> {
    if (this.stopped) return;
    const waits: Promise<void>[] = [];
    const kinds = new Map<string, Kind>();
    for (const r of refs) if (!this.informers.has(kindKey(r.group, r.kind))) kinds.set(kindKey(r.group, r.kind), r);
    for (const [key, ref] of kinds) {
      const apiVersion = apiVersionOfRef(ref);
      const resource = await this.opts.resolve(apiVersion, ref.kind).catch((err: unknown) => {
        this.opts.logger.debug({ kind: ref.kind, apiVersion, error: kubeErrorMessage(err) }, "cannot resolve kind yet; not watched");
        return undefined;
      });
      if (!resource || this.stopped || this.informers.has(key)) continue;
      waits.push(this.start(key, { group: ref.group, version: ref.version, kind: ref.kind, plural: resource.plural }));
    }
    if (waits.length > 0) {
      const timeout = new Promise<void>((r) => (this.opts.clock ?? systemClock).setTimer(r, this.opts.syncTimeoutMs ?? 5_000));
      await Promise.race([Promise.all(waits).then(() => undefined), timeout]);
    }
  }

  private start(key: string, resource: { group: string; version: string; kind: string; plural: string }): Promise<void> {
    const informer = new Informer<KubernetesObject>({
      clients: this.opts.clients,
      resource,
      labelSelector: ADDON_NAME_LABEL,
      logger: this.opts.logger.child({ informer: resource.plural }),
      resyncMs: 10 * 60_000,
    });
    const entry = { informer, synced: false };
    this.informers.set(key, entry);
    informer.on((event, obj) => {
      const addon = this.remember(resource, event, obj);
      if (addon && event !== "resync") this.opts.onChange(addon, event, obj);
    });
    void informer.synced.then(() => (entry.synced = true));
    void informer.start();
    return informer.synced;
  }

  /** Whether the kind's cache can answer (watched and listed once). */
  covers(ref: Pick<ObjectRef, "group" | "kind">): boolean {
    return this.informers.get(kindKey(ref.group, ref.kind))?.synced === true;
  }

  /**
   * The cached object: `undefined` when the kind is watched and synced but the object is not there
   * (or no longer carries the addon label), `"unknown"` when the cache cannot tell.
   */
  lookup(ref: ObjectRef): KubernetesObject | undefined | "unknown" {
    const entry = this.informers.get(kindKey(ref.group, ref.kind));
    if (!entry?.synced) return "unknown";
    return entry.informer.get(ref.name, ref.namespace);
  }

  /**
   * The uid of the object that was deleted (or lost the addon label) under this name, while the
   * cache still says it is gone; undefined for a re-created object or a kind the cache cannot tell.
   */
  deletedUid(ref: ObjectRef): string | undefined {
    if (this.lookup(ref) !== undefined) return undefined;
    return this.tombstones.get(refKey(ref));
  }

  /**
   * Keeps tombstones and which addon each object belongs to; returns that addon. An object that loses
   * the label leaves the watch with a delete event whose copy no longer names the addon.
   */
  private remember(resource: { group: string; kind: string }, event: InformerEvent, obj: KubernetesObject): string | undefined {
    const name = obj.metadata?.name;
    if (!name) return undefined;
    const namespace = obj.metadata?.namespace;
    const key = refKey({ group: resource.group, kind: resource.kind, ...(namespace ? { namespace } : {}), name });
    const labelled = obj.metadata?.labels?.[ADDON_NAME_LABEL];
    const addon = labelled ?? this.owners.get(key);
    if (event === "delete") {
      this.tombstones.set(key, obj.metadata?.uid ?? "");
      this.owners.delete(key);
    } else {
      this.tombstones.delete(key);
      if (labelled) this.owners.set(key, labelled);
    }
    return addon;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((e) => e.informer.stop()));
    this.informers.clear();
  }
}
