import { VersionApi, type KubeConfig } from "@kubernetes/client-node";
import { PROTOCOL_VERSION, kubeErrorMessage, type AgentInfo, type Clock, type Logger, type Timer } from "@flotilla/shared";
import type { StatusWriter } from "../bus/status-writer.js";

export interface HeartbeatOptions {
  cluster: string;
  agentVersion: string;
  intervalMs: number;
  kc: KubeConfig;
  writer: Pick<StatusWriter, "putInfo">;
  logger: Logger;
  clock: Clock;
  /** The spoke API server answers again after a probe it did not answer. */
  onSpokeBack?: () => void;
}

/**
 * Presence: puts AgentInfo on `<cluster>` every interval. Each beat also asks the spoke API server
 * for /version, which doubles as the liveness probe of the spoke connection behind /readyz.
 */
export class Heartbeat {
  private timer: Timer | undefined;
  private readonly version: VersionApi;
  private kubernetesVersion: string | undefined;
  private readonly startedAt: string;
  private stopped = false;
  private beating = false;
  /** Whether the spoke API server answered the last probe; undefined before the first one. */
  spokeOk: boolean | undefined;

  constructor(private readonly o: HeartbeatOptions) {
    this.version = o.kc.makeApiClient(VersionApi);
    this.startedAt = new Date(o.clock.now()).toISOString();
  }

  start(): void {
    void this.beat();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Beats now (e.g. right after the bus comes back) and restarts the interval. */
  async beat(): Promise<void> {
    if (this.stopped || this.beating) return;
    this.beating = true;
    this.timer?.cancel();
    try {
      await this.once();
    } finally {
      this.beating = false;
    }
    if (this.stopped) return;
    this.timer = this.o.clock.setTimer(() => void this.beat(), this.o.intervalMs);
  }

  private async once(): Promise<void> {
    try {
      const v = await this.version.getCode();
      this.kubernetesVersion = v.gitVersion;
      const wasDown = this.spokeOk === false;
      this.spokeOk = true;
      if (wasDown) {
        this.o.logger.info("spoke API server answers again");
        this.o.onSpokeBack?.();
      }
    } catch (err) {
      this.spokeOk = false;
      this.o.logger.warn({ err: kubeErrorMessage(err) }, "spoke API server not answering /version");
    }
    const info: AgentInfo = {
      version: PROTOCOL_VERSION,
      kind: "AgentInfo",
      cluster: this.o.cluster,
      agentVersion: this.o.agentVersion,
      ...(this.kubernetesVersion ? { kubernetesVersion: this.kubernetesVersion } : {}),
      startedAt: this.startedAt,
      sentAt: new Date(this.o.clock.now()).toISOString(),
      heartbeatSeconds: this.o.intervalMs / 1000,
    };
    await this.o.writer.putInfo(info);
  }
}
