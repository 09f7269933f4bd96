/** API groups, versions, resource names and well-known labels (DESIGN §4). */
export const CLUSTER_GROUP = "cluster.flotilla.dev";
export const ADDON_GROUP = "addon.flotilla.dev";
export const AGENT_GROUP = "agent.flotilla.dev";
export const API_VERSION = "v1alpha1";

export const resources = {
  managedClusters: { group: CLUSTER_GROUP, version: API_VERSION, plural: "managedclusters", kind: "ManagedCluster", namespaced: false },
  clusterManagementAddOns: { group: ADDON_GROUP, version: API_VERSION, plural: "clustermanagementaddons", kind: "ClusterManagementAddOn", namespaced: false },
  managedClusterAddOns: { group: ADDON_GROUP, version: API_VERSION, plural: "managedclusteraddons", kind: "ManagedClusterAddOn", namespaced: true },
  addOnRevisions: { group: ADDON_GROUP, version: API_VERSION, plural: "addonrevisions", kind: "AddOnRevision", namespaced: false },
  imagePolicies: { group: ADDON_GROUP, version: API_VERSION, plural: "imagepolicies", kind: "ImagePolicy", namespaced: false },
  appliedAddOns: { group: AGENT_GROUP, version: API_VERSION, plural: "appliedaddons", kind: "AppliedAddOn", namespaced: false },
} as const;
export type ResourceRef = (typeof resources)[keyof typeof resources];

/** Label put on every object the agent applies. */
export const ADDON_NAME_LABEL = "addon.flotilla.dev/name";
/** Objects carrying this annotation (any value) are never pruned. */
export const KEEP_ANNOTATION = "addon.flotilla.dev/keep";
/** Label on hub objects (MCAs) naming the cluster they belong to. */
export const CLUSTER_NAME_LABEL = "cluster.flotilla.dev/name";
/**
 * Put `dev.flotilla.dev/simulate: fail` on a workload to make the workload simulator of the test harness
 * and `flotilla dev` fail it instead of making it ready (dev and test only; a real cluster ignores it).
 */
export const SIMULATE_ANNOTATION = "dev.flotilla.dev/simulate";

export const AGENT_FIELD_MANAGER = "flotilla-agent";
export const HUB_FIELD_MANAGER = "flotilla-hub";

/** DNS-1123 label, no dots: cluster and addon names become bus subject tokens. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
