import { describe, expect, it } from "vitest";
import { CLEANUP_VERBS, WRITE_VERBS, type Grant } from "./envelope.js";
import { IDENTITY_LABEL, subjectOf } from "./names.js";
import { planIdentity, staleIdentity } from "./plan.js";

const agent = subjectOf("system:serviceaccount:flotilla-system:flotilla-agent");
const grants: Grant[] = [
  { group: "", resource: "namespaces", names: ["demo"], verbs: WRITE_VERBS },
  { group: "", resource: "configmaps", namespace: "demo", verbs: WRITE_VERBS },
  { group: "apps", resource: "deployments", namespace: "demo", verbs: WRITE_VERBS },
  { group: "", resource: "secrets", namespace: "demo", names: ["old"], verbs: CLEANUP_VERBS },
  { group: "", resource: "configmaps", namespace: "other", verbs: WRITE_VERBS },
];

describe("planIdentity", () => {
  const plan = planIdentity({ addon: "demo", namespace: "flotilla-system", agent, grants });
  const find = (kind: string, ns?: string) => [...plan.cluster, ...[...plan.namespaced.values()].flat()].find((o) => o.kind === kind && o.metadata.namespace === ns);

  it("a ServiceAccount per addon in the agent's namespace, impersonated as its user name", () => {
    expect(plan.user).toBe("system:serviceaccount:flotilla-system:flotilla-addon-demo");
    expect(plan.cluster[0]).toMatchObject({ kind: "ServiceAccount", metadata: { name: "flotilla-addon-demo", namespace: "flotilla-system", labels: { [IDENTITY_LABEL]: "demo" } } });
  });

  it("cluster-scoped objects by name in a ClusterRole bound to the ServiceAccount", () => {
    expect(find("ClusterRole")).toMatchObject({ metadata: { name: "flotilla-addon-demo" }, rules: [{ apiGroups: [""], resources: ["namespaces"], resourceNames: ["demo"], verbs: ["create", "delete", "get", "patch"] }] });
    expect(find("ClusterRoleBinding")).toMatchObject({ roleRef: { kind: "ClusterRole", name: "flotilla-addon-demo" }, subjects: [{ kind: "ServiceAccount", namespace: "flotilla-system", name: "flotilla-addon-demo" }] });
  });

  it("one Role and RoleBinding per namespace, resources of a group and verbs merged into one rule", () => {
    expect([...plan.namespaced.keys()]).toEqual(["demo", "other"]);
    expect(plan.namespaced.get("demo")?.[0]).toMatchObject({
      kind: "Role",
      rules: [
        { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "delete", "get", "patch"] },
        { apiGroups: [""], resources: ["secrets"], resourceNames: ["old"], verbs: ["delete", "get"] },
        { apiGroups: ["apps"], resources: ["deployments"], verbs: ["create", "delete", "get", "patch"] },
      ],
    });
    expect(plan.namespaced.get("other")?.[1]).toMatchObject({ kind: "RoleBinding", metadata: { namespace: "other" }, roleRef: { kind: "Role", name: "flotilla-addon-demo" } });
  });

  it("the agent reads (get/list/watch) every resource the addon uses, cluster-wide, and no more", () => {
    const read = plan.cluster.find((o) => o.metadata.name === "flotilla-agent-read-demo" && o.kind === "ClusterRole");
    expect(read).toMatchObject({ rules: [{ apiGroups: [""], resources: ["configmaps", "namespaces", "secrets"], verbs: ["get", "list", "watch"] }, { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch"] }] });
    const bind = plan.cluster.find((o) => o.metadata.name === "flotilla-agent-read-demo" && o.kind === "ClusterRoleBinding");
    expect(bind).toMatchObject({ subjects: [{ kind: "ServiceAccount", namespace: "flotilla-system", name: "flotilla-agent" }] });
  });

  it("one access check per role, as whom it is for", () => {
    expect(plan.checks).toEqual([
      { as: plan.user, verb: "get", group: "", resource: "namespaces", name: "demo" },
      { verb: "list", group: "", resource: "namespaces" },
      { as: plan.user, verb: "get", group: "", resource: "configmaps", namespace: "demo" },
      { as: plan.user, verb: "get", group: "", resource: "configmaps", namespace: "other" },
    ]);
  });

  it.each([
    ["no grants: only the ServiceAccount", [], ["ServiceAccount"]],
    ["namespaced grants only: no ClusterRole for the addon", [grants[1]!], ["ServiceAccount", "ClusterRole", "ClusterRoleBinding"]],
  ])("%s", (_n, g, kinds) => {
    const p = planIdentity({ addon: "demo", namespace: "flotilla-system", agent, grants: g });
    expect(p.cluster.map((o) => o.kind)).toEqual(kinds);
    if (g.length) expect(p.cluster[1]?.metadata.name).toBe("flotilla-agent-read-demo");
  });

  it("a user that is not a ServiceAccount is bound as a User", () => {
    const p = planIdentity({ addon: "demo", namespace: "ns", agent: subjectOf("admin"), grants });
    expect(p.cluster.find((o) => o.kind === "ClusterRoleBinding" && o.metadata.name === "flotilla-agent-read-demo")).toMatchObject({ subjects: [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "admin" }] });
  });
});

describe("staleIdentity", () => {
  it("lists the identity objects the plan no longer has", () => {
    const plan = planIdentity({ addon: "demo", namespace: "flotilla-system", agent, grants: [grants[1]!] });
    const existing = [
      { kind: "ServiceAccount", namespace: "flotilla-system", name: "flotilla-addon-demo" },
      { kind: "ClusterRole", name: "flotilla-addon-demo" },
      { kind: "Role", namespace: "demo", name: "flotilla-addon-demo" },
      { kind: "Role", namespace: "gone", name: "flotilla-addon-demo" },
      { kind: "RoleBinding", namespace: "gone", name: "flotilla-addon-demo" },
    ];
    expect(staleIdentity(existing, plan)).toEqual([existing[1], existing[3], existing[4]]);
  });
});
