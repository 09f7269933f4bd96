import type { NatsConnection } from "@nats-io/transport-node";
import { busMetrics, ensureBuckets, FLOTILLA_VERSION, systemClock, type BusCodec, type Clock, type KubeClients, type Logger, type ValuesValidator } from "@flotilla/shared";
import type { Registry } from "prom-client";
import { DesiredStore } from "../bus/desired-store.js";
import type { StatusWatcher } from "../controllers/status/watcher.js";
import { pause, untilAborted } from "../kube/abort.js";
import { startCaches } from "./caches.js";
import type { Caches, Enqueue } from "./context.js";
import type { ChartTools } from "./charts.js";
import { buildControllers } from "./controllers.js";
import { SessionQueues } from "./queues.js";
import type { BusCredentials } from "../credentials/bus-credentials.js";
import { RegistrationService } from "../controllers/registration/service.js";
import { AgentInstallService, type AgentInstallOptions } from "../controllers/agentinstall/service.js";
import { EventRecorder } from "../kube/events.js";
import { Stoppers } from "./stoppers.js";

/** Longest wait for the status replay before the controllers start anyway. */
const STATUS_REPLAY_WAIT_MS = 10_000;

export interface SessionOptions {
  clients: KubeClients;
  bus: Promise<NatsConnection>;
  codec: BusCodec;
  /** One per hub: its compiled schemas outlive a session. */
  validator: ValuesValidator;
  /** One per hub: the chart cache and the render cache outlive a session. */
  charts: ChartTools;
  logger: Logger;
  registry: Registry;
  graceSeconds: number;
  lastSeenRefreshSeconds: number;
  /** Minting and revoking bus credentials; undefined without `--nats-issuer`. */
  busCredentials: BusCredentials | undefined;
  credentialsTtlSeconds: number;
  tokenNamespace: string;
  /** What the hub installs into clusters with `spec.agentInstall`. */
  agentInstall: AgentInstallOptions;
  resyncMs?: number;
  clock?: Clock;
}

/** Everything that runs while this hub leads; stopped as a whole when leadership ends. */
export interface Session {
  readonly caches: Caches;
  stop(): Promise<void>;
}

/**
 * Starts the leader's controllers: the bus buckets, then the caches and the desired state they build
 * on, then the queues and the status replay, then one pass over everything (level-based start).
 * Rejects with AbortedError if `signal` aborts first, having stopped what it started.
 */
export async function startSession(o: SessionOptions, signal: AbortSignal): Promise<Session> {
  const clock = o.clock ?? systemClock;
  const stoppers = new Stoppers(o.logger);
  try {
    const nc = await untilAborted(o.bus, signal);
    const { desired, status } = await untilAborted(ensureBuckets(nc), signal);
    const metrics = busMetrics(o.registry);
    const queues = new SessionQueues();
    const { caches, mcaIndex } = await startCaches({ ...o, clock }, queues, stoppers, signal);
    const store = new DesiredStore(desired, o.codec, metrics, o.logger.child({ component: "desired-store" }));
    await untilAborted(store.load(), signal);

    const c = buildControllers({ ...o, clock }, { caches, mcaIndex, enqueue: queues, store, statusKv: status, busMetrics: metrics });
    queues.start({ cma: (k) => c.placement.reconcile(k), cluster: (k) => c.clusters.reconcile(k), report: (k) => c.status.reconcile(k), source: (k) => c.sources.reconcile(k) }, { ...o, clock }, stoppers);
    c.config.start();
    stoppers.push(() => c.config.stop());
    const registration = new RegistrationService({
      clients: o.clients, clusters: caches.clusters, codec: o.codec, busMetrics: metrics, registry: o.registry,
      events: new EventRecorder(o.clients, o.logger.child({ component: "events" }), clock),
      credentials: o.busCredentials, tokenNamespace: o.tokenNamespace, credentialsTtlSeconds: o.credentialsTtlSeconds, logger: o.logger, clock,
    });
    stoppers.push(() => registration.stop());
    await untilAborted(registration.start(nc), signal);
    const installer = new AgentInstallService({
      ...o.agentInstall, clients: o.clients, clusters: caches.clusters, tokenNamespace: o.tokenNamespace, canMint: o.busCredentials !== undefined, version: FLOTILLA_VERSION,
      events: new EventRecorder(o.clients, o.logger.child({ component: "events" }), clock), registry: o.registry, logger: o.logger, clock,
    });
    installer.start();
    stoppers.push(() => installer.stop());
    await replayStatus(c.watcher, nc, clock, stoppers, signal);
    enqueueEverything(caches, store.clusterNames(), queues);
    o.logger.child({ component: "hub" }).info({ clusters: caches.clusters.list().length, addons: caches.cmas.list().length, mcas: caches.mcas.list().length }, "controllers started");
    return { caches, stop: () => stoppers.stopAll() };
  } catch (err) {
    await stoppers.stopAll();
    throw err;
  }
}

/**
 * Starts the status watcher and waits (a bounded time) for its replay of the bucket, so controllers
 * that read presence do not start from an empty picture; resumes the watch after each reconnect.
 */
async function replayStatus(watcher: StatusWatcher, nc: NatsConnection, clock: Clock, stoppers: Stoppers, signal: AbortSignal): Promise<void> {
  watcher.start();
  stoppers.push(() => watcher.stop());
  await untilAborted(Promise.race([watcher.synced, pause(clock, STATUS_REPLAY_WAIT_MS, signal)]), signal);
  const busStatus = nc.status() as AsyncIterable<{ type: string }> & { stop(): void };
  void (async () => {
    for await (const s of busStatus) if (s.type === "reconnect") watcher.resume();
  })();
  stoppers.push(async () => busStatus.stop());
}

/** Level-based start: every addon, and every cluster known to the API server or still holding keys on the bus. */
export function enqueueEverything(caches: Pick<Caches, "cmas" | "clusters">, busClusters: Iterable<string>, enqueue: Pick<Enqueue, "cma" | "cluster" | "source">): void {
  for (const cma of caches.cmas.list()) {
    enqueue.cma(cma.metadata?.name ?? "");
    if (cma.spec?.source?.helm) enqueue.source(cma.metadata?.name ?? "");
  }
  const names = new Set([...caches.clusters.list().map((c) => c.metadata?.name ?? ""), ...busClusters]);
  for (const n of names) enqueue.cluster(n);
}
