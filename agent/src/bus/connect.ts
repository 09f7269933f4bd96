import { setTimeout as sleep } from "node:timers/promises";
import { readFile } from "node:fs/promises";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "@flotilla/shared";

export interface AgentConnectOptions {
  url: string;
  credsFile?: string;
  name: string;
  inboxPrefix: string;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * Like shared `connectBus` (same reconnect settings once connected), but the wait for the first
 * connection is this loop rather than the client's `waitOnFirstConnect`, which cannot be cancelled:
 * an agent stopped before NATS ever came up must not keep dialling. Rejects only when aborted.
 */
export async function connectUntilAborted(opts: AgentConnectOptions): Promise<NatsConnection> {
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    opts.signal.throwIfAborted();
    try {
      // Re-read each time: the credentials file may be rotated while the server is unreachable.
      const authenticator = opts.credsFile ? credsAuthenticator(await readFile(opts.credsFile)) : undefined;
      const nc = await connect({
        servers: opts.url.split(","),
        name: opts.name,
        inboxPrefix: opts.inboxPrefix,
        ...(authenticator ? { authenticator } : {}),
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        reconnectJitter: 250,
        pingInterval: 10_000,
        maxPingOut: 3,
      });
      opts.logger.info({ server: nc.getServer() }, "connected to NATS");
      return nc;
    } catch (err) {
      if (attempt === 1 || attempt % 20 === 0) opts.logger.warn({ err: String(err), attempt }, "cannot reach NATS yet; retrying");
      await sleep(delay * (0.75 + Math.random() / 2), undefined, { signal: opts.signal });
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
