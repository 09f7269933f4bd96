import type { Registry } from "prom-client";
import type { Clock, Logger } from "@flotilla/shared";

export interface AgentOptions {
  /** This cluster's name on the hub (DNS-1123 label, no dots). */
  cluster: string;
  /** Kubeconfig of the managed cluster; default: KUBECONFIG, ~/.kube/config or in-cluster. */
  kubeconfig?: string;
  natsUrl: string;
  natsCreds?: string;
  /**
   * Bootstrap credentials (instead of `natsCreds`): the agent registers, stores the credentials the hub
   * mints for it in `credentialsSecret` in its namespace, and renews them itself.
   */
  bootstrapCreds?: string;
  /** The Secret the agent keeps its own bus credentials in (default "flotilla-agent-credentials"). */
  credentialsSecret?: string;
  /** Listen address of /metrics, /healthz, /readyz (default ":0", a free port). */
  metricsAddr?: string;
  /** Re-read desired state, re-apply and re-send reports at least this often (default 30, jittered ±20%). */
  resyncSeconds?: number;
  /**
   * Re-apply an addon whose objects are all watched at least this often (default 600): drift is
   * corrected by the watch in between; this is the safety net behind it. Never less than the resync.
   */
  reapplySeconds?: number;
  /** Presence interval (default 10). */
  heartbeatSeconds?: number;
  /** How often an addon that is not Available yet is looked at again without an event (default 2). */
  healthPollSeconds?: number;
  /** Deadline of a Helm hook that sets no `addon.flotilla.dev/hook-timeout` (default 300). */
  hookTimeoutSeconds?: number;
  /**
   * Apply each addon as its own ServiceAccount (impersonated), whose roles allow only the addon's kinds
   * and namespaces (default true). False: every request as the agent itself.
   */
  addonIdentity?: boolean;
  /** The agent's own namespace, where the addons' ServiceAccounts are made (default "flotilla-system"). */
  namespace?: string;
  logger: Logger;
  registry?: Registry;
  version?: string;
  /** Default: the system clock. */
  clock?: Clock;
}

export interface AgentHandle {
  /** Stops everything the agent started; what it applied stays. */
  stop(): Promise<void>;
  /** Port of the /metrics, /healthz, /readyz server. */
  metricsPort: number;
  /** Connected to the spoke API server and the AppliedAddOn CRD installed (what /readyz says). */
  ready(): boolean;
  /** Resolves once the CRD is installed and the bus session started (rejects only if stopped first). */
  started: Promise<void>;
}

export interface ResolvedOptions {
  metricsAddr: string;
  resyncMs: number;
  reapplyMs: number;
  heartbeatMs: number;
  healthPollMs: number;
  hookTimeoutMs: number;
  version: string;
  addonIdentity: boolean;
  namespace: string;
}

export function resolveOptions(o: AgentOptions): ResolvedOptions {
  const positive = (name: string, v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number, got ${v}`);
    return v;
  };
  return {
    metricsAddr: o.metricsAddr ?? ":0",
    resyncMs: positive("resyncSeconds", o.resyncSeconds, 30) * 1000,
    reapplyMs: positive("reapplySeconds", o.reapplySeconds, 600) * 1000,
    heartbeatMs: positive("heartbeatSeconds", o.heartbeatSeconds, 10) * 1000,
    healthPollMs: positive("healthPollSeconds", o.healthPollSeconds, 2) * 1000,
    hookTimeoutMs: positive("hookTimeoutSeconds", o.hookTimeoutSeconds, 300) * 1000,
    version: o.version ?? "dev",
    addonIdentity: o.addonIdentity ?? true,
    namespace: o.namespace ?? "flotilla-system",
  };
}
