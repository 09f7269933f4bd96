import type { AgentInfo } from "@flotilla/shared";

export interface Presence {
  info: AgentInfo;
  /** When the hub received the latest AgentInfo, on the hub's clock (ms). */
  receivedAt: number;
}

/** Latest agent info per cluster, fed by the status watcher. */
export class PresenceStore {
  private readonly byCluster = new Map<string, Presence>();

  record(cluster: string, info: AgentInfo, receivedAt: number): Presence | undefined {
    const prev = this.byCluster.get(cluster);
    this.byCluster.set(cluster, { info, receivedAt });
    return prev;
  }

  get(cluster: string): Presence | undefined {
    return this.byCluster.get(cluster);
  }

  delete(cluster: string): boolean {
    return this.byCluster.delete(cluster);
  }
}
