import type { NatsConnection } from "@nats-io/transport-node";
import {
  BusCodec,
  connectBus,
  createRegistry,
  errorMessage,
  loadKubeConfig,
  makeClients,
  startHealthServer,
  ValuesValidator,
} from "@flotilla/shared";
import { AbortedError, sleep } from "./kube/abort.js";
import { LeaderElector } from "./leader/elector.js";
import { hubMetrics } from "./metrics/hub-metrics.js";
import { resolveLeaderElection, type HubHandle, type HubOptions } from "./options.js";
import { startSession, type Session } from "./session/session.js";

/** `status.agent.lastSeenTime` is written at most this often when nothing else changes. */
const LAST_SEEN_REFRESH_SECONDS = 300;

/**
 * Runs the hub: health and metrics at once; the bus connection in the background; the controllers
 * only while this process holds the leader lease.
 */
export async function runHub(opts: HubOptions): Promise<HubHandle> {
  const logger = opts.logger.child({ component: "hub" });
  const registry = opts.registry ?? createRegistry("hub");
  const clients = makeClients(loadKubeConfig(opts.kubeconfig));
  const election = resolveLeaderElection(opts.leaderElection);
  const codec = new BusCodec();
  const validator = new ValuesValidator();

  let session: Session | undefined;
  let leading = false;
  let starting: { abort: AbortController; done: Promise<void> } | undefined;
  const metrics = hubMetrics(registry, () => session?.caches);

  const health = await startHealthServer({
    addr: opts.metricsAddr ?? "127.0.0.1:0",
    registry,
    // A standby is ready (it is doing its job); a leader once its controllers run.
    ready: () => !leading || session !== undefined,
    logger,
  });

  const connecting = new AbortController();
  const bus = connectBus({ url: opts.natsUrl, ...(opts.natsCreds ? { credsFile: opts.natsCreds } : {}), name: `flotilla-hub ${election.identity}`, logger, signal: connecting.signal });
  let nc: NatsConnection | undefined;
  bus.then(
    (c) => (nc = c),
    (err: unknown) => {
      if (!connecting.signal.aborted) logger.error({ err: errorMessage(err) }, "could not connect to NATS");
    },
  );

  const startLeading = () => {
    leading = true;
    metrics.leader.set(1);
    const abort = new AbortController();
    const done = (async () => {
      for (let attempt = 1; !abort.signal.aborted; attempt++) {
        try {
          session = await startSession(
            {
              clients,
              bus,
              codec,
              validator,
              logger: opts.logger,
              registry,
              graceSeconds: opts.presenceGraceSeconds ?? 30,
              lastSeenRefreshSeconds: LAST_SEEN_REFRESH_SECONDS,
            },
            abort.signal,
          );
          return;
        } catch (err) {
          if (err instanceof AbortedError) return;
          const retryInMs = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
          logger.error({ err: errorMessage(err), retryInMs }, "could not start the controllers");
          await sleep(retryInMs, abort.signal);
        }
      }
    })();
    starting = { abort, done };
  };

  const stopLeading = async () => {
    leading = false;
    metrics.leader.set(0);
    if (starting) {
      starting.abort.abort();
      await starting.done;
      starting = undefined;
    }
    const s = session;
    session = undefined;
    await s?.stop();
    logger.info("controllers stopped");
  };

  const elector = new LeaderElector({
    clients,
    logger: opts.logger.child({ component: "leader" }),
    ...election,
    onStartedLeading: startLeading,
    onStoppedLeading: stopLeading,
  });
  metrics.leader.set(0);
  elector.start();

  let stopped: Promise<void> | undefined;
  return {
    metricsPort: health.port,
    isLeader: () => elector.isLeader(),
    stop: () =>
      (stopped ??= (async () => {
        await elector.stop();
        const conn = nc;
        if (conn) await conn.drain().catch(() => conn.close());
        else connecting.abort(); // still waiting for the first connection
        await health.close();
        logger.info("hub stopped");
      })()),
  };
}
