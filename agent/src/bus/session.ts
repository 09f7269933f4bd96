import type { Authenticator, NatsConnection, Subscription } from "@nats-io/transport-node";
import type { KV } from "@nats-io/kv";
import { connectBus, desiredHintSubjects, drainWithin, inboxPrefix, openBuckets, type Logger } from "@flotilla/shared";

export interface Buckets {
  desired: KV;
  status: KV;
}

export interface BusSessionOptions {
  url: string;
  credsFile?: string;
  cluster: string;
  logger: Logger;
  /** The buckets are open (first connect). */
  onReady: (buckets: Buckets) => void;
  /** Something under this cluster's desired keys changed (content ignored: it is only a hint). */
  onHint: (subject: string) => void;
  /** The connection is back after an outage. */
  onReconnect: () => void;
  onDisconnect: () => void;
  /** Request/reply services on this cluster's own subjects, subscribed on every (re)connection. */
  serve?: (nc: NatsConnection) => Subscription[];
}

/**
 * The agent's NATS session: connects (retrying forever, also before the server is up) with the
 * cluster's own inbox prefix, binds the buckets for direct get, and subscribes to the hint subjects.
 * It creates no JetStream consumers and no KV watches (DESIGN §5). Core subscriptions are restored
 * by the client on reconnect; every reconnect is also reported so the caller re-reads its keys.
 */
export class BusSession {
  private nc: NatsConnection | undefined;
  private readonly subs: Subscription[] = [];
  private stopped = false;
  private readonly abort = new AbortController();
  private isConnected = false;
  private authenticator: Authenticator | undefined;

  constructor(private readonly opts: BusSessionOptions) {}

  /** Connect with these credentials (the agent's own, registered) rather than `credsFile`; before `start`. */
  useAuthenticator(a: Authenticator): void {
    this.authenticator = a;
  }

  /** The live connection, if any (credential renewal speaks over it). */
  get connection(): NatsConnection | undefined {
    return this.nc;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Connects in the background; returns at once. */
  start(): void {
    this.connect().catch((err: unknown) => {
      if (!this.stopped) this.opts.logger.error({ err: String(err) }, "bus session failed to start");
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    for (const s of this.subs) s.unsubscribe();
    const nc = this.nc;
    this.nc = undefined;
    this.isConnected = false;
    if (nc) await drainWithin(nc, this.opts.logger);
  }

  private async connect(): Promise<void> {
    const { logger, cluster } = this.opts;
    const nc = await connectBus({
      url: this.opts.url,
      ...(this.authenticator ? { authenticator: this.authenticator } : this.opts.credsFile ? { credsFile: this.opts.credsFile } : {}),
      name: `flotilla-agent-${cluster}`,
      inboxPrefix: inboxPrefix(cluster),
      logger,
      signal: this.abort.signal,
    });
    if (this.stopped) {
      await nc.close();
      return;
    }
    this.nc = nc;
    this.isConnected = true;
    void this.watchStatus(nc);
    for (const subject of desiredHintSubjects(cluster)) {
      this.subs.push(nc.subscribe(subject, { callback: (err, msg) => {
        if (err) logger.warn({ err: String(err), subject }, "hint subscription error");
        else this.opts.onHint(msg.subject);
      } }));
    }
    this.subs.push(...(this.opts.serve?.(nc) ?? []));
    // Binding does not touch the server: a bucket the hub has not created yet shows up as failing
    // reads, which the reader retries with backoff.
    this.opts.onReady(await openBuckets(nc));
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    // The client gives up on a connection only in rare cases (e.g. repeated authorization errors);
    // when it does, start over with a new one rather than stay cut off.
    void nc.closed().then((err) => {
      if (this.stopped || this.nc !== nc) return;
      this.isConnected = false;
      this.nc = undefined;
      this.subs.length = 0;
      this.opts.logger.warn({ err: err ? String(err) : undefined }, "NATS connection closed; connecting again");
      this.opts.onDisconnect();
      this.connect().catch((e: unknown) => {
        if (!this.stopped) this.opts.logger.error({ err: String(e) }, "bus session failed to restart");
      });
    });
    for await (const s of nc.status()) {
      if (this.stopped) return;
      switch (s.type) {
        case "disconnect":
          this.isConnected = false;
          this.opts.logger.warn({ server: s.server }, "disconnected from NATS");
          this.opts.onDisconnect();
          break;
        case "reconnect":
          this.isConnected = true;
          this.opts.logger.info({ server: s.server }, "reconnected to NATS");
          this.opts.onReconnect();
          break;
        default:
          break;
      }
    }
  }
}
