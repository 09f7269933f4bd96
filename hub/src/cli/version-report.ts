import { findCondition, type ManagedCluster } from "@flotilla/shared";
import { formatTable } from "./table.js";

/** What `flotilla version` reports: this CLI, the hub holding the leader Lease, each cluster's agent. */
export interface VersionReport {
  clientVersion: string;
  /** Absent with --client. */
  hub?: HubVersion;
  agents?: AgentVersion[];
}

export interface HubVersion {
  /** `<namespace>/<name>` of the leader Lease. */
  lease: string;
  /** The leader's version (annotation on the Lease); absent when no hub ever held it. */
  version?: string;
  /** The holder; absent when nobody holds the Lease now (the version is then the last holder's). */
  leader?: string;
}

export interface AgentVersion {
  cluster: string;
  /** As the agent last reported it (ManagedCluster status.agent.version); absent before it joined. */
  version?: string;
  kubernetesVersion?: string;
  /** The Available condition: True while the agent's presence is current. */
  available: string;
}

/** The agents as the ManagedClusters record them, by cluster name. */
export function agentVersions(clusters: readonly ManagedCluster[]): AgentVersion[] {
  return clusters
    .map((c) => ({
      cluster: c.metadata?.name ?? "",
      ...(c.status?.agent?.version ? { version: c.status.agent.version } : {}),
      ...(c.status?.kubernetesVersion ? { kubernetesVersion: c.status.kubernetesVersion } : {}),
      available: findCondition(c.status?.conditions, "Available")?.status ?? "Unknown",
    }))
    .sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
}

/** The leader Lease's part of the report; `lease` undefined when the Lease does not exist. */
export function hubVersion(leaseRef: string, lease: { holderIdentity?: string | undefined; version?: string | undefined } | undefined): HubVersion {
  return { lease: leaseRef, ...(lease?.version ? { version: lease.version } : {}), ...(lease?.holderIdentity ? { leader: lease.holderIdentity } : {}) };
}

/** Agents whose version differs from the hub's (an upgrade in progress, or one left behind). */
export function skewed(report: VersionReport): AgentVersion[] {
  const hub = report.hub?.version;
  return hub ? (report.agents ?? []).filter((a) => a.version !== undefined && a.version !== hub) : [];
}

function hubLine(h: HubVersion): string {
  if (!h.version) return `Hub Version: unknown (no hub has held the leader Lease ${h.lease}: is the hub running?)`;
  return `Hub Version: ${h.version} (${h.leader ? `leader ${h.leader}` : "no leader now; the last one's"}, Lease ${h.lease})`;
}

/** The text form, like `kubectl version`: a line per part, then the agents as a table. */
export function formatVersion(report: VersionReport): string {
  const lines = [`Client Version: ${report.clientVersion}`];
  if (report.hub) lines.push(hubLine(report.hub));
  let out = lines.join("\n") + "\n";
  if (report.agents) {
    out += report.agents.length
      ? "Agents:\n" + formatTable(["cluster", "agent", "kubernetes", "available"], report.agents.map((a) => [a.cluster, a.version ?? "<none>", a.kubernetesVersion ?? "<none>", a.available]))
      : "Agents: no managed clusters\n";
  }
  for (const a of skewed(report)) out += `WARNING: cluster ${a.cluster} runs agent ${a.version}, the hub ${report.hub?.version}\n`;
  return out;
}
