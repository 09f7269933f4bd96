import { connect, credsAuthenticator, type Authenticator, type NatsConnection } from "@nats-io/transport-node";
import { Kvm, type KV } from "@nats-io/kv";
import { readFile } from "node:fs/promises";
import type { Logger } from "pino";
import { errorMessage } from "../errors.js";
import type { BackoffPolicy } from "../retry/backoff.js";
import { retryUntil } from "../retry/retry.js";
import { stopWithin } from "../process/signals.js";
import { systemClock, type Clock } from "../time/clock.js";
import { DESIRED_BUCKET, STATUS_BUCKET } from "./keys.js";

/** Waiting for a server that is not up yet: retried often, since nothing else can happen meanwhile. */
export const CONNECT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 5_000, factor: 2, jitter: 0.5 };

export interface BusConnectOptions {
  url: string;
  credsFile?: string;
  /** Creds file contents (instead of `credsFile`). */
  creds?: string;
  /** Any other authenticator (instead of either): e.g. one that reads credentials renewed in memory. */
  authenticator?: Authenticator;
  name: string;
  inboxPrefix?: string;
  logger: Logger;
  /** Stops the wait for the first connection (the client's own `waitOnFirstConnect` cannot be cancelled). */
  signal?: AbortSignal;
  /** Delays between first-connection attempts (default CONNECT_BACKOFF). */
  backoff?: BackoffPolicy;
  clock?: Clock;
}

/**
 * Connects, waiting for the server as long as it takes (a process started before NATS converges by
 * itself), then reconnects forever. Rejects only when `signal` aborts. Credentials are re-read on every
 * attempt, so a file rotated while the server is unreachable is picked up.
 */
export async function connectBus(opts: BusConnectOptions): Promise<NatsConnection> {
  return retryUntil(
    async () => {
      const creds = opts.credsFile ? await readFile(opts.credsFile) : opts.creds !== undefined ? new TextEncoder().encode(opts.creds) : undefined;
      const authenticator = creds ? credsAuthenticator(creds) : opts.authenticator;
      const nc = await connect({
        servers: opts.url.split(","),
        name: opts.name,
        ...(authenticator ? { authenticator } : {}),
        ...(opts.inboxPrefix ? { inboxPrefix: opts.inboxPrefix } : {}),
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        reconnectJitter: 250,
        pingInterval: 10_000,
        maxPingOut: 3,
      });
      opts.logger.info({ server: nc.getServer() }, "connected to NATS");
      return nc;
    },
    {
      policy: opts.backoff ?? CONNECT_BACKOFF,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      // Even a refused authentication is retried: the credentials file may be rotated meanwhile.
      isRetryable: () => true,
      onRetry: (err, attempt, retryInMs) => {
        if (attempt === 1 || attempt % 20 === 0) opts.logger.warn({ error: errorMessage(err), attempt, retryInMs }, "cannot reach NATS yet; retrying");
      },
    },
  );
}

/** Bucket settings: only the latest value per key matters (the KV revision is the truth). */
export async function ensureBuckets(nc: NatsConnection): Promise<{ desired: KV; status: KV }> {
  const kvm = new Kvm(nc);
  const desired = await kvm.create(DESIRED_BUCKET, { history: 1, allow_direct: true, maxValueSize: 1024 * 1024 });
  const status = await kvm.create(STATUS_BUCKET, { history: 1, allow_direct: true, maxValueSize: 256 * 1024 });
  return { desired, status };
}

/** Opens existing buckets for direct gets (agents never create them). */
export async function openBuckets(nc: NatsConnection): Promise<{ desired: KV; status: KV }> {
  const kvm = new Kvm(nc);
  const desired = await kvm.open(DESIRED_BUCKET, { allow_direct: true });
  const status = await kvm.open(STATUS_BUCKET, { allow_direct: true });
  return { desired, status };
}

/** How long a stopping process waits for its NATS connection to drain before closing it outright. */
export const DRAIN_DEADLINE_MS = 1_000;

/**
 * Drains the connection (pending publishes flushed, subscriptions ended), but closes it outright when
 * that takes longer than `deadlineMs`: with the server gone, a drain would wait for a reconnect.
 */
export async function drainWithin(nc: NatsConnection, logger: Logger, deadlineMs = DRAIN_DEADLINE_MS, clock: Clock = systemClock): Promise<void> {
  const drained = await stopWithin(() => nc.drain(), deadlineMs, logger, clock);
  if (!drained || !nc.isClosed()) await nc.close().catch(() => undefined);
}
