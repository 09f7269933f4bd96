import { compareText, type KubeObject } from "@flotilla/shared";
import type { Grant } from "./envelope.js";
import { IDENTITY_LABEL, RBAC_GROUP, addonIdentityName, agentReadName, serviceAccountUser, type Subject } from "./names.js";

export interface IdentityPlanInput {
  addon: string;
  /** Where the addon's ServiceAccount lives: the agent's namespace. */
  namespace: string;
  /** The agent itself, given read on the addon's kinds for its watches and health reads. */
  agent: Subject;
  grants: readonly Grant[];
}

/** A question for the API server (SelfSubjectAccessReview) that is true once a written role is in force. */
export interface AccessCheck {
  /** Impersonated user; undefined: the agent itself. */
  as?: string;
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export interface IdentityPlan {
  /** The addon's identity as the API server sees it when impersonated. */
  user: string;
  /** Cluster-scoped objects and the ServiceAccount, in the order they can be applied. */
  cluster: KubeObject[];
  /** Per namespace, its Role and RoleBinding; a namespace may not exist yet (the bundle may create it). */
  namespaced: Map<string, KubeObject[]>;
  /** One per role, answered true once the role is in force (RBAC is cached by the API server). */
  checks: AccessCheck[];
}

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/**
 * The addon's ServiceAccount (in the agent's namespace), a ClusterRole for its cluster-scoped objects
 * (by name), one Role per namespace it writes in, their bindings to the ServiceAccount, and a
 * ClusterRole bound to the agent with get/list/watch on every resource the addon uses (cluster-wide:
 * the agent's watches select by label across namespaces). Roles that would be empty are left out,
 * so an unused ClusterRole or Role is cleaned up, not kept empty. Pure.
 */
export function planIdentity(i: IdentityPlanInput): IdentityPlan {
  const name = addonIdentityName(i.addon);
  const user = serviceAccountUser(i.namespace, name);
  const labels = { [IDENTITY_LABEL]: i.addon, "app.kubernetes.io/managed-by": "flotilla-agent" };
  const meta = (n: string, namespace?: string) => ({ name: n, ...(namespace ? { namespace } : {}), labels });
  const sa: Subject = { kind: "ServiceAccount", namespace: i.namespace, name };
  const cluster: KubeObject[] = [{ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(name, i.namespace) }];
  const checks: AccessCheck[] = [];

  const clusterGrants = i.grants.filter((g) => g.namespace === undefined);
  if (clusterGrants.length) {
    cluster.push(role("ClusterRole", meta(name), rulesOf(clusterGrants)), binding("ClusterRoleBinding", meta(name), "ClusterRole", name, sa));
    checks.push(checkOf(clusterGrants[0], user));
  }
  if (i.grants.length) {
    const read = agentReadName(i.addon);
    const readRules = rulesOf(i.grants.map((g) => ({ group: g.group, resource: g.resource, verbs: ["get", "list", "watch"] })));
    cluster.push(role("ClusterRole", meta(read), readRules), binding("ClusterRoleBinding", meta(read), "ClusterRole", read, i.agent));
    const first = i.grants[0];
    if (first) checks.push({ verb: "list", group: first.group, resource: first.resource });
  }

  const namespaced = new Map<string, KubeObject[]>();
  const byNamespace = new Map<string, Grant[]>();
  for (const g of i.grants) if (g.namespace !== undefined) byNamespace.set(g.namespace, [...(byNamespace.get(g.namespace) ?? []), g]);
  for (const [ns, grants] of [...byNamespace].sort(([a], [b]) => compareText(a, b))) {
    namespaced.set(ns, [role("Role", meta(name, ns), rulesOf(grants)), binding("RoleBinding", meta(name, ns), "Role", name, sa)]);
    checks.push(checkOf(grants[0], user));
  }
  return { user, cluster, namespaced, checks };
}

/** One rule per group, verbs and names, its resources merged; in a stable order. */
function rulesOf(grants: readonly Pick<Grant, "group" | "resource" | "names" | "verbs">[]): Rule[] {
  const rules = new Map<string, Rule>();
  for (const g of grants) {
    const verbs = [...g.verbs].sort();
    const names = g.names ? [...g.names].sort() : undefined;
    const key = JSON.stringify([g.group, verbs, names ?? null]);
    const r = rules.get(key) ?? { apiGroups: [g.group], resources: [], verbs, ...(names ? { resourceNames: names } : {}) };
    if (!r.resources.includes(g.resource)) r.resources.push(g.resource);
    rules.set(key, r);
  }
  return [...rules.entries()].sort(([a], [b]) => compareText(a, b)).map(([, r]) => ({ ...r, resources: [...r.resources].sort() }));
}

function checkOf(g: Grant | undefined, as: string): AccessCheck {
  if (!g) throw new Error("checkOf needs a grant");
  return { as, verb: "get", group: g.group, resource: g.resource, ...(g.namespace ? { namespace: g.namespace } : {}), ...(g.names?.[0] ? { name: g.names[0] } : {}) };
}

const role = (kind: "Role" | "ClusterRole", metadata: KubeObject["metadata"], rules: Rule[]): KubeObject => ({ apiVersion: `${RBAC_GROUP}/v1`, kind, metadata, rules });

function binding(kind: "RoleBinding" | "ClusterRoleBinding", metadata: KubeObject["metadata"], roleKind: "Role" | "ClusterRole", roleName: string, s: Subject): KubeObject {
  const subject = s.kind === "ServiceAccount" ? { kind: "ServiceAccount", namespace: s.namespace, name: s.name } : { kind: "User", apiGroup: RBAC_GROUP, name: s.name };
  return { apiVersion: `${RBAC_GROUP}/v1`, kind, metadata, roleRef: { apiGroup: RBAC_GROUP, kind: roleKind, name: roleName }, subjects: [subject] };
}

/** What names an existing identity object: kind, namespace, name. */
export interface IdentityRef {
  kind: string;
  namespace?: string;
  name: string;
}

const identityKey = (r: IdentityRef): string => `${r.kind}/${r.namespace ?? ""}/${r.name}`;

/** Identity objects of the addon that the plan no longer has (a namespace or a kind left the envelope). Pure. */
export function staleIdentity(existing: readonly IdentityRef[], plan: IdentityPlan): IdentityRef[] {
  const keep = new Set([...plan.cluster, ...[...plan.namespaced.values()].flat()].map((o) => identityKey({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })));
  return existing.filter((r) => !keep.has(identityKey(r)));
}
