/** The API types the hub uses: the ones generated from crds/ (never written by hand), plus aliases. */
export type {
  AddOnRevision,
  AddOnRevisionSpec,
  AddOnSource,
  ApprovedStep,
  AddonSummary,
  ClusterManagementAddOn,
  ClusterManagementAddOnSpec,
  ClusterManagementAddOnStatus,
  ChartResolution,
  ValuesReference,
  HelmSource,
  ImagePolicy,
  ImagePolicyRules,
  SecretReference,
  ManagedCluster,
  ManagedClusterStatus,
  ManagedClusterAddOn,
  ManagedClusterAddOnStatus,
  Placement,
  ResourceStatus,
  RolloutPhase,
  RolloutStatus,
} from "@flotilla/shared";

/** Helm-style values: a JSON object. */
export type Values = Record<string, unknown>;
