/**
 * The hub's view of the Flotilla API objects (DESIGN §4): only the fields the hub reads or writes.
 * Structural, so objects from the informers (and the generated types in @flotilla/shared) fit.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Condition, DriftPolicy, LabelSelector } from "@flotilla/shared";

export type Values = Record<string, unknown>;

export interface ManagedClusterSpec {
  hubAcceptsClient?: boolean;
}
export interface ManagedClusterStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  agent?: { version?: string; lastSeenTime?: string };
  kubernetesVersion?: string;
}
export interface ManagedCluster extends KubernetesObject {
  spec?: ManagedClusterSpec;
  status?: ManagedClusterStatus;
}

export interface Placement {
  name: string;
  clusterSelector?: LabelSelector;
  values?: Values;
  rolloutStrategy?: { type?: string; [k: string]: unknown };
}
export interface AddonSource {
  manifests?: unknown[];
  helm?: Record<string, unknown>;
}
export interface ClusterManagementAddOnSpec {
  displayName?: string;
  installNamespace?: string;
  source?: AddonSource;
  values?: Values;
  valuesSchema?: Record<string, unknown>;
  installStrategy?: { type?: "Placements" | "Manual" | string; placements?: Placement[] };
  driftPolicy?: DriftPolicy;
  paused?: boolean;
}
export interface AddonSummary {
  desired: number;
  updated: number;
  applied: number;
  available: number;
  progressing: number;
  failed: number;
  unreachable: number;
}
export interface RolloutStatus {
  phase?: string;
  step?: number;
  message?: string;
}
export interface ClusterManagementAddOnStatus {
  observedGeneration?: number;
  currentRevision?: string;
  updateRevision?: string;
  rollout?: RolloutStatus;
  summary?: AddonSummary;
  conditions?: Condition[];
}
export interface ClusterManagementAddOn extends KubernetesObject {
  spec?: ClusterManagementAddOnSpec;
  status?: ClusterManagementAddOnStatus;
}

export interface McaResource {
  group: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  ready: boolean;
  message?: string;
}
export interface ManagedClusterAddOnStatus {
  observedGeneration?: number;
  desiredRevision?: string;
  appliedRevision?: string;
  conditions?: Condition[];
  resources?: McaResource[];
  lastReportTime?: string;
}
export interface ManagedClusterAddOn extends KubernetesObject {
  spec?: { values?: Values };
  status?: ManagedClusterAddOnStatus;
}

export interface AddOnRevision extends KubernetesObject {
  spec?: { addon: string; revision: number; values?: Values; source?: AddonSource; [k: string]: unknown };
}
