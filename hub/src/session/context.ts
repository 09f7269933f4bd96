import type { V1ConfigMap, V1Secret } from "@kubernetes/client-node";
import type { BusCodec, BusMetrics, Clock, Informer, KubeClients, Logger } from "@flotilla/shared";
import type { ClusterManagementAddOn, ImagePolicy, ManagedCluster, ManagedClusterAddOn } from "../api/types.js";
import type { EventRecorder } from "../kube/events.js";
import type { NamespaceEnsurer } from "../kube/namespaces.js";
import type { McaIndex } from "./mca-index.js";

export interface Caches {
  clusters: Informer<ManagedCluster>;
  cmas: Informer<ClusterManagementAddOn>;
  mcas: Informer<ManagedClusterAddOn>;
  /** Fleet-wide image policies (docs/image-policy.md). */
  imagePolicies: Informer<ImagePolicy>;
  /** ConfigMaps and Secrets labelled `addon.flotilla.dev/values=true`: what `valuesFrom` may read. */
  valuesConfigMaps: Informer<V1ConfigMap>;
  valuesSecrets: Informer<V1Secret>;
}

/** How controllers ask for a key to be looked at (the queues dedup and coalesce). */
export interface Enqueue {
  cma(addon: string, afterMs?: number): void;
  cluster(name: string): void;
  report(cluster: string, addon: string): void;
  /** A CMA's helm source to resolve (again). */
  source(addon: string): void;
}

/** What every controller of a leader session shares. */
export interface ControllerDeps {
  clients: KubeClients;
  caches: Caches;
  /** MCAs by addon and by cluster (never scan `caches.mcas.list()` in a reconcile). */
  mcaIndex: McaIndex;
  enqueue: Enqueue;
  namespaces: NamespaceEnsurer;
  events: EventRecorder;
  logger: Logger;
  codec: BusCodec;
  busMetrics: BusMetrics;
  clock: Clock;
}
