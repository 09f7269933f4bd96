import type { NatsConnection } from "@nats-io/transport-node";
import {
  Informer,
  WorkQueue,
  busMetrics,
  ensureBuckets,
  resources,
  type BusCodec,
  type KubeClients,
  type Logger,
  type Reconciler,
  type ValuesValidator,
} from "@flotilla/shared";
import type { Registry } from "prom-client";
import type { ClusterManagementAddOn, ManagedCluster, ManagedClusterAddOn } from "../api/types.js";
import { DesiredStore } from "../bus/desired-store.js";
import { ClustersController } from "../controllers/clusters/controller.js";
import { Publisher } from "../controllers/clusters/publisher.js";
import { RenderCache } from "../controllers/clusters/render-cache.js";
import { PlacementController } from "../controllers/placement/controller.js";
import { RevisionRecorder } from "../controllers/placement/revisions.js";
import { StatusController } from "../controllers/status/controller.js";
import { StatusWatcher } from "../controllers/status/watcher.js";
import { sleep, untilAborted } from "../kube/abort.js";
import { EventRecorder } from "../kube/events.js";
import { NamespaceEnsurer } from "../kube/namespaces.js";
import { ReportStore } from "../presence/reports.js";
import { PresenceStore } from "../presence/store.js";
import type { Caches, ControllerDeps, Enqueue } from "./context.js";
import { routeEvents } from "./events.js";

/** Longest wait for the status replay before the controllers start anyway. */
const STATUS_REPLAY_WAIT_MS = 10_000;

export interface SessionOptions {
  clients: KubeClients;
  bus: Promise<NatsConnection>;
  codec: BusCodec;
  /** One per hub: its compiled schemas outlive a session. */
  validator: ValuesValidator;
  logger: Logger;
  registry: Registry;
  graceSeconds: number;
  lastSeenRefreshSeconds: number;
  resyncMs?: number;
  now?: () => number;
}

/** Everything that runs while this hub leads; stopped as a whole when leadership ends. */
export interface Session {
  readonly caches: Caches;
  stop(): Promise<void>;
}

/**
 * Starts the leader's controllers: caches first (and the bus state they build on), then queues,
 * so no reconcile ever sees a half-filled cache. Rejects with AbortedError if `signal` aborts first.
 */
export async function startSession(o: SessionOptions, signal: AbortSignal): Promise<Session> {
  const logger = o.logger;
  const now = o.now ?? Date.now;
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stoppers.reverse()) await s().catch((err: unknown) => logger.warn({ err: String(err) }, "stop failed"));
  };
  try {
    const nc = await untilAborted(o.bus, signal);
    const { desired, status } = await untilAborted(ensureBuckets(nc), signal);
    const metrics = busMetrics(o.registry);

    const informer = <T extends ManagedCluster | ClusterManagementAddOn | ManagedClusterAddOn>(r: (typeof resources)[keyof typeof resources]) =>
      new Informer<T>({ clients: o.clients, resource: r, logger: logger.child({ component: "informer", resource: r.plural }), ...(o.resyncMs ? { resyncMs: o.resyncMs } : {}) });
    const caches: Caches = {
      clusters: informer<ManagedCluster>(resources.managedClusters),
      cmas: informer<ClusterManagementAddOn>(resources.clusterManagementAddOns),
      mcas: informer<ManagedClusterAddOn>(resources.managedClusterAddOns),
    };

    const queues: { cma?: WorkQueue; cluster?: WorkQueue; report?: WorkQueue } = {};
    const enqueue: Enqueue = {
      cma: (addon, afterMs) => (afterMs ? queues.cma?.addAfter(addon, afterMs) : queues.cma?.add(addon)),
      cluster: (name) => queues.cluster?.add(name),
      report: (cluster, addon) => queues.report?.add(`${cluster}/${addon}`),
    };
    routeEvents(caches, enqueue);
    for (const inf of Object.values(caches) as Informer<ManagedCluster>[]) {
      stoppers.push(() => inf.stop());
      void inf.start();
    }
    await untilAborted(Promise.all(Object.values(caches).map((i: Informer<ManagedCluster>) => i.synced)), signal);

    const store = new DesiredStore(desired, o.codec, metrics, logger.child({ component: "desired-store" }));
    await untilAborted(store.load(), signal);

    const base: ControllerDeps = {
      clients: o.clients,
      caches,
      enqueue,
      namespaces: new NamespaceEnsurer(o.clients),
      events: new EventRecorder(o.clients, logger.child({ component: "events" }), now),
      logger,
      codec: o.codec,
      busMetrics: metrics,
      now,
    };
    const presence = new PresenceStore();
    const reports = new ReportStore();
    const placement = new PlacementController({
      ...base,
      logger: logger.child({ component: "placement" }),
      revisions: new RevisionRecorder(o.clients, logger.child({ component: "revisions" })),
      validator: o.validator,
    });
    const clusters = new ClustersController({
      ...base,
      logger: logger.child({ component: "clusters" }),
      presence,
      store,
      publisher: new Publisher(store, logger.child({ component: "publisher" })),
      renderCache: new RenderCache(),
      validator: o.validator,
      graceSeconds: o.graceSeconds,
      lastSeenRefreshSeconds: o.lastSeenRefreshSeconds,
    });
    const statusController = new StatusController({ ...base, logger: logger.child({ component: "status" }), reports });

    const watcher = new StatusWatcher({
      kv: status,
      codec: o.codec,
      metrics,
      logger: logger.child({ component: "status-watcher" }),
      presence,
      reports,
      graceSeconds: o.graceSeconds,
      onCluster: (c) => enqueue.cluster(c),
      onReport: (c, a) => enqueue.report(c, a),
      now,
    });

    const q = (name: string, reconcile: Reconciler, concurrency: number) =>
      new WorkQueue({ name, reconcile, logger: logger.child({ component: "queue", queue: name }), registry: o.registry, concurrency });
    queues.cma = q("cma", (k) => placement.reconcile(k), 4);
    queues.cluster = q("cluster", (k) => clusters.reconcile(k), 16);
    queues.report = q("report", (k) => statusController.reconcile(k), 16);
    for (const wq of [queues.cma, queues.cluster, queues.report]) stoppers.push(() => wq.stop());

    watcher.start();
    stoppers.push(() => watcher.stop());
    await untilAborted(Promise.race([watcher.synced, sleep(STATUS_REPLAY_WAIT_MS)]), signal);
    const busStatus = nc.status() as AsyncIterable<{ type: string }> & { stop(): void };
    void (async () => {
      for await (const s of busStatus) if (s.type === "reconnect") watcher.resume();
    })();
    stoppers.push(async () => busStatus.stop());

    // Level-based start: every object, and every cluster that still has keys on the bus.
    for (const cma of caches.cmas.list()) enqueue.cma(cma.metadata?.name ?? "");
    const names = new Set([...caches.clusters.list().map((c) => c.metadata?.name ?? ""), ...store.clusterNames()]);
    for (const n of names) enqueue.cluster(n);
    logger.child({ component: "hub" }).info({ clusters: caches.clusters.list().length, addons: caches.cmas.list().length, mcas: caches.mcas.list().length }, "controllers started");
    return { caches, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
