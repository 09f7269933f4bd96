import { WorkQueue, type Clock, type Informer, type KubeClients, type Logger } from "@flotilla/shared";
import type { Registry } from "prom-client";
import type { ManagedCluster } from "../../api/types.js";
import type { EventRecorder } from "../../kube/events.js";
import { AgentInstallController } from "./controller.js";
import { InstallWrites } from "./hub-writes.js";

export interface AgentInstallOptions {
  /** The pinned agent image. */
  image: string;
  /** The NATS URL installed agents are given. */
  natsUrl: string;
}

export interface AgentInstallServiceOptions extends AgentInstallOptions {
  clients: KubeClients;
  clusters: Informer<ManagedCluster>;
  events: EventRecorder;
  tokenNamespace: string;
  canMint: boolean;
  version: string;
  registry: Registry;
  logger: Logger;
  clock: Clock;
}

/**
 * The installer while this hub leads: its own queue (applies to managed clusters wait on their API
 * servers, which must not hold up the cluster queue), fed by the ManagedCluster informer.
 */
export class AgentInstallService {
  private readonly controller: AgentInstallController;
  private queue: WorkQueue | undefined;

  constructor(private readonly o: AgentInstallServiceOptions) {
    const logger = o.logger.child({ component: "agentinstall" });
    this.controller = new AgentInstallController({ ...o, writes: new InstallWrites(o.clients), logger });
    o.clusters.on((_event, mc) => this.queue?.add(mc.metadata?.name ?? ""));
  }

  /** Level-based start: every cluster is looked at once. */
  start(): void {
    const logger = this.o.logger.child({ component: "queue", queue: "agentinstall" });
    this.queue = new WorkQueue({ name: "agentinstall", reconcile: (k) => this.controller.reconcile(k), logger, registry: this.o.registry, concurrency: 4, clock: this.o.clock });
    for (const mc of this.o.clusters.list()) this.queue.add(mc.metadata?.name ?? "");
  }

  async stop(): Promise<void> {
    await this.queue?.stop();
  }
}
