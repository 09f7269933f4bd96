/** The Flotilla API (DESIGN §4): constants, the types and CRD objects generated from crds/*.yaml. */
export * from "./constants.js";

// Every generated type except ConditionStatus, DriftPolicy and ResourceStatus, which the package index
// exports itself (the bus messages use them too).
export type {
  // ManagedCluster
  ManagedCluster,
  ManagedClusterSpec,
  ManagedClusterStatus,
  AgentInstall,
  AgentStatus,
  // ClusterManagementAddOn
  ClusterManagementAddOn,
  ClusterManagementAddOnSpec,
  ClusterManagementAddOnStatus,
  InstallStrategy,
  InstallStrategyType,
  Placement,
  RolloutStrategy,
  RolloutType,
  RollingStrategy,
  CanaryStrategy,
  CanaryStep,
  CanaryPause,
  RolloutStatus,
  RolloutPhase,
  AddonSummary,
  LabelSelector,
  LabelSelectorRequirement,
  LabelSelectorOperator,
  // ManagedClusterAddOn
  ManagedClusterAddOn,
  ManagedClusterAddOnSpec,
  ManagedClusterAddOnStatus,
  // AddOnRevision
  AddOnRevision,
  AddOnRevisionSpec,
  AddOnRevisionStatus,
  // AppliedAddOn
  AppliedAddOn,
  AppliedAddOnSpec,
  AppliedAddOnStatus,
  InventoryEntry,
  // shared by several kinds
  Condition,
  SecretReference,
  AddOnSource,
  Manifest,
  HelmSource,
  HealthCheck,
  HealthCheckCondition,
  HealthCheckField,
} from "./types.generated.js";

export {
  crds,
  hubCrds,
  agentCrds,
  managedClusterCrd,
  clusterManagementAddOnCrd,
  managedClusterAddOnCrd,
  addOnRevisionCrd,
  appliedAddOnCrd,
  type CrdObject,
} from "./crds.generated.js";
export { crdModel } from "./crds.js";
