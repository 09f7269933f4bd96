import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { V1Secret } from "@kubernetes/client-node";
import type { Registry } from "prom-client";
import { Informer, WorkQueue, type BusCodec, type BusMetrics, type Clock, type KubeClients, type Logger } from "@flotilla/shared";
import type { ManagedCluster } from "../../api/types.js";
import type { BusCredentials } from "../../credentials/bus-credentials.js";
import type { EventRecorder } from "../../kube/events.js";
import { RegistrationResponder } from "./responder.js";
import { BOOTSTRAP_TOKEN_TYPE } from "./token.js";
import { TokenController } from "./tokens.js";
import { RegistrationWrites } from "../../credentials/credential-writes.js";

export interface RegistrationServiceOptions {
  clients: KubeClients;
  clusters: Informer<ManagedCluster>;
  codec: BusCodec;
  busMetrics: BusMetrics;
  registry: Registry;
  events: EventRecorder;
  /** Minting and revoking; undefined without `--nats-issuer` (requests are then refused, saying why). */
  credentials: BusCredentials | undefined;
  /** Where bootstrap-token Secrets live (the hub's namespace). */
  tokenNamespace: string;
  credentialsTtlSeconds: number;
  logger: Logger;
  clock: Clock;
}

/**
 * Registration while this hub leads: the bootstrap tokens (a Secret informer of their type in the
 * hub's namespace, and a queue minting, revoking and cleaning them) and the responder on
 * `flotilla.register.*`.
 */
export class RegistrationService {
  private readonly informer: Informer<V1Secret>;
  private readonly tokens: TokenController;
  private readonly responder: RegistrationResponder;
  private queue: WorkQueue | undefined;
  private sub: Subscription | undefined;

  constructor(private readonly o: RegistrationServiceOptions) {
    const logger = o.logger.child({ component: "registration" });
    this.informer = new Informer<V1Secret>({
      clients: o.clients,
      resource: { group: "", version: "v1", plural: "secrets", kind: "Secret" },
      namespace: o.tokenNamespace,
      fieldSelector: `type=${BOOTSTRAP_TOKEN_TYPE}`,
      logger: logger.child({ component: "informer", resource: "secrets" }),
      clock: o.clock,
    });
    const writes = new RegistrationWrites(o.clients);
    this.tokens = new TokenController({
      informer: this.informer,
      namespace: o.tokenNamespace,
      issuer: o.credentials?.issuer,
      revoker: o.credentials?.revoker,
      writes,
      events: o.events,
      logger,
      clock: o.clock,
    });
    this.responder = new RegistrationResponder({
      codec: o.codec,
      busMetrics: o.busMetrics,
      registry: o.registry,
      clusters: o.clusters,
      tokensOf: (c) => this.tokens.tokensOf(c),
      tokenNamespace: o.tokenNamespace,
      issuer: o.credentials?.issuer,
      revoker: o.credentials?.revoker,
      writes,
      credentialsTtlSeconds: o.credentialsTtlSeconds,
      logger,
      clock: o.clock,
    });
    this.informer.on((event, s) => {
      if (event !== "delete") this.queue?.add(s.metadata?.name ?? "");
    });
  }

  /** Starts the token cache and queue, then answers requests on `nc`. */
  async start(nc: NatsConnection): Promise<void> {
    const o = this.o;
    this.queue = new WorkQueue({ name: "token", reconcile: (k) => this.tokens.reconcile(k), logger: o.logger.child({ component: "queue", queue: "token" }), registry: o.registry, concurrency: 2, clock: o.clock });
    void this.informer.start();
    await this.informer.synced;
    for (const s of this.informer.list(o.tokenNamespace)) this.queue.add(s.metadata?.name ?? "");
    this.sub = this.responder.subscribe(nc);
  }

  async stop(): Promise<void> {
    this.sub?.unsubscribe();
    await this.queue?.stop();
    await this.informer.stop();
  }
}
