import { describe, expect, it } from "vitest";
import { accessChecks, foreignRoleRefs, wildcardFindings, type RbacDoc, type RbacRule } from "./rbac-rules.js";
import { FLOTILLA_IDENTITIES, readRbacFile, type FlotillaPart } from "./rbac.js";

const role = (...rules: RbacRule[]): RbacDoc => ({ kind: "ClusterRole", metadata: { name: "r" }, rules });

describe("wildcardFindings", () => {
  it.each<[string, RbacRule, string[]]>([
    ["a narrow rule", { apiGroups: [""], resources: ["secrets"], verbs: ["get"] }, []],
    ["a wildcard verb", { apiGroups: [""], resources: ["secrets"], verbs: ["*"] }, ["ClusterRole r rules[0]: wildcard verb"]],
    ["a wildcard group", { apiGroups: ["*"], resources: ["secrets"], verbs: ["get"] }, ["ClusterRole r rules[0]: wildcard API group"]],
    ["a wildcard core resource", { apiGroups: [""], resources: ["*"], verbs: ["get"] }, ['ClusterRole r rules[0]: wildcard resource in [""]']],
    ["every subresource", { apiGroups: ["apps"], resources: ["deployments/*"], verbs: ["get"] }, ['ClusterRole r rules[0]: wildcard resource in ["apps"]']],
    ["a subresource of everything", { apiGroups: ["apps"], resources: ["*/scale"], verbs: ["get"] }, ['ClusterRole r rules[0]: wildcard resource in ["apps"]']],
    ["the generated config kinds", { apiGroups: ["config.addon.flotilla.dev"], resources: ["*"], verbs: ["get"] }, []],
    ["config kinds mixed with a core group", { apiGroups: ["config.addon.flotilla.dev", ""], resources: ["*"], verbs: ["get"] }, ['ClusterRole r rules[0]: wildcard resource in ["config.addon.flotilla.dev",""]']],
    ["every non-resource URL", { nonResourceURLs: ["*"], verbs: ["get"] }, ["ClusterRole r rules[0]: wildcard non-resource URL"]],
    ["discovery paths", { nonResourceURLs: ["/apis/*"], verbs: ["get"] }, []],
  ])("%s", (_name, rule, want) => {
    expect(wildcardFindings([role(rule)])).toEqual(want);
  });

  it("reads only roles", () => {
    expect(wildcardFindings([{ kind: "ConfigMap", rules: [{ verbs: ["*"] }] }])).toEqual([]);
  });
});

describe("foreignRoleRefs", () => {
  it("names a binding to a role the file does not define", () => {
    const docs = [role(), { kind: "ClusterRoleBinding", metadata: { name: "b" }, roleRef: { kind: "ClusterRole", name: "r" } }, { kind: "ClusterRoleBinding", metadata: { name: "admin" }, roleRef: { kind: "ClusterRole", name: "cluster-admin" } }];
    expect(foreignRoleRefs(docs)).toEqual(["ClusterRoleBinding admin binds ClusterRole cluster-admin"]);
  });
});

describe("accessChecks", () => {
  it.each<[string, RbacDoc, ReturnType<typeof accessChecks>]>([
    ["a cluster rule", role({ apiGroups: ["a.io"], resources: ["things"], verbs: ["list", "watch"] }), [{ group: "a.io", resource: "things", verb: "list" }]],
    ["a subresource", role({ apiGroups: ["a.io"], resources: ["things/status"], verbs: ["patch"] }), [{ group: "a.io", resource: "things", subresource: "status", verb: "patch" }]],
    ["a named rule of a Role", { kind: "Role", metadata: { name: "r", namespace: "ns" }, rules: [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["l"], verbs: ["get"] }] }, [{ group: "coordination.k8s.io", resource: "leases", verb: "get", namespace: "ns", name: "l" }]],
    ["a wildcard resource", role({ apiGroups: ["config.addon.flotilla.dev"], resources: ["*"], verbs: ["get"] }), [{ group: "config.addon.flotilla.dev", resource: "flotilla-rbac-probe", verb: "get" }]],
    ["a non-resource rule", role({ nonResourceURLs: ["/api"], verbs: ["get"] }), []],
  ])("%s", (_name, doc, want) => {
    expect(accessChecks([doc])).toEqual(want);
  });
});

// The files the fleet runs the hub and agents under (deploy/rbac): the static half of the proof.
describe.each(Object.keys(FLOTILLA_IDENTITIES) as FlotillaPart[])("deploy/rbac/%s.yaml", (part) => {
  it("holds no wildcard verb, group or core resource, and binds only its own roles to its own ServiceAccount", async () => {
    const docs = await readRbacFile(part);
    expect(wildcardFindings(docs)).toEqual([]);
    expect(foreignRoleRefs(docs)).toEqual([]);
    const id = FLOTILLA_IDENTITIES[part];
    const subjects = docs.flatMap((d) => (d as { subjects?: unknown[] }).subjects ?? []);
    expect(subjects.length).toBeGreaterThan(0);
    for (const s of subjects) expect(s).toEqual({ kind: "ServiceAccount", name: id.serviceAccount, namespace: id.namespace });
    expect(docs.some((d) => d.kind === "ServiceAccount" && d.metadata?.name === id.serviceAccount)).toBe(true);
  });
});
