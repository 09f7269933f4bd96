import { describe, expect, it } from "vitest";
import type { AddonPermission } from "@flotilla/shared";
import type { ObjectRef } from "../inventory/ref.js";
import { addonEnvelope, CLEANUP_VERBS, kindKey, ROLE_VERBS, WRITE_VERBS, type Grant, type KindInfo } from "./envelope.js";

const kinds = new Map<string, KindInfo>([
  [kindKey("", "Namespace"), { resource: "namespaces", namespaced: false }],
  [kindKey("", "ConfigMap"), { resource: "configmaps", namespaced: true }],
  [kindKey("", "Secret"), { resource: "secrets", namespaced: true }],
  [kindKey("apps", "Deployment"), { resource: "deployments", namespaced: true }],
  [kindKey("rbac.authorization.k8s.io", "ClusterRole"), { resource: "clusterroles", namespaced: false }],
]);
const ref = (group: string, kind: string, name: string, namespace?: string): ObjectRef => ({ group, version: "v1", kind, name, ...(namespace ? { namespace } : {}) });
const ns = ref("", "Namespace", "demo");
const cm = ref("", "ConfigMap", "cfg", "demo");
const cm2 = ref("", "ConfigMap", "other", "elsewhere");
const secret = ref("", "Secret", "token", "demo");
const dep = ref("apps", "Deployment", "web", "demo");
const cr = ref("rbac.authorization.k8s.io", "ClusterRole", "reader");

const write = (g: Omit<Grant, "verbs">): Grant => ({ ...g, verbs: WRITE_VERBS });
const clean = (g: Omit<Grant, "verbs">): Grant => ({ ...g, verbs: CLEANUP_VERBS });

describe("addonEnvelope", () => {
  it.each<[string, readonly AddonPermission[] | undefined, ObjectRef[], ObjectRef[], Grant[]]>([
    [
      "derived: every object's kind in its namespace, cluster-scoped kinds by name",
      undefined, [ns, cm, dep, cr], [],
      [write({ group: "", resource: "namespaces", names: ["demo"] }), write({ group: "", resource: "configmaps", namespace: "demo" }), write({ group: "apps", resource: "deployments", namespace: "demo" }), write({ group: "rbac.authorization.k8s.io", resource: "clusterroles", names: ["reader"] }), { group: "rbac.authorization.k8s.io", resource: "clusterroles", names: ["reader"], verbs: ROLE_VERBS }],
    ],
    [
      "declared ConfigMaps only: the Secret gets nothing",
      [{ kinds: ["ConfigMap"] }], [cm, secret], [],
      [write({ group: "", resource: "configmaps", namespace: "demo" })],
    ],
    [
      "declared without namespaces: only the install namespace",
      [{ kinds: ["ConfigMap"] }], [cm, cm2], [],
      [write({ group: "", resource: "configmaps", namespace: "demo" })],
    ],
    [
      "declared namespaces replace the install namespace",
      [{ kinds: ["ConfigMap"], namespaces: ["elsewhere"] }], [cm, cm2], [],
      [write({ group: "", resource: "configmaps", namespace: "elsewhere" })],
    ],
    [
      "the group must match: Deployment declared in the core group covers nothing",
      [{ kinds: ["Deployment"] }], [dep], [],
      [],
    ],
    [
      "a declared cluster-scoped kind is still confined to the bundle's names",
      [{ group: "rbac.authorization.k8s.io", kinds: ["ClusterRole"] }, { kinds: ["Namespace"] }], [ns, cr], [],
      [
        write({ group: "", resource: "namespaces", names: ["demo"] }),
        write({ group: "rbac.authorization.k8s.io", resource: "clusterroles", names: ["reader"] }),
        { group: "rbac.authorization.k8s.io", resource: "clusterroles", names: ["reader"], verbs: ROLE_VERBS },
      ],
    ],
    [
      "what an earlier revision made and this one leaves out: read and delete by name",
      undefined, [cm], [cm, ref("", "ConfigMap", "old", "demo"), secret, ref("rbac.authorization.k8s.io", "ClusterRole", "old")],
      [write({ group: "", resource: "configmaps", namespace: "demo" }), clean({ group: "", resource: "secrets", namespace: "demo", names: ["token"] }), clean({ group: "rbac.authorization.k8s.io", resource: "clusterroles", names: ["old"] })],
    ],
  ])("%s", (_n, permissions, objects, inventory, grants) => {
    const e = addonEnvelope({ installNamespace: "demo", ...(permissions ? { permissions } : {}), objects, inventory, kinds });
    expect(e.grants).toEqual(grants);
    expect(e.unresolved).toEqual([]);
  });

  it("names kinds it cannot resolve and grants nothing for them", () => {
    const widget = ref("example.com", "Widget", "w", "demo");
    expect(addonEnvelope({ installNamespace: "demo", objects: [widget, cm], inventory: [], kinds })).toEqual({
      grants: [write({ group: "", resource: "configmaps", namespace: "demo" })],
      unresolved: ["example.com/Widget"],
    });
  });

  it("lets the addon bind exactly the roles its bindings name that it does not make itself, by name", () => {
    const env = addonEnvelope({
      installNamespace: "demo",
      objects: [cr],
      inventory: [],
      kinds,
      roleRefs: [
        { kind: "ClusterRole", name: "reader" }, // made by the bundle: already covered by bind+escalate
        { kind: "ClusterRole", name: "system:auth-delegator" },
        { kind: "Role", name: "extension-apiserver-authentication-reader", namespace: "kube-system" },
      ],
    });
    expect(env.grants.filter((g) => g.verbs.includes("bind"))).toEqual([
      { group: "rbac.authorization.k8s.io", resource: "clusterroles", names: ["reader"], verbs: ROLE_VERBS },
      { group: "rbac.authorization.k8s.io", resource: "clusterroles", names: ["system:auth-delegator"], verbs: ["bind"] },
      { group: "rbac.authorization.k8s.io", resource: "roles", namespace: "kube-system", names: ["extension-apiserver-authentication-reader"], verbs: ["bind"] },
    ]);
  });
});
