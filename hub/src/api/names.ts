/**
 * Field managers of the hub. Each writer owns disjoint status fields, so server-side apply never makes
 * one writer remove what another set (applyStatus removes the owned fields a manager omits).
 */
import { HUB_FIELD_MANAGER } from "@flotilla/shared";

/** CMA status, ManagedCluster status, MCA objects, and MCA status from agent reports. */
export const HUB_MANAGER = HUB_FIELD_MANAGER;
/** MCA `status.desiredRevision`: the rollout decision. */
export const ROLLOUT_MANAGER = `${HUB_FIELD_MANAGER}-rollout`;
/** MCA conditions `Rendered`, `ValuesValid` and `ImagePolicyCompliant`: whether the hub could render (and may publish) the bundle for the cluster. */
export const RENDER_MANAGER = `${HUB_FIELD_MANAGER}-render`;
/** Writes CMA `status.source` (the chart a helm source resolved to) and nothing else. */
export const SOURCE_MANAGER = `${HUB_FIELD_MANAGER}-source`;

/** CMA condition `ConfigCRDReady`: whether the addon's config CRD is generated (hub/src/controllers/config). */
export const CONFIG_CRD_MANAGER = `${HUB_FIELD_MANAGER}-configcrd`;
export const CONFIG_CRD_READY_CONDITION = "ConfigCRDReady";
/** The CMA conditions the config CRD manager owns; the placement controller neither writes nor compares them. */
export const CONFIG_CRD_CONDITIONS: readonly string[] = [CONFIG_CRD_READY_CONDITION];

/** MCA condition set by the publisher while rendering fails; the status controller folds it into Degraded. */
export const RENDERED_CONDITION = "Rendered";
/** MCA condition set by the publisher while the cluster's values fail `valuesSchema`; folded into Degraded too. */
export const VALUES_VALID_CONDITION = "ValuesValid";
/**
 * MCA condition set by the publisher while the cluster's render breaks an image policy (nothing new is
 * published for it), and the CMA condition of the same name for the update revision as a whole.
 */
export const IMAGE_POLICY_CONDITION = "ImagePolicyCompliant";
/** The MCA conditions the render manager owns; every other writer leaves them alone. */
export const RENDER_CONDITIONS: readonly string[] = [RENDERED_CONDITION, VALUES_VALID_CONDITION, IMAGE_POLICY_CONDITION];

/**
 * Why a CMA changed, as `kubectl annotate … kubernetes.io/change-cause=…` records it (the convention of
 * `kubectl rollout history`); copied onto each AddOnRevision when it is recorded.
 */
export const CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";

/**
 * Approves canary `pause: {}` steps, declaratively (commit it with GitOps) or by `flotilla rollout
 * promote`: a comma-separated list of `<revision>/<step>` (1-based step index) or `<revision>/*` (every
 * pause of that revision). Approvals name the revision, so a new revision never inherits them.
 */
export const PROMOTE_ANNOTATION = "addon.flotilla.dev/promote";

/** ManagedCluster `status.credentials` and `status.registration`, and the credentials finalizer: bus credentials. */
export const CREDENTIALS_MANAGER = `${HUB_FIELD_MANAGER}-credentials`;
/** Held while a cluster has credentials that are not revoked yet: deleting the cluster revokes them first. */
export const CREDENTIALS_FINALIZER = "cluster.flotilla.dev/credentials";

/**
 * ManagedCluster condition `AgentInstalled` and the agent-install finalizer (hub/src/controllers/agentinstall);
 * also the field manager of what the hub applies on a managed cluster when it installs the agent there.
 */
export const INSTALL_MANAGER = `${HUB_FIELD_MANAGER}-installer`;
export const AGENT_INSTALLED_CONDITION = "AgentInstalled";
/** Held while the hub has installed the agent into a cluster: deleting the cluster removes it first. */
export const AGENT_INSTALL_FINALIZER = "cluster.flotilla.dev/agent-install";

/**
 * On the leader Lease: the version of the hub holding it, written with every renew (a standby that takes
 * over writes its own). `flotilla version` reads it, as `kubectl version` reads the server's.
 */
export const HUB_VERSION_ANNOTATION = "flotilla.dev/hub-version";
