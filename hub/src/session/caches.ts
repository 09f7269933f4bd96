import { Informer, resources, type Clock, type KubeClients, type Logger } from "@flotilla/shared";
import type { V1ConfigMap, V1Secret } from "@kubernetes/client-node";
import type { ClusterManagementAddOn, ImagePolicy, ManagedCluster, ManagedClusterAddOn } from "../api/types.js";
import { VALUES_LABEL } from "../render/values-from.js";
import { untilAborted } from "../kube/abort.js";
import type { Caches, Enqueue } from "./context.js";
import { routeEvents } from "./events.js";
import { McaIndex } from "./mca-index.js";
import type { Stoppers } from "./stoppers.js";

export interface CacheOptions {
  clients: KubeClients;
  logger: Logger;
  resyncMs?: number;
  clock: Clock;
}

/**
 * The informers of the three kinds and of ImagePolicies (and of the labelled ConfigMaps and Secrets `valuesFrom` reads), the MCA index and the event routes, started and synced: no
 * reconcile ever sees a half-filled cache. Rejects with AbortedError if `signal` aborts first.
 */
export async function startCaches(o: CacheOptions, enqueue: Enqueue, stoppers: Stoppers, signal: AbortSignal): Promise<{ caches: Caches; mcaIndex: McaIndex }> {
  const informer = <T extends ManagedCluster | ClusterManagementAddOn | ManagedClusterAddOn | ImagePolicy>(r: (typeof resources)[keyof typeof resources]) =>
    new Informer<T>({ clients: o.clients, resource: r, logger: o.logger.child({ component: "informer", resource: r.plural }), clock: o.clock, ...(o.resyncMs ? { resyncMs: o.resyncMs } : {}) });
  const labelled = <T extends V1ConfigMap | V1Secret>(kind: "ConfigMap" | "Secret", plural: string) =>
    new Informer<T>({ clients: o.clients, resource: { group: "", version: "v1", plural, kind }, labelSelector: `${VALUES_LABEL}=true`, logger: o.logger.child({ component: "informer", resource: plural }), clock: o.clock, ...(o.resyncMs ? { resyncMs: o.resyncMs } : {}) });
  const caches: Caches = {
    clusters: informer<ManagedCluster>(resources.managedClusters),
    cmas: informer<ClusterManagementAddOn>(resources.clusterManagementAddOns),
    mcas: informer<ManagedClusterAddOn>(resources.managedClusterAddOns),
    imagePolicies: informer<ImagePolicy>(resources.imagePolicies),
    valuesConfigMaps: labelled<V1ConfigMap>("ConfigMap", "configmaps"),
    valuesSecrets: labelled<V1Secret>("Secret", "secrets"),
  };
  // The index subscribes first, so the routes below see it up to date.
  const mcaIndex = new McaIndex(caches.mcas);
  routeEvents(caches, mcaIndex, enqueue);
  const all = [caches.clusters, caches.cmas, caches.mcas, caches.imagePolicies, caches.valuesConfigMaps, caches.valuesSecrets] as const;
  for (const inf of all) {
    stoppers.push(() => inf.stop());
    void inf.start();
  }
  await untilAborted(Promise.all(all.map((i) => i.synced)), signal);
  return { caches, mcaIndex };
}
