/** Names and labels of the RBAC objects the agent makes for each addon (one place, so plan and cleanup agree). */

/** On every identity object, with the addon's name: how the agent finds them again (cleanup, uninstall). */
export const IDENTITY_LABEL = "identity.flotilla.dev/addon";
export const IDENTITY_FIELD_MANAGER = "flotilla-agent-identity";
export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** ServiceAccount, ClusterRole, ClusterRoleBinding, Roles and RoleBindings of the addon's own identity. */
export const addonIdentityName = (addon: string): string => `flotilla-addon-${addon}`;
/** ClusterRole and ClusterRoleBinding giving the agent itself read (get/list/watch) on the addon's kinds. */
export const agentReadName = (addon: string): string => `flotilla-agent-read-${addon}`;
/** The user name the API server sees when the agent impersonates the addon's ServiceAccount. */
export const serviceAccountUser = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

/** Whom a binding names: the agent's own identity as the API server reports it (SelfSubjectReview). */
export type Subject = { kind: "ServiceAccount"; namespace: string; name: string } | { kind: "User"; name: string };

/** A ServiceAccount user name becomes a ServiceAccount subject; anything else a User. */
export function subjectOf(username: string): Subject {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return m ? { kind: "ServiceAccount", namespace: m[1] ?? "", name: m[2] ?? "" } : { kind: "User", name: username };
}
