import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { Counter, type Registry } from "prom-client";
import {
  MAX_REGISTRATION_BYTES,
  PROTOCOL_VERSION,
  REGISTER_SUBJECT_PREFIX,
  RateLimiter,
  errorMessage,
  metricOnce,
  takeEach,
  type BusCodec,
  type BusMetrics,
  type Clock,
  type Informer,
  type Logger,
  type RegistrationOutcome,
  type RegistrationRequest,
  type RegistrationResponse,
} from "@flotilla/shared";
import type { ManagedCluster } from "../../api/types.js";
import type { AccountRevoker } from "../../credentials/account-revoker.js";
import type { CredentialIssuer } from "../../credentials/issuer.js";
import { decideRegistration, type RegistrationDecision } from "./decide.js";
import type { BootstrapToken } from "./token.js";
import type { RegistrationWrites } from "../../credentials/credential-writes.js";

interface Answer {
  outcome: RegistrationOutcome;
  reason: string;
  response: RegistrationResponse;
  /** Keys to revoke once the answer is sent. */
  revoke?: { keys: string[]; why: string };
}

/** Requests waiting their turn beyond this are dropped (counted): the agent asks again. */
const MAX_QUEUED = 64;
/** A pending agent asks again after this long. */
const PENDING_RETRY_SECONDS = 5;
/** Hub-side trouble (API server, NATS): the agent asks again after this long. */
const TROUBLE_RETRY_SECONDS = 10;

export interface RegistrationResponderOptions {
  codec: BusCodec;
  busMetrics: BusMetrics;
  registry: Registry;
  clusters: Informer<ManagedCluster>;
  /** The valid bootstrap tokens, by cluster. */
  tokensOf: (cluster: string) => readonly BootstrapToken[];
  tokenNamespace: string;
  /** Undefined without `--nats-issuer`: every request is then refused, saying so. */
  issuer: CredentialIssuer | undefined;
  revoker: AccountRevoker | undefined;
  writes: RegistrationWrites;
  /** Life of the JWTs minted for clusters. */
  credentialsTtlSeconds: number;
  logger: Logger;
  clock: Clock;
}

/**
 * Answers `flotilla.register.<cluster>` (a queue group, so one hub replica answers each request), one
 * request at a time: the token a grant spends is marked used before the next request is looked at.
 * Malformed, oversized or foreign requests are dropped and counted, never answered.
 */
export class RegistrationResponder {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Tokens spent by this process: the cache may not show `used-at` yet when the next request comes. */
  private readonly spent = new Set<string>();
  // A burst per cluster (an agent retrying, a renewal) and a ceiling for the whole fleet, so a flood of
  // registrations (a stolen token replayed, a misconfigured fleet) cannot keep the hub busy.
  private readonly perCluster = new RateLimiter("cluster", { capacity: 5, perSecond: 0.5 });
  private readonly overall = new RateLimiter("overall", { capacity: 200, perSecond: 50 });
  private readonly outcomes: Counter<"outcome" | "reason">;

  constructor(private readonly o: RegistrationResponderOptions) {
    this.outcomes = metricOnce(o.registry, "flotilla_hub_registrations_total", () => new Counter({
      name: "flotilla_hub_registrations_total",
      help: "Registration and renewal requests answered, by outcome (Accepted, Pending, Denied, Dropped) and reason",
      labelNames: ["outcome", "reason"],
      registers: [o.registry],
    }));
  }

  subscribe(nc: NatsConnection): Subscription {
    return nc.subscribe(`${REGISTER_SUBJECT_PREFIX}.*`, {
      queue: "flotilla-hub",
      callback: (err, msg) => {
        if (err) return this.o.logger.warn({ err: errorMessage(err) }, "registration subscription error");
        if (this.queued >= MAX_QUEUED) return this.drop("Busy");
        this.queued++;
        this.chain = this.chain.then(() => this.handle(msg)).finally(() => this.queued--);
      },
    });
  }

  async handle(msg: Pick<Msg, "subject" | "data" | "reply" | "respond">): Promise<void> {
    const subjectCluster = msg.subject.slice(REGISTER_SUBJECT_PREFIX.length + 1);
    if (!msg.reply) return this.drop("NoReply");
    // before any parsing: a refused request costs next to nothing (the agent asks again later)
    if (!takeEach(this.o.clock.now(), [{ limiter: this.perCluster, key: subjectCluster }, { limiter: this.overall, key: "" }]).allowed) return this.drop("RateLimited");
    if (msg.data.byteLength > MAX_REGISTRATION_BYTES) return this.drop("TooLarge");
    const r = this.o.codec.decode(msg.data, "RegistrationRequest");
    if (!r.ok) return this.drop(r.reason);
    // The subject is what the server checked against the sender's credentials; the body must agree.
    if (r.value.cluster !== subjectCluster) return this.drop("Foreign");
    const answer = await this.answer(r.value);
    this.outcomes.inc({ outcome: answer.outcome, reason: answer.reason });
    msg.respond(this.o.codec.encode(answer.response));
    // Only now: the request may have come over the very connection a revocation closes (the bootstrap
    // token's, or the key being replaced), and the answer must reach it first. The token is already
    // marked used, so it is worth nothing meanwhile; the token controller revokes it too if this fails.
    if (answer.revoke) {
      await this.o.revoker!.revoke(answer.revoke.keys, answer.revoke.why).catch((err: unknown) =>
        this.o.logger.warn({ cluster: r.value.cluster, err: errorMessage(err) }, "could not revoke the replaced credentials yet; the token controller will"),
      );
    }
  }

  private drop(reason: string): void {
    this.o.busMetrics.invalid.inc({ reason });
    this.outcomes.inc({ outcome: "Dropped", reason });
  }

  private async answer(req: RegistrationRequest): Promise<Answer> {
    const { cluster } = req;
    const log = this.o.logger.child({ cluster });
    const now = this.o.clock.now();
    const decision = decideRegistration({
      cluster,
      publicKey: req.publicKey,
      mc: this.o.clusters.get(cluster),
      tokens: this.o.tokensOf(cluster).filter((t) => !this.spent.has(t.name)),
      canMint: this.o.issuer !== undefined && this.o.revoker !== undefined,
      now,
    });
    const base = { version: PROTOCOL_VERSION, kind: "RegistrationResponse", cluster } as const;
    try {
      switch (decision.outcome) {
        case "Denied":
          log.warn({ reason: decision.reason }, `registration refused: ${decision.message}`);
          return { outcome: "Denied", reason: decision.reason, response: { ...base, outcome: "Denied", message: decision.message } };
        case "Pending":
          await this.recordPending(req, decision, now);
          log.info({ tokenSecret: decision.token }, "registration waiting for acceptance");
          return { outcome: "Pending", reason: "AwaitingAcceptance", response: { ...base, outcome: "Pending", message: decision.message, retryAfterSeconds: PENDING_RETRY_SECONDS } };
        case "Accepted": {
          const { minted, revoke } = await this.grant(req, decision, now);
          log.info({ renewal: decision.renewal, tokenSecret: decision.token, expiryTime: new Date(minted.expiresAt * 1000).toISOString() }, decision.renewal ? "renewed bus credentials" : "cluster joined: issued bus credentials");
          return {
            outcome: "Accepted",
            reason: decision.renewal ? "Renewed" : "Granted",
            response: { ...base, outcome: "Accepted", jwt: minted.jwt, expiryTime: new Date(minted.expiresAt * 1000).toISOString() },
            ...(revoke.length ? { revoke: { keys: revoke, why: `cluster ${cluster} joined with token ${decision.token}` } } : {}),
          };
        }
      }
    } catch (err) {
      log.warn({ err: errorMessage(err) }, "registration failed on the hub's side; the agent will ask again");
      return { outcome: "Pending", reason: "HubError", response: { ...base, outcome: "Pending", message: "the hub could not finish the registration; asking again shortly", retryAfterSeconds: TROUBLE_RETRY_SECONDS } };
    }
  }

  private async recordPending(req: RegistrationRequest, d: Extract<RegistrationDecision, { outcome: "Pending" }>, now: number): Promise<void> {
    if (d.create) await this.o.writes.createCluster(req.cluster, d.create.labels, false);
    const mc = this.o.clusters.get(req.cluster);
    await this.o.writes.applyCredentials(
      req.cluster,
      {
        ...(mc?.status?.credentials ? { credentials: mc.status.credentials } : {}),
        registration: { publicKey: req.publicKey, requestTime: new Date(now).toISOString(), bootstrapToken: d.token },
      },
      // just created: the cache may not have it yet, and nothing else can have written to it
      d.create ? undefined : mc?.metadata?.resourceVersion,
    );
  }

  /**
   * Every write that makes the grant safe happens before the JWT leaves: the cluster exists and is
   * accepted, its finalizer holds deletion until revocation, its status names the key, the token is
   * spent and its key (and any key this one replaces) revoked.
   */
  private async grant(req: RegistrationRequest, d: Extract<RegistrationDecision, { outcome: "Accepted" }>, now: number): Promise<{ minted: { jwt: string; expiresAt: number }; revoke: string[] }> {
    const { cluster, publicKey } = req;
    if (d.create) await this.o.writes.createCluster(cluster, d.create.labels, true);
    else if (d.accept) await this.o.writes.accept(cluster);
    // A renewal finds it in place; adding it again could hold a cluster deleted meanwhile.
    if (!d.renewal) await this.o.writes.finalizer(cluster, true);
    const bootstrapToken = d.token ?? this.o.clusters.get(cluster)?.status?.credentials?.bootstrapToken;
    const minted = await this.o.issuer!.mint("agent", cluster, publicKey, { ttlSeconds: this.o.credentialsTtlSeconds, nowSeconds: Math.floor(now / 1000) });
    await this.o.writes.applyCredentials(cluster, {
      credentials: {
        publicKey,
        ...(req.encryptionKey ? { encryptionKey: req.encryptionKey } : {}),
        issuedTime: new Date(now).toISOString(),
        expiryTime: new Date(minted.expiresAt * 1000).toISOString(),
        ...(bootstrapToken ? { bootstrapToken } : {}),
      },
    });
    if (!d.token) return { minted, revoke: [] };
    this.spent.add(d.token);
    await this.o.writes.patchToken(this.o.tokenNamespace, d.token, { "used-at": new Date(now).toISOString(), "used-by": publicKey });
    const tokenKey = this.o.tokensOf(cluster).find((t) => t.name === d.token)?.publicKey;
    return { minted, revoke: [...d.revoke, ...(tokenKey ? [tokenKey] : [])] };
  }
}
