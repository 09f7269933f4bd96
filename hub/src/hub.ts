import type { NatsConnection } from "@nats-io/transport-node";
import { BusCodec, connectBus, drainWithin, createRegistry, errorMessage, FLOTILLA_VERSION, loadKubeConfig, makeClients, startHealthServer, systemClock, ValuesValidator, type Logger } from "@flotilla/shared";
import { HUB_VERSION_ANNOTATION } from "./api/names.js";
import { LeaderElector } from "./leader/elector.js";
import { Leadership } from "./leader/leadership.js";
import { hubMetrics } from "./metrics/hub-metrics.js";
import { defaultAgentImage, resolveLeaderElection, type HubHandle, type HubOptions } from "./options.js";
import { startSession } from "./session/session.js";
import { chartTools } from "./session/charts.js";
import { loadBusCredentials } from "./credentials/bus-credentials.js";

/** `status.agent.lastSeenTime` is written at most this often when nothing else changes. */
const LAST_SEEN_REFRESH_SECONDS = 300;

/**
 * Runs the hub: health and metrics at once; the bus connection in the background; the controllers
 * only while this process holds the leader lease.
 */
export async function runHub(opts: HubOptions): Promise<HubHandle> {
  const logger = opts.logger.child({ component: "hub" });
  const clock = opts.clock ?? systemClock;
  const registry = opts.registry ?? createRegistry("hub");
  const clients = makeClients(loadKubeConfig(opts.kubeconfig));
  const election = resolveLeaderElection(opts.leaderElection);
  // A bad issuer file stops the hub here, naming the file and the field.
  const busCredentials = opts.credentials?.issuerFile ? await loadBusCredentials({ file: opts.credentials.issuerFile, natsUrl: opts.natsUrl, logger: opts.logger, clock }) : undefined;
  const bus = connectInBackground(opts, `flotilla-hub ${election.identity}`, logger);

  const codec = new BusCodec();
  const validator = new ValuesValidator();
  const charts = chartTools(opts.charts ?? {}, { clients, validator, logger: opts.logger });
  const sessionOptions = { clients, bus: bus.connection, codec, validator, charts, logger: opts.logger, registry, clock, graceSeconds: opts.presenceGraceSeconds ?? 30, lastSeenRefreshSeconds: LAST_SEEN_REFRESH_SECONDS,
    busCredentials, credentialsTtlSeconds: opts.credentials?.ttlSeconds ?? 86_400, tokenNamespace: opts.credentials?.tokenNamespace ?? "flotilla-system",
    agentInstall: { image: opts.agentInstall?.image ?? defaultAgentImage(FLOTILLA_VERSION), natsUrl: opts.agentInstall?.natsUrl ?? opts.natsUrl } };
  const leadership: Leadership = new Leadership({
    startSession: (signal) => startSession(sessionOptions, signal),
    onLeading: (leading) => metrics.leader.set(leading ? 1 : 0),
    clock,
    logger,
  });
  const metrics = hubMetrics(registry, () => leadership.current?.caches, () => charts.renderer.stats());
  metrics.leader.set(0);

  const health = await startHealthServer({
    addr: opts.metricsAddr ?? "127.0.0.1:0",
    registry,
    // A standby is ready (it is doing its job); a leader once its controllers run.
    ready: () => !leadership.isLeading() || leadership.current !== undefined,
    logger,
  });

  const elector = new LeaderElector({
    clients,
    logger: opts.logger.child({ component: "leader" }),
    ...election,
    clock,
    annotations: { [HUB_VERSION_ANNOTATION]: FLOTILLA_VERSION },
    onStartedLeading: () => leadership.start(),
    onStoppedLeading: () => leadership.stop(),
  });
  elector.start();

  let stopped: Promise<void> | undefined;
  return {
    metricsPort: health.port,
    isLeader: () => elector.isLeader(),
    stop: () =>
      (stopped ??= (async () => {
        await elector.stop();
        await bus.close();
        await busCredentials?.close();
        await health.close();
        await charts.close();
        logger.info("hub stopped");
      })()),
  };
}

/** Connects to NATS, retrying in the background; `close` drains the connection or gives up waiting for it. */
function connectInBackground(opts: HubOptions, name: string, logger: Logger): { connection: Promise<NatsConnection>; close(): Promise<void> } {
  const connecting = new AbortController();
  const connection = connectBus({ url: opts.natsUrl, ...(opts.natsCreds ? { credsFile: opts.natsCreds } : {}), name, logger, signal: connecting.signal });
  let nc: NatsConnection | undefined;
  connection.then(
    (c) => (nc = c),
    (err: unknown) => {
      if (!connecting.signal.aborted) logger.error({ err: errorMessage(err) }, "could not connect to NATS");
    },
  );
  return {
    connection,
    async close() {
      const conn = nc;
      if (conn) await drainWithin(conn, logger);
      else connecting.abort(); // still waiting for the first connection
    },
  };
}
