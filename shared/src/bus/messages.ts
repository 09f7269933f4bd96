/**
 * Versioned JSON documents carried on the bus (DESIGN §5). Every document has `version` and `kind`;
 * receivers validate with the schemas in `schemas.ts` and drop what does not match.
 */
import type { ConditionStatus, DriftPolicy, ResourceStatus } from "../api/types.generated.js";

export type { ConditionStatus, DriftPolicy, ResourceStatus };
export const PROTOCOL_VERSION = 1 as const;

/** `flotilla_desired` key `<cluster>`: which addons the cluster should have, at which revision. */
export interface DesiredIndex {
  version: typeof PROTOCOL_VERSION;
  kind: "DesiredIndex";
  cluster: string;
  addons: Record<string, DesiredIndexEntry>;
}
export interface DesiredIndexEntry {
  revision: string;
  /** sha256 of the serialized bundle, so an agent can tell a change without fetching it. */
  digest: string;
}

/**
 * `flotilla_desired` key `<cluster>.<addon>`: the rendered bundle. When the serialized bundle is over
 * BUNDLE_PART_BYTES the key holds a `DesiredBundleParts` head instead, and the bundle's JSON bytes are
 * split over `<cluster>.<addon>.part.<n>` keys (n = 0..parts-1).
 */
export interface DesiredBundle {
  version: typeof PROTOCOL_VERSION;
  kind: "DesiredBundle";
  cluster: string;
  addon: string;
  revision: string;
  installNamespace: string;
  driftPolicy: DriftPolicy;
  /** Rendered Kubernetes objects, in any order; the agent sorts them by kind. */
  objects: KubeObject[];
}
export interface DesiredBundleParts {
  version: typeof PROTOCOL_VERSION;
  kind: "DesiredBundleParts";
  cluster: string;
  addon: string;
  revision: string;
  parts: number;
  digest: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ReportCondition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
}
/** Most resources listed in one report (the MCA status keeps the list bounded too). */
export const MAX_REPORTED_RESOURCES = 100;

/** `flotilla_status` key `<cluster>.<addon>`: the agent's report for one addon. */
export interface AddonReport {
  version: typeof PROTOCOL_VERSION;
  kind: "AddonReport";
  cluster: string;
  addon: string;
  /** The revision the conditions describe (the desired one the agent last worked on). */
  revision: string;
  /** Last revision applied completely, if any. */
  appliedRevision?: string;
  conditions: ReportCondition[];
  resources: ResourceStatus[];
  observedAt: string;
}

/** `flotilla_status` key `<cluster>`: agent info, re-put every heartbeat (presence). */
export interface AgentInfo {
  version: typeof PROTOCOL_VERSION;
  kind: "AgentInfo";
  cluster: string;
  agentVersion: string;
  kubernetesVersion?: string;
  startedAt: string;
  sentAt: string;
  heartbeatSeconds: number;
}

export type BusMessage = DesiredIndex | DesiredBundle | DesiredBundleParts | AddonReport | AgentInfo;
export type BusMessageKind = BusMessage["kind"];
