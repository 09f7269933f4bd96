/**
 * What a deploy/rbac file says, read without a cluster (pure): the rules of its Roles and ClusterRoles,
 * the wildcards it must not hold, and the access reviews that tell when its grants are in force.
 */

/** The part of a Kubernetes object these functions read. */
export interface RbacDoc {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  rules?: RbacRule[];
}

export interface RbacRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs?: string[];
}

/**
 * The one API group whose resources may be granted by wildcard: the hub's generated config kinds
 * (`<Addon>Config`), one per addon, unknown in advance. The group holds nothing else.
 */
export const WILDCARD_RESOURCE_GROUPS: readonly string[] = ["config.addon.flotilla.dev"];

const ROLE_KINDS = new Set(["Role", "ClusterRole"]);

/** Every wildcard the file must not hold, each named by role and rule index; empty when clean. */
export function wildcardFindings(docs: readonly RbacDoc[]): string[] {
  const findings: string[] = [];
  for (const doc of docs) {
    if (!ROLE_KINDS.has(doc.kind ?? "")) continue;
    for (const [i, r] of (doc.rules ?? []).entries()) {
      const at = `${doc.kind} ${doc.metadata?.name ?? "?"} rules[${i}]`;
      if (r.verbs?.includes("*")) findings.push(`${at}: wildcard verb`);
      if (r.apiGroups?.includes("*")) findings.push(`${at}: wildcard API group`);
      const wildResource = r.resources?.some((res) => res === "*" || res.startsWith("*/") || res.endsWith("/*"));
      const ownGroupsOnly = (r.apiGroups ?? []).length > 0 && (r.apiGroups ?? []).every((g) => WILDCARD_RESOURCE_GROUPS.includes(g));
      if (wildResource && !ownGroupsOnly) findings.push(`${at}: wildcard resource in ${JSON.stringify(r.apiGroups ?? [])}`);
      if (r.nonResourceURLs?.includes("*")) findings.push(`${at}: wildcard non-resource URL`);
    }
  }
  return findings;
}

/** Roles the file binds that it does not define itself (cluster-admin, say); empty when none. */
export function foreignRoleRefs(docs: readonly (RbacDoc & { roleRef?: { kind?: string; name?: string } })[]): string[] {
  const defined = new Set(docs.filter((d) => ROLE_KINDS.has(d.kind ?? "")).map((d) => `${d.kind}/${d.metadata?.name ?? ""}`));
  return docs
    .filter((d) => d.roleRef !== undefined && !defined.has(`${d.roleRef.kind ?? ""}/${d.roleRef.name ?? ""}`))
    .map((d) => `${d.kind} ${d.metadata?.name ?? "?"} binds ${d.roleRef?.kind ?? "?"} ${d.roleRef?.name ?? "?"}`);
}

/** One SubjectAccessReview's resource attributes. */
export interface AccessCheck {
  group: string;
  resource: string;
  subresource?: string;
  verb: string;
  namespace?: string;
  name?: string;
}

/**
 * One access review per resource rule (its first group, resource, name and verb; a namespace for a
 * Role's rule): once all are allowed for the subject, the file's grants are in force. A wildcard
 * resource is checked with a name no real resource has: the wildcard is what grants it.
 */
export function accessChecks(docs: readonly RbacDoc[]): AccessCheck[] {
  const checks: AccessCheck[] = [];
  for (const doc of docs) {
    if (!ROLE_KINDS.has(doc.kind ?? "")) continue;
    for (const r of doc.rules ?? []) {
      const [group, res, verb] = [r.apiGroups?.[0], r.resources?.[0], r.verbs?.[0]];
      if (group === undefined || res === undefined || verb === undefined) continue; // a non-resource rule
      const [resource = "", subresource] = (res === "*" ? "flotilla-rbac-probe" : res).split("/");
      const name = r.resourceNames?.[0];
      checks.push({
        group,
        resource,
        verb,
        ...(subresource ? { subresource } : {}),
        ...(doc.kind === "Role" && doc.metadata?.namespace ? { namespace: doc.metadata.namespace } : {}),
        ...(name ? { name } : {}),
      });
    }
  }
  return checks;
}
