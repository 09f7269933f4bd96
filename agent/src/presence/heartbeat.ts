import { ApisApi, CoreApi, VersionApi, type KubeConfig } from "@kubernetes/client-node";
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
 * for /version, which doubles as the liveness probe of the spoke connection behind /readyz, and now
 * and then for the API versions it serves (for the hub's helm renders).
 */
/** Served API versions are asked for again every this many beats (a minute at the default interval). */
const API_VERSIONS_EVERY = 6;

export class Heartbeat {
  private timer: Timer | undefined;
  private readonly version: VersionApi;
  private readonly apis: ApisApi;
  private readonly core: CoreApi;
  private kubernetesVersion: string | undefined;
  private apiVersions: string[] | undefined;
  private beats = 0;
  private readonly startedAt: string;
  private stopped = false;
  private beating = false;
  /** Whether the spoke API server answered the last probe; undefined before the first one. */
  spokeOk: boolean | undefined;

  constructor(private readonly o: HeartbeatOptions) {
    this.version = o.kc.makeApiClient(VersionApi);
    this.apis = o.kc.makeApiClient(ApisApi);
    this.core = o.kc.makeApiClient(CoreApi);
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

  /** `/api` and `/apis`: every group/version served (preferred or not), sorted. */
  private async servedApiVersions(): Promise<string[]> {
    const [core, groups] = await Promise.all([this.core.getAPIVersions(), this.apis.getAPIVersions()]);
    const out = new Set<string>(core.versions);
    for (const g of groups.groups) for (const v of g.versions) out.add(v.groupVersion);
    return [...out].sort();
  }

  private async once(): Promise<void> {
    this.beats++;
    try {
      const v = await this.version.getCode();
      // Served API versions change when CRDs come and go; asked again only when the version did not answer before.
      if (v.gitVersion !== this.kubernetesVersion || this.apiVersions === undefined || this.beats % API_VERSIONS_EVERY === 0) this.apiVersions = await this.servedApiVersions();
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
      ...(this.apiVersions ? { apiVersions: this.apiVersions } : {}),
      startedAt: this.startedAt,
      sentAt: new Date(this.o.clock.now()).toISOString(),
      heartbeatSeconds: this.o.intervalMs / 1000,
    };
    await this.o.writer.putInfo(info);
  }
}
