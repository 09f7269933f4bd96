import type { Informer, InformerEvent } from "@flotilla/shared";
import type { ManagedClusterAddOn } from "../api/types.js";

type McaCache = Pick<Informer<ManagedClusterAddOn>, "get" | "list" | "on">;

/**
 * MCAs by addon and by cluster, so a reconcile of one addon reads its own MCAs rather than scanning
 * every MCA of the fleet (30,000 objects at 10,000 clusters). An MCA is named after its addon and
 * lives in its cluster's namespace; the index keeps only those keys, fed by the informer's events,
 * and reads the objects from the cache so it never holds a stale copy.
 */
export class McaIndex {
  /** addon → clusters that have an MCA for it. */
  private readonly byAddon = new Map<string, Set<string>>();

  constructor(private readonly cache: McaCache) {
    cache.on((event, mca) => this.observe(event, mca));
  }

  /** Keeps the index in line with one informer event (public for tests). */
  observe(event: InformerEvent, mca: ManagedClusterAddOn): void {
    const addon = mca.metadata?.name ?? "";
    const cluster = mca.metadata?.namespace ?? "";
    if (event === "delete") {
      const set = this.byAddon.get(addon);
      set?.delete(cluster);
      if (set?.size === 0) this.byAddon.delete(addon);
      return;
    }
    let set = this.byAddon.get(addon);
    if (!set) this.byAddon.set(addon, (set = new Set()));
    set.add(cluster);
  }

  /** The MCAs of one addon (one per cluster that has it). */
  ofAddon(addon: string): ManagedClusterAddOn[] {
    const out: ManagedClusterAddOn[] = [];
    for (const cluster of this.byAddon.get(addon) ?? []) {
      const mca = this.cache.get(addon, cluster);
      if (mca) out.push(mca);
    }
    return out;
  }

  /** The MCAs in one cluster's namespace (the cache keeps objects by namespace already). */
  ofCluster(cluster: string): readonly ManagedClusterAddOn[] {
    return this.cache.list(cluster);
  }
}
