/**
 * The agent's RBAC on a managed cluster, as deploy/rbac/agent.yaml states it (why each rule exists is
 * written there; rbac.test.ts keeps the two equal), with the namespace a parameter: the hub installs
 * the agent into `spec.agentInstall.namespace`. Embedded rather than read at run time so the hub's
 * image needs no copy of deploy/.
 */
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;

export const AGENT_NAME = "flotilla-agent";
export const AGENT_CREDENTIALS_SECRET = "flotilla-agent-credentials";

const sa = (namespace: string) => [{ kind: "ServiceAccount", name: AGENT_NAME, namespace }];
const ref = (kind: "ClusterRole" | "Role") => ({ apiGroup: "rbac.authorization.k8s.io", kind, name: AGENT_NAME });

export function agentRbac(namespace: string): KubeObject[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: AGENT_NAME, namespace } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: AGENT_NAME },
      rules: [
        { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], resourceNames: ["appliedaddons.agent.flotilla.dev"], verbs: ["get", "create", "patch"] },
        { apiGroups: ["agent.flotilla.dev"], resources: ["appliedaddons"], verbs: ["get", "list", "create", "patch", "delete"] },
        { apiGroups: ["agent.flotilla.dev"], resources: ["appliedaddons/status"], verbs: ["patch"] },
        { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles", "roles"], verbs: ["list", "create", "patch", "delete", "bind", "escalate"] },
        { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterrolebindings", "rolebindings"], verbs: ["list", "create", "patch", "delete"] },
        { nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/version"], verbs: ["get"] },
      ],
    },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: AGENT_NAME }, roleRef: ref("ClusterRole"), subjects: sa(namespace) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: AGENT_NAME, namespace },
      rules: [
        { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["list", "create", "patch", "delete"] },
        { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
        { apiGroups: [""], resources: ["secrets"], resourceNames: [AGENT_CREDENTIALS_SECRET], verbs: ["get", "create", "patch"] },
      ],
    },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: AGENT_NAME, namespace }, roleRef: ref("Role"), subjects: sa(namespace) },
  ];
}
