import { jwtAuthenticator, type Authenticator, type NatsConnection } from "@nats-io/transport-node";
import { createCurve, createUser, fromCurveSeed, fromSeed, type KeyPair } from "@nats-io/nkeys";
import { DEFAULT_BACKOFF, bootstrapInboxPrefix, connectBus, drainWithin, errorMessage, retryUntil, type BusCodec, type Clock, type DesiredBundle, type Logger, type Timer } from "@flotilla/shared";
import { jwtTimes, renewAt } from "./jwt-times.js";
import { requestCredentials } from "./registrar.js";
import type { CredentialStore, StoredCredentials } from "./store.js";

/** A renewal that failed (no connection, the store unwritable) is tried again after this long. */
const RENEW_RETRY_MS = 30_000;

export interface AgentCredentialsOptions {
  cluster: string;
  natsUrl: string;
  /** Bootstrap credentials: good only for this cluster's registration subject. */
  bootstrapCredsFile: string;
  store: CredentialStore;
  codec: BusCodec;
  agentVersion: string;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
}

/**
 * The agent's own bus credentials when it registers itself (`--bootstrap-creds`): reused from its
 * Secret on the spoke while they are valid, else obtained by joining (a key pair made here, only the
 * public key sent, the JWT the hub mints for it stored beside the seed). Renewed over the agent's own
 * connection at two thirds of their life, then the connection is re-established with the new JWT
 * before the old one expires, so the agent is never cut off.
 */
export class AgentCredentials {
  private timer: Timer | undefined;
  private readonly curve: KeyPair;

  private constructor(
    private readonly o: AgentCredentialsOptions,
    private current: StoredCredentials & { xkey: string },
  ) {
    this.curve = fromCurveSeed(new TextEncoder().encode(current.xkey));
  }

  static async obtain(o: AgentCredentialsOptions): Promise<AgentCredentials> {
    const stored = await o.store.load();
    const expiresAt = stored ? jwtTimes(stored.jwt)?.expiresAt : undefined;
    if (stored && (expiresAt === undefined || expiresAt > o.clock.now())) {
      o.logger.info({ secret: `${o.store.namespace}/${o.store.name}` }, "using this cluster's stored bus credentials");
      // Credentials stored before bundles were sealed get their curve key now; the hub learns it at the next renewal.
      const withKey = { ...stored, xkey: stored.xkey ?? newCurveSeed() };
      if (!stored.xkey) await o.store.save(withKey);
      return new AgentCredentials(o, withKey);
    }
    o.logger.info({ reason: stored ? "the stored credentials have expired" : "no stored credentials" }, "registering with the hub using the bootstrap credentials");
    const user = createUser();
    const xkey = newCurveSeed();
    const nc = await connectBus({ url: o.natsUrl, credsFile: o.bootstrapCredsFile, name: `flotilla-agent-${o.cluster}-join`, inboxPrefix: bootstrapInboxPrefix(o.cluster), logger: o.logger, signal: o.signal, clock: o.clock });
    let jwt: string;
    try {
      ({ jwt } = await requestCredentials(nc, { publicKey: user.getPublicKey(), encryptionKey: curvePublicKey(xkey) }, o));
    } finally {
      await drainWithin(nc, o.logger, undefined, o.clock);
    }
    const creds = { seed: new TextDecoder().decode(user.getSeed()), jwt, xkey };
    // The token is spent: losing these now would take a new one, so saving is tried until it works.
    await retryUntil(() => o.store.save(creds), {
      policy: DEFAULT_BACKOFF, clock: o.clock, signal: o.signal, isRetryable: () => true,
      onRetry: (err, attempt, retryInMs) => o.logger.warn({ err: errorMessage(err), attempt, retryInMs, secret: `${o.store.namespace}/${o.store.name}` }, "cannot store the bus credentials yet; retrying"),
    });
    o.logger.info({ publicKey: user.getPublicKey() }, "joined the hub: stored this cluster's own bus credentials");
    return new AgentCredentials(o, creds);
  }

  get publicKey(): string {
    return fromSeed(new TextEncoder().encode(this.current.seed)).getPublicKey();
  }

  /**
   * The bundle with its sealed objects opened; an error when they do not open (not sealed to this
   * agent's key, or tampered with): such a bundle is dropped and counted like any invalid one.
   */
  open(bundle: DesiredBundle): { ok: true; objects: unknown } | { ok: false; error: string } {
    if (!bundle.sealed) return { ok: true, objects: bundle.objects };
    const plain = this.curve.open(Buffer.from(bundle.sealed.box, "base64"), bundle.sealed.sender);
    if (!plain) return { ok: false, error: `the sealed objects do not open with this agent's key (sender ${bundle.sealed.sender})` };
    try {
      return { ok: true, objects: JSON.parse(new TextDecoder().decode(plain)) };
    } catch (err) {
      return { ok: false, error: `the sealed objects are not JSON (${errorMessage(err)})` };
    }
  }

  /** Reads the current JWT on every (re)connection, so a renewal takes effect on the next one. */
  authenticator(): Authenticator {
    return jwtAuthenticator(() => this.current.jwt, () => new TextEncoder().encode(this.current.seed));
  }

  /** Schedules renewals over whatever connection `connection` gives at the time. */
  startRenewal(connection: () => NatsConnection | undefined): void {
    const times = jwtTimes(this.current.jwt);
    const at = times ? renewAt(times) : undefined;
    if (at === undefined) return;
    this.timer?.cancel();
    this.timer = this.o.clock.setTimer(() => void this.renew(connection), Math.max(0, at - this.o.clock.now()));
  }

  stop(): void {
    this.timer?.cancel();
  }

  private async renew(connection: () => NatsConnection | undefined): Promise<void> {
    if (this.o.signal.aborted) return;
    const nc = connection();
    try {
      if (!nc) throw new Error("not connected to NATS");
      const { jwt, expiryTime } = await requestCredentials(nc, { publicKey: this.publicKey, encryptionKey: this.curve.getPublicKey() }, this.o);
      const next = { ...this.current, jwt };
      await this.o.store.save(next);
      this.current = next;
      this.o.logger.info({ expiryTime }, "renewed this cluster's bus credentials");
      // The server drops a connection when its JWT expires: move to the new JWT now, on our terms.
      await nc.reconnect();
      this.startRenewal(connection);
    } catch (err) {
      if (this.o.signal.aborted) return;
      this.o.logger.warn({ err: errorMessage(err), retryInMs: RENEW_RETRY_MS }, "could not renew the bus credentials yet");
      this.timer = this.o.clock.setTimer(() => void this.renew(connection), RENEW_RETRY_MS);
    }
  }
}

const newCurveSeed = (): string => new TextDecoder().decode(createCurve().getSeed());
const curvePublicKey = (seed: string): string => fromCurveSeed(new TextEncoder().encode(seed)).getPublicKey();
