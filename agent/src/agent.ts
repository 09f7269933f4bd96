import { CoreV1Api } from "@kubernetes/client-node";
import { DEFAULT_BACKOFF, createRegistry, errorMessage, kubeErrorMessage, loadKubeConfig, retryUntil, startHealthServer, stopWithin, systemClock, type Clock, type Logger } from "@flotilla/shared";
import { AgentCredentials } from "./credentials/agent-credentials.js";
import { CredentialStore } from "./credentials/store.js";
import type { DesiredReader } from "./bus/desired-reader.js";
import { BusSession } from "./bus/session.js";
import { agentMetrics } from "./metrics.js";
import { resolveOptions, type AgentHandle, type AgentOptions } from "./options.js";
import { diffResponder } from "./diff/index.js";
import { busEvents } from "./run/bus-events.js";
import { buildParts, type Parts } from "./run/parts.js";
import { ResyncTimer } from "./run/resync.js";
import { startSpoke } from "./run/spoke.js";

/** Longest wait, on stop, for in-flight reconciles. */
const QUEUE_STOP_DEADLINE_MS = 2_000;

/**
 * Starts the agent and returns at once with a handle; the spoke side (CRD, AppliedAddOns) and the
 * bus come up in the background, each retrying until they can, so neither a missing NATS nor a slow
 * API server holds up the caller or its SIGTERM handling.
 */
export async function runAgent(opts: AgentOptions): Promise<AgentHandle> {
  const cfg = resolveOptions(opts);
  const { cluster } = opts;
  const clock = opts.clock ?? systemClock;
  // Every line carries the cluster once (the CLI may have bound it already) and one component.
  const base = "cluster" in opts.logger.bindings() ? opts.logger : opts.logger.child({ cluster });
  const logger = base.child({ component: "agent" });
  const registry = opts.registry ?? createRegistry("agent", { cluster });
  const metrics = agentMetrics(registry);
  const abort = new AbortController();

  let desiredReader: DesiredReader | undefined;
  /** The agent's own credentials when it registers (`--bootstrap-creds`); they also open sealed bundles. */
  let credentials: AgentCredentials | undefined;
  // Reads are not attempted while disconnected (they would only wait out their timeout); the
  // reconnect triggers a fresh read of everything instead.
  const reader = () => (session.connected ? desiredReader : undefined);
  const kc = loadKubeConfig(opts.kubeconfig);
  const parts = buildParts({ cluster, cfg, kc, base, registry, metrics, clock, signal: abort.signal, reader });
  const diff = diffResponder({ cluster, api: parts.api, ...(parts.identity ? { identity: parts.identity } : {}), codec: parts.codec, metrics: metrics.bus, logger: base.child({ component: "diff" }), signal: abort.signal, open: () => (credentials ? (b) => credentials!.open(b) : undefined) });
  const session: BusSession = new BusSession({
    url: opts.natsUrl, ...(opts.natsCreds ? { credsFile: opts.natsCreds } : {}), cluster, logger: base.child({ component: "bus" }),
    serve: (nc) => [diff.subscribe(nc)],
    // The session starts after the credentials are obtained, so the opener is known by the first read.
    ...busEvents(parts, { cluster, connected: metrics.busConnected, setReader: (r) => (desiredReader = r), opener: () => (credentials ? (b) => credentials!.open(b) : undefined) }),
  });
  const resync = new ResyncTimer({ clock, periodMs: cfg.resyncMs, tick: () => lookAtEverything(parts) });

  let crdInstalled = false;
  const ready = () => crdInstalled && parts.heartbeat.spokeOk !== false;
  const health = await startHealthServer({ addr: cfg.metricsAddr, registry, ready, logger });

  const started = (async () => {
    await startSpoke(parts, { logger, signal: abort.signal, clock, onCrdInstalled: () => (crdInstalled = true) });
    if (opts.bootstrapCreds) {
      const bootstrapCredsFile = opts.bootstrapCreds;
      const credsLogger = base.child({ component: "credentials" });
      const store = new CredentialStore(kc.makeApiClient(CoreV1Api), cfg.namespace, opts.credentialsSecret ?? "flotilla-agent-credentials");
      credentials = await retryUntil(
        () => AgentCredentials.obtain({ cluster, natsUrl: opts.natsUrl, bootstrapCredsFile, store, codec: parts.codec, agentVersion: cfg.version, logger: credsLogger, clock, signal: abort.signal }),
        {
          policy: DEFAULT_BACKOFF, clock, signal: abort.signal, isRetryable: () => true,
          onRetry: (err, attempt, retryInMs) => credsLogger.warn({ err: errorMessage(err), attempt, retryInMs }, "cannot obtain this cluster's bus credentials yet; retrying"),
        },
      );
      session.useAuthenticator(credentials.authenticator());
      credentials.startRenewal(() => session.connection);
    }
    session.start();
    parts.heartbeat.start();
    resync.start();
  })();
  started.catch((err: unknown) => {
    if (!abort.signal.aborted) logger.error({ err: kubeErrorMessage(err) }, "agent failed to start");
  });

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (credentials?.stop(), stopAll({ parts, session, resync, health, abort, clock, logger })));
  return { stop, metricsPort: health.port, ready, started };
}

/** Re-read the index and look at every addon known (each decides what is due). */
function lookAtEverything(p: Parts): void {
  for (const addon of p.state.knownAddons()) p.queue.add(addon);
  p.sync.request();
}

/** Stops in the order that loses nothing: no new work, the queue drained, the last reports flushed (bounded). */
async function stopAll(s: {
  parts: Parts;
  session: BusSession;
  resync: ResyncTimer;
  health: { close(): Promise<void> };
  abort: AbortController;
  clock: Clock;
  logger: Logger;
}): Promise<void> {
  const { parts, logger } = s;
  logger.info("stopping");
  s.abort.abort();
  s.resync.stop();
  parts.sync.stop();
  parts.heartbeat.stop();
  // Bounded: a reconcile waiting on a spoke API server that is gone would hold the queue forever.
  await stopWithin(() => parts.queue.stop(), QUEUE_STOP_DEADLINE_MS, logger, s.clock);
  await Promise.race([parts.writer.idle(), s.clock.sleep(1000)]);
  parts.writer.stop();
  await s.session.stop();
  await parts.watch.stop();
  await s.health.close();
  logger.info("stopped");
}
