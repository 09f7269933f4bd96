import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { Kvm, type KV } from "@nats-io/kv";
import { readFile } from "node:fs/promises";
import type { Logger } from "pino";
import { DESIRED_BUCKET, STATUS_BUCKET } from "./keys.js";

export interface BusConnectOptions {
  url: string;
  credsFile?: string;
  name: string;
  inboxPrefix?: string;
  logger: Logger;
}

/**
 * Connects with reconnect forever (also when the server is not up yet), so a process started before
 * NATS or cut off from it converges by itself. Status changes are logged.
 */
export async function connectBus(opts: BusConnectOptions): Promise<NatsConnection> {
  const authenticator = opts.credsFile ? credsAuthenticator(await readFile(opts.credsFile)) : undefined;
  const nc = await connect({
    servers: opts.url.split(","),
    name: opts.name,
    ...(authenticator ? { authenticator } : {}),
    ...(opts.inboxPrefix ? { inboxPrefix: opts.inboxPrefix } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
    maxPingOut: 3,
  });
  opts.logger.info({ server: nc.getServer() }, "connected to NATS");
  return nc;
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
