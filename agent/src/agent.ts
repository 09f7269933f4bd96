import { setTimeout as sleep } from "node:timers/promises";
import { BusCodec, WorkQueue, createRegistry, kubeErrorMessage, loadKubeConfig, makeClients, startHealthServer, type Logger } from "@flotilla/shared";
import { Applier } from "./apply/applier.js";
import { RawObjectApi } from "./apply/object-api.js";
import { DesiredReader } from "./bus/desired-reader.js";
import { BusSession } from "./bus/session.js";
import { StatusWriter } from "./bus/status-writer.js";
import { HealthCollector } from "./health/collect.js";
import { WorkloadWatch } from "./health/workload-watch.js";
import { installAgentCrds } from "./inventory/crd-install.js";
import { AppliedAddOnStore } from "./inventory/store.js";
import { agentMetrics } from "./metrics.js";
import { resolveOptions, type AgentHandle, type AgentOptions } from "./options.js";
import { parseHint } from "./plan/hint.js";
import { jittered } from "./plan/work-plan.js";
import { Heartbeat } from "./presence/heartbeat.js";
import { AddonReconciler } from "./reconcile/addon-reconciler.js";
import { AddonStates } from "./reconcile/addon-states.js";
import { DesiredSync } from "./reconcile/desired-sync.js";
import { AgentState } from "./reconcile/state.js";

/**
 * Starts the agent and returns at once with a handle; the spoke side (CRD, AppliedAddOns) and the
 * bus come up in the background, each retrying until they can, so neither a missing NATS nor a slow
 * API server holds up the caller or its SIGTERM handling.
 */
export async function runAgent(opts: AgentOptions): Promise<AgentHandle> {
  const cfg = resolveOptions(opts);
  const { cluster } = opts;
  // Every line carries the cluster once (the CLI may have bound it already) and one component.
  const base = "cluster" in opts.logger.bindings() ? opts.logger : opts.logger.child({ cluster });
  const logger = base.child({ component: "agent" });
  const registry = opts.registry ?? createRegistry("agent");
  const metrics = agentMetrics(registry);
  const abort = new AbortController();
  const now = () => new Date();

  const kc = loadKubeConfig(opts.kubeconfig);
  const clients = makeClients(kc);
  const api = RawObjectApi.forConfig(kc);
  const codec = new BusCodec();
  const state = new AgentState();
  let desiredReader: DesiredReader | undefined;
  // Reads are not attempted while disconnected (they would only wait out their timeout); the
  // reconnect triggers a fresh read of everything instead.
  const reader = () => (session.connected ? desiredReader : undefined);
  let crdInstalled = false;
  let spokeOk = false;

  const writer = new StatusWriter({ cluster, codec, metrics: metrics.bus, logger: base.child({ component: "status" }) });
  const applier = new Applier({ api, logger: base.child({ component: "applier" }), signal: abort.signal });
  const store = new AppliedAddOnStore(api, clients);
  const workloads = new WorkloadWatch({
    clients,
    logger: base.child({ component: "workloads" }),
    onChange: (addon, event, obj) => {
      const mem = state.peek(addon);
      const uid = obj.metadata?.uid;
      const owned = uid !== undefined && state.records.get(addon)?.inventory.some((i) => i.uid === uid);
      if (event === "delete" && mem) {
        // Forget the copy the apply returned, or health would judge a deleted object by it.
        for (const [key, o] of mem.live) if (o.metadata.uid === uid) mem.live.delete(key);
      }
      if (event === "delete" && owned && mem && !mem.uninstalling && mem.bundle?.driftPolicy !== "Report") {
        logger.info({ addon, object: `${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}` }, "applied object deleted by someone else; re-applying");
        mem.reapply = true;
      }
      q.add(addon); // only called once informers run, after q exists
    },
  });
  const reconciler = new AddonReconciler({
    cluster, state, reader, applier, store, workloads,
    collector: new HealthCollector(workloads, api),
    writer, metrics, states: new AddonStates(metrics.addons),
    logger: base.child({ component: "reconciler" }), healthPollMs: cfg.healthPollMs, now,
  });
  const q = new WorkQueue({
    name: "agent-addons", reconcile: (addon) => reconciler.reconcile(addon), logger: base.child({ component: "queue" }),
    registry, concurrency: 4, backoffBaseMs: 500, backoffMaxMs: 30_000,
  });
  const sync = new DesiredSync({ state, reader, queue: q, metrics: metrics.bus, logger: base.child({ component: "desired" }) });
  const heartbeat = new Heartbeat({
    cluster, agentVersion: cfg.version, intervalMs: cfg.heartbeatMs, kc, writer, logger: base.child({ component: "presence" }), now,
    onSpokeProbe: (ok) => (spokeOk = ok),
  });
  const session = new BusSession({
    url: opts.natsUrl, ...(opts.natsCreds ? { credsFile: opts.natsCreds } : {}), cluster, logger: base.child({ component: "bus" }),
    onReady: (buckets) => {
      desiredReader = new DesiredReader(buckets.desired, codec, cluster);
      writer.attach(buckets.status);
      writer.setConnected(true);
      metrics.busConnected.set(1);
      sync.request();
      void heartbeat.beat();
    },
    onHint: (subject) => {
      const h = parseHint(subject, cluster);
      if (h.kind === "index") sync.request(true);
      else if (h.kind === "bundle") {
        const mem = state.peek(h.addon);
        if (mem) mem.rejectedDigest = undefined;
        q.add(h.addon);
      }
    },
    onReconnect: () => {
      metrics.busConnected.set(1);
      writer.setConnected(true);
      sync.request();
      void heartbeat.beat();
    },
    onDisconnect: () => {
      metrics.busConnected.set(0);
      writer.setConnected(false);
    },
  });

  // Level-based safety net: re-read the index, re-apply (drift) and re-send every report.
  let resyncTimer: NodeJS.Timeout | undefined;
  const resync = () => {
    for (const addon of state.knownAddons()) {
      const mem = state.memory(addon);
      mem.resync = true;
      mem.forcePut = true;
      q.add(addon);
    }
    sync.request();
    resyncTimer = setTimeout(resync, jittered(cfg.resyncMs, 0.2, Math.random));
    resyncTimer.unref();
  };

  const health = await startHealthServer({ addr: cfg.metricsAddr, registry, ready: () => crdInstalled && spokeOk, logger });

  const started = (async () => {
    await retry(() => installAgentCrds(api, logger, abort.signal), "install the AppliedAddOn CRD", logger, abort.signal);
    crdInstalled = true;
    spokeOk = true;
    const records = await retry(() => store.list(), "list AppliedAddOns", logger, abort.signal);
    for (const r of records) state.records.set(r.addon, r);
    logger.info({ addons: records.map((r) => r.addon) }, "loaded applied addons");
    await workloads.ensure(records.flatMap((r) => r.inventory));
    session.start();
    heartbeat.start();
    resyncTimer = setTimeout(resync, jittered(cfg.resyncMs, 0.2, Math.random));
    resyncTimer.unref();
  })();
  started.catch((err: unknown) => {
    if (!abort.signal.aborted) logger.error({ err: kubeErrorMessage(err) }, "agent failed to start");
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info("stopping");
      abort.abort();
      clearTimeout(resyncTimer);
      sync.stop();
      heartbeat.stop();
      await q.stop();
      await Promise.race([writer.idle(), sleep(1000)]);
      writer.stop();
      await session.stop();
      await workloads.stop();
      await health.close();
      logger.info("stopped");
    })());

  return { stop, metricsPort: health.port, ready: () => crdInstalled && spokeOk, started };
}

/** Runs `fn` until it succeeds, backing off up to 30 s; rejects only when aborted. */
async function retry<T>(fn: () => Promise<T>, what: string, logger: Logger, signal: AbortSignal): Promise<T> {
  for (let attempt = 1, delay = 500; ; attempt++, delay = Math.min(delay * 2, 30_000)) {
    signal.throwIfAborted();
    try {
      return await fn();
    } catch (err) {
      signal.throwIfAborted();
      logger.warn({ err: kubeErrorMessage(err), attempt, retryInMs: delay }, `cannot ${what} yet; retrying`);
      await sleep(delay, undefined, { signal });
    }
  }
}
