import { VersionApi, type KubeConfig } from "@kubernetes/client-node";
import { PROTOCOL_VERSION, kubeErrorMessage, type AgentInfo, type Logger } from "@flotilla/shared";
import type { StatusWriter } from "../bus/status-writer.js";

export interface HeartbeatOptions {
  cluster: string;
  agentVersion: string;
  intervalMs: number;
  kc: KubeConfig;
  writer: Pick<StatusWriter, "putInfo">;
  logger: Logger;
  now: () => Date;
  /** Told after every probe whether the spoke API server answered. */
  onSpokeProbe: (ok: boolean) => void;
}

/**
 * Presence: puts AgentInfo on `<cluster>` every interval. Each beat also asks the spoke API server
 * for /version, which doubles as the liveness probe of the spoke connection behind /readyz.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly version: VersionApi;
  private kubernetesVersion: string | undefined;
  private readonly startedAt: string;
  private stopped = false;
  private beating = false;

  constructor(private readonly o: HeartbeatOptions) {
    this.version = o.kc.makeApiClient(VersionApi);
    this.startedAt = o.now().toISOString();
  }

  start(): void {
    void this.beat();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Beats now (e.g. right after the bus comes back) and restarts the interval. */
  async beat(): Promise<void> {
    if (this.stopped || this.beating) return;
    this.beating = true;
    clearTimeout(this.timer);
    try {
      await this.once();
    } finally {
      this.beating = false;
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.beat(), this.o.intervalMs);
    this.timer.unref();
  }

  private async once(): Promise<void> {
    try {
      const v = await this.version.getCode();
      this.kubernetesVersion = v.gitVersion;
      this.o.onSpokeProbe(true);
    } catch (err) {
      this.o.onSpokeProbe(false);
      this.o.logger.warn({ err: kubeErrorMessage(err) }, "spoke API server not answering /version");
    }
    const info: AgentInfo = {
      version: PROTOCOL_VERSION,
      kind: "AgentInfo",
      cluster: this.o.cluster,
      agentVersion: this.o.agentVersion,
      ...(this.kubernetesVersion ? { kubernetesVersion: this.kubernetesVersion } : {}),
      startedAt: this.startedAt,
      sentAt: this.o.now().toISOString(),
      heartbeatSeconds: this.o.intervalMs / 1000,
    };
    await this.o.writer.putInfo(info);
  }
}
