import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Clock, Logger } from "@flotilla/shared";
import type { Registry } from "prom-client";

/** The leader Lease's default name (in the hub's namespace); `flotilla version` reads the hub's version from it. */
export const HUB_LEASE_NAME = "flotilla-hub";

export interface LeaderElectionOptions {
  /** Namespace of the Lease (created when missing). Default `flotilla-system`. */
  namespace?: string;
  /** Default `flotilla-hub`. */
  leaseName?: string;
  /** Default `<hostname>_<random>`: unique per process. */
  identity?: string;
  /** Default 15. */
  leaseDurationSeconds?: number;
  /** How often the leader renews. Default a third of the lease duration. */
  renewSeconds?: number;
  /** How often a standby tries to acquire. Default 2. */
  retrySeconds?: number;
}

export interface HubOptions {
  /** Hub cluster kubeconfig; default KUBECONFIG, ~/.kube/config or in-cluster. */
  kubeconfig?: string;
  /** NATS server URL(s), comma-separated. */
  natsUrl: string;
  natsCreds?: string;
  /** Listen address of /metrics, /healthz, /readyz. Default `127.0.0.1:0` (a free port). */
  metricsAddr?: string;
  /** A cluster whose agent has sent no AgentInfo this long becomes Available=Unknown. Default 30. */
  presenceGraceSeconds?: number;
  leaderElection?: LeaderElectionOptions;
  /** Helm sources: fetching charts and rendering them. */
  charts?: ChartOptions;
  /** Registration and per-cluster bus credentials (DESIGN §5). */
  credentials?: CredentialOptions;
  /** Installing the agent into clusters with `spec.agentInstall` (docs/agent-install.md). */
  agentInstall?: AgentInstallFlags;
  logger: Logger;
  registry?: Registry;
  /** Default: the system clock. */
  clock?: Clock;
}

export interface AgentInstallFlags {
  /** The agent image to install; default `ghcr.io/flotilla/agent:<hub version>`. */
  image?: string;
  /** The NATS URL installed agents connect to; default the hub's own (`natsUrl`). */
  natsUrl?: string;
}

/** The image the hub installs when it is given none: the agent of its own version. */
export const defaultAgentImage = (version: string): string => `ghcr.io/flotilla/agent:${version}`;

export interface CredentialOptions {
  /** The minting kit (`--nats-issuer`); without it the hub mints nothing and refuses registrations. */
  issuerFile?: string;
  /** Life of the JWTs minted for clusters; agents renew at two thirds of it. Default 86,400 (a day). */
  ttlSeconds?: number;
  /** Where bootstrap-token Secrets live. Default `flotilla-system`. */
  tokenNamespace?: string;
}

export interface ChartOptions {
  /** The helm binary; default `helm` on PATH. */
  helm?: string;
  /** Fetched charts, by digest. Default `<tmpdir>/flotilla-charts`. */
  cacheDir?: string;
  /** Plain HTTP to oci:// registries; default never. */
  plainHTTP?: "never" | "loopback" | "always";
}

export interface HubHandle {
  /** Stops the controllers, releases the lease if held, closes the bus and the health server. */
  stop(): Promise<void>;
  metricsPort: number;
  isLeader(): boolean;
}

export interface ResolvedLeaderElection {
  namespace: string;
  leaseName: string;
  identity: string;
  leaseDurationSeconds: number;
  /** How often the leader renews. */
  renewSeconds: number;
  /** How often a standby tries to acquire. */
  retrySeconds: number;
}

export function resolveLeaderElection(o: LeaderElectionOptions | undefined): ResolvedLeaderElection {
  const leaseDurationSeconds = o?.leaseDurationSeconds ?? 15;
  return {
    namespace: o?.namespace ?? "flotilla-system",
    leaseName: o?.leaseName ?? HUB_LEASE_NAME,
    identity: o?.identity ?? `${hostname()}_${randomUUID().slice(0, 8)}`,
    leaseDurationSeconds,
    renewSeconds: o?.renewSeconds ?? Math.max(1, leaseDurationSeconds / 3),
    retrySeconds: o?.retrySeconds ?? Math.min(2, leaseDurationSeconds / 3),
  };
}
