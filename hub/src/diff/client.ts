import { connect, credsAuthenticator, errors, type NatsConnection } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { readFile } from "node:fs/promises";
import { DESIRED_BUCKET, diffSubject, errorMessage, MAX_DIFF_REQUEST_BYTES, type BusCodec, type DesiredBundle, type DiffResult } from "@flotilla/shared";
import { readPublished } from "./published.js";

/** The agent could not be asked, or did not answer: the message says which and what to check. */
export class DiffBusError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DiffBusError";
  }
}

/** One short-lived NATS connection for `flotilla diff`: read what is published, ask the agent. */
export class DiffBus {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly codec: BusCodec,
  ) {}

  /** Connects once (no waiting for a server that is down: a CLI says so at once). */
  static async open(o: { url: string; credsFile?: string; codec: BusCodec; timeoutMs: number }): Promise<DiffBus> {
    try {
      const authenticator = o.credsFile ? credsAuthenticator(await readFile(o.credsFile)) : undefined;
      const nc = await connect({ servers: o.url.split(","), name: "flotilla-diff", timeout: Math.min(o.timeoutMs, 10_000), maxReconnectAttempts: 0, ...(authenticator ? { authenticator } : {}) });
      return new DiffBus(nc, o.codec);
    } catch (err) {
      throw new DiffBusError(`cannot connect to NATS at ${o.url}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** The largest request this server takes. */
  get maxRequestBytes(): number {
    return Math.min(MAX_DIFF_REQUEST_BYTES, this.nc.info?.max_payload ?? MAX_DIFF_REQUEST_BYTES);
  }

  /** The bundle published for the cluster if it is desired on `revision` (undefined otherwise, or when there is no bucket yet). */
  async published(cluster: string, addon: string, revision: string): Promise<DesiredBundle | undefined> {
    let kv;
    try {
      kv = await new Kvm(this.nc).open(DESIRED_BUCKET, { allow_direct: true });
    } catch {
      return undefined;
    }
    return readPublished(kv, this.codec, cluster, addon, revision);
  }

  /** Asks the cluster's agent; rejects with a DiffBusError naming what went wrong. */
  async ask(cluster: string, data: Uint8Array, timeoutMs: number): Promise<DiffResult> {
    const subject = diffSubject(cluster);
    let reply;
    try {
      reply = await this.nc.request(subject, data, { timeout: timeoutMs });
    } catch (err) {
      const noResponders = err instanceof errors.NoRespondersError || (err instanceof errors.RequestError && err.isNoResponders());
      if (noResponders) throw new DiffBusError(`no agent answers for cluster ${cluster} (nothing subscribed to ${subject}): is its agent running and connected to this NATS?`, { cause: err });
      if (err instanceof errors.TimeoutError) throw new DiffBusError(`the agent of cluster ${cluster} did not answer within ${timeoutMs / 1000}s (--timeout)`, { cause: err });
      throw new DiffBusError(`asking the agent of cluster ${cluster} on ${subject} failed: ${errorMessage(err)}`, { cause: err });
    }
    const r = this.codec.decode(reply.data, "DiffResult");
    if (!r.ok) throw new DiffBusError(`the agent of cluster ${cluster} answered with an invalid document (${r.reason}): ${r.error}`);
    return r.value;
  }

  async close(): Promise<void> {
    await this.nc.close().catch(() => undefined);
  }
}
