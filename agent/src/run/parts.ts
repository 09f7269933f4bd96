import type { KubeConfig } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import { BusCodec, DEFAULT_BACKOFF, WorkQueue, makeClients, type Clock, type Logger } from "@flotilla/shared";
import { Applier } from "../apply/applier.js";
import { RawObjectApi } from "../apply/object-api.js";
import type { DesiredReader } from "../bus/desired-reader.js";
import { StatusWriter } from "../bus/status-writer.js";
import { HealthCollector } from "../health/collect.js";
import { AddonIdentities } from "../identity/identities.js";
import { WorkloadWatch } from "../health/workload-watch.js";
import { AppliedAddOnStore } from "../inventory/store.js";
import type { agentMetrics } from "../metrics.js";
import type { ResolvedOptions } from "../options.js";
import { Heartbeat } from "../presence/heartbeat.js";
import { AddonReconciler } from "../reconcile/addon-reconciler.js";
import { AddonStates } from "../reconcile/addon-states.js";
import { DesiredSync } from "../reconcile/desired-sync.js";
import { AgentState } from "../reconcile/state.js";

export interface PartsInput {
  cluster: string;
  cfg: ResolvedOptions;
  kc: KubeConfig;
  /** Root logger bound to the cluster; each part gets a child with its component. */
  base: Logger;
  registry: Registry;
  metrics: ReturnType<typeof agentMetrics>;
  clock: Clock;
  signal: AbortSignal;
  /** The desired reader while the bus is connected. */
  reader: () => DesiredReader | undefined;
}

/** Everything the agent runs, wired to each other; nothing is started. */
export function buildParts(i: PartsInput) {
  const { cluster, cfg, base, metrics, clock, reader } = i;
  const clients = makeClients(i.kc);
  const api = RawObjectApi.forConfig(i.kc);
  const codec = new BusCodec();
  const state = new AgentState();
  const writer = new StatusWriter({ cluster, codec, metrics: metrics.bus, logger: base.child({ component: "status" }), clock });
  const applier = new Applier({ api, logger: base.child({ component: "applier" }), signal: i.signal, clock });
  const identity = cfg.addonIdentity
    ? new AddonIdentities({
        api, namespace: cfg.namespace, logger: base.child({ component: "identity" }), clock, signal: i.signal,
        makeApplier: (addonApi) => new Applier({ api: addonApi, logger: base.child({ component: "applier" }), signal: i.signal, clock }),
      })
    : undefined;
  const store = new AppliedAddOnStore(api, clients);
  // Watch events only ask for a look at the addon; its reconcile reads the watch's state.
  const workloads = new WorkloadWatch({ clients, logger: base.child({ component: "workloads" }), clock, onChange: (addon) => queue.add(addon) });
  const reconciler = new AddonReconciler({
    cluster, state, reader, applier, ...(identity ? { identity } : {}), store, workloads,
    collector: new HealthCollector(workloads, api),
    writer, metrics, states: new AddonStates(metrics.addons),
    logger: base.child({ component: "reconciler" }), healthPollMs: cfg.healthPollMs, resyncMs: cfg.resyncMs, clock,
  });
  const queue: WorkQueue = new WorkQueue({
    name: "agent-addons", reconcile: (addon) => reconciler.reconcile(addon), logger: base.child({ component: "queue" }),
    registry: i.registry, concurrency: 4, backoff: DEFAULT_BACKOFF, clock,
  });
  const sync = new DesiredSync({ state, reader, queue, metrics: metrics.bus, logger: base.child({ component: "desired" }), clock });
  const heartbeat = new Heartbeat({ cluster, agentVersion: cfg.version, intervalMs: cfg.heartbeatMs, kc: i.kc, writer, logger: base.child({ component: "presence" }), clock });
  return { api, codec, state, writer, store, workloads, queue, sync, heartbeat };
}

export type Parts = ReturnType<typeof buildParts>;
