import { createLogger, createRegistry, runUntilSignal } from "@flotilla/shared";
import { runHub } from "../../hub.js";

export interface HubCommandOptions {
  kubeconfig?: string;
  nats: string;
  natsCreds?: string;
  natsIssuer?: string;
  credentialsTtl: number;
  agentImage?: string;
  agentNats?: string;
  namespace: string;
  metricsAddr: string;
  presenceGrace: number;
  leaseDuration: number;
  leaderId?: string;
  helm: string;
  chartCacheDir?: string;
  chartPlainHttp: "never" | "loopback" | "always";
  logLevel: string;
}

/** The hub exits this long after SIGTERM at the latest, even if the API server or NATS is gone. */
export const HUB_STOP_DEADLINE_MS = 5_000;

/** `flotilla hub`: runs until SIGINT/SIGTERM, then stops within the deadline. */
export async function runHubCommand(o: HubCommandOptions): Promise<void> {
  const logger = createLogger({ level: o.logLevel, name: "flotilla-hub" });
  const start = () => runHub({
    kubeconfig: o.kubeconfig,
    natsUrl: o.nats,
    natsCreds: o.natsCreds,
    metricsAddr: o.metricsAddr,
    presenceGraceSeconds: o.presenceGrace,
    charts: { helm: o.helm, plainHTTP: o.chartPlainHttp, ...(o.chartCacheDir ? { cacheDir: o.chartCacheDir } : {}) },
    leaderElection: { namespace: o.namespace, leaseDurationSeconds: o.leaseDuration, ...(o.leaderId ? { identity: o.leaderId } : {}) },
    credentials: { ttlSeconds: o.credentialsTtl, tokenNamespace: o.namespace, ...(o.natsIssuer ? { issuerFile: o.natsIssuer } : {}) },
    agentInstall: { ...(o.agentImage ? { image: o.agentImage } : {}), ...(o.agentNats ? { natsUrl: o.agentNats } : {}) },
    logger,
    registry: createRegistry("hub"),
  });
  await runUntilSignal(start, { logger, deadlineMs: HUB_STOP_DEADLINE_MS });
}
