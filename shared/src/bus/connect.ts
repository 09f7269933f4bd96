import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { Kvm, type KV } from "@nats-io/kv";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { DESIRED_BUCKET, STATUS_BUCKET } from "./keys.js";

export interface BusConnectOptions {
  url: string;
  credsFile?: string;
  name: string;
  inboxPrefix?: string;
  logger: Logger;
  /** Stops the wait for the first connection (the client's own `waitOnFirstConnect` cannot be cancelled). */
  signal?: AbortSignal;
}

/**
 * Connects, waiting for the server as long as it takes (a process started before NATS converges by
 * itself), then reconnects forever. Rejects only when `signal` aborts. Credentials are re-read on every
 * attempt, so a file rotated while the server is unreachable is picked up.
 */
export async function connectBus(opts: BusConnectOptions): Promise<NatsConnection> {
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      const authenticator = opts.credsFile ? credsAuthenticator(await readFile(opts.credsFile)) : undefined;
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
    } catch (err) {
      if (attempt === 1 || attempt % 20 === 0) opts.logger.warn({ error: String(err), attempt }, "cannot reach NATS yet; retrying");
      await sleep(delay * (0.75 + Math.random() / 2), undefined, opts.signal ? { signal: opts.signal } : undefined);
      delay = Math.min(delay * 2, 5_000);
    }
  }
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
