import type { KubeConfig } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import { BusCodec, DEFAULT_BACKOFF, WorkQueue, makeClients, type Clock, type Logger } from "@flotilla/shared";
import { Applier } from "../apply/applier.js";
import { RawObjectApi } from "../apply/object-api.js";
import type { DesiredReader } from "../bus/desired-reader.js";
import { StatusWriter } from "../bus/status-writer.js";
import { HealthCollector } from "../health/collect.js";
import { AddonHooks } from "../hooks/addon-hooks.js";
import { HookRunner } from "../hooks/runner.js";
import { AddonIdentities } from "../identity/identities.js";
import { AppliedAddOnStore } from "../inventory/store.js";
import type { agentMetrics } from "../metrics.js";
import type { ResolvedOptions } from "../options.js";
import { Heartbeat } from "../presence/heartbeat.js";
import { AddonReconciler } from "../reconcile/addon-reconciler.js";
import { AddonStates } from "../reconcile/addon-states.js";
import { DesiredSync } from "../reconcile/desired-sync.js";
import { AgentState } from "../reconcile/state.js";
import { ObjectWatch } from "../watch/object-watch.js";

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
  // Watch events only ask for a look at the addon; its reconcile reads the watch's state.
  const watch = new ObjectWatch({
    clients, resolve: (apiVersion, kind) => api.resourceOf(apiVersion, kind), logger: base.child({ component: "watch" }), clock, onChange: (addon) => queue.add(addon),
  });
  const applier = new Applier({ api, cache: watch, logger: base.child({ component: "applier" }), signal: i.signal, clock });
  const identity = cfg.addonIdentity
    ? new AddonIdentities({
        api, namespace: cfg.namespace, logger: base.child({ component: "identity" }), clock, signal: i.signal,
        makeApplier: (addonApi) => new Applier({ api: addonApi, cache: watch, logger: base.child({ component: "applier" }), signal: i.signal, clock }),
      })
    : undefined;
  const store = new AppliedAddOnStore(api, clients);
  // Hooks run as the addon too: a hook may do no more than the addon's own objects.
  const runner = new HookRunner({
    api, ...(identity ? { apiFor: (addon: string) => identity.api(addon) } : {}), watch: clients.watch, logger: base.child({ component: "hooks" }), runs: metrics.hookRuns, clock, signal: i.signal,
  });
  const hooks = new AddonHooks({ runner, applier, ...(identity ? { applierFor: (addon: string) => identity.applier(addon) } : {}), defaultTimeoutMs: cfg.hookTimeoutMs });
  const reconciler = new AddonReconciler({
    cluster, state, reader, applier, hooks, ...(identity ? { identity } : {}), store, watch,
    collector: new HealthCollector(watch, api),
    writer, metrics, states: new AddonStates(metrics.addons),
    logger: base.child({ component: "reconciler" }), healthPollMs: cfg.healthPollMs, resyncMs: cfg.resyncMs, reapplyMs: cfg.reapplyMs, clock,
  });
  const queue: WorkQueue = new WorkQueue({
    name: "agent-addons", reconcile: (addon) => reconciler.reconcile(addon), logger: base.child({ component: "queue" }),
    registry: i.registry, concurrency: 4, backoff: DEFAULT_BACKOFF, clock,
  });
  const sync = new DesiredSync({ state, reader, queue, metrics: metrics.bus, logger: base.child({ component: "desired" }), clock });
  // A spoke API server back after an outage: every addon is looked at now, not at its backoff or the resync.
  const heartbeat = new Heartbeat({
    cluster, agentVersion: cfg.version, intervalMs: cfg.heartbeatMs, kc: i.kc, writer, logger: base.child({ component: "presence" }), clock,
    onSpokeBack: () => {
      for (const addon of state.knownAddons()) queue.add(addon);
    },
  });
  return { api, identity, codec, state, writer, store, watch, queue, sync, heartbeat };
}

export type Parts = ReturnType<typeof buildParts>;
