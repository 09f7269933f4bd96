import { describe, expect, it } from "vitest";
import { CLEANUP_VERBS, WRITE_VERBS, type Grant } from "./envelope.js";
import { grantsCover, requestTarget, type RequestTarget } from "./refusal.js";

describe("requestTarget", () => {
  it.each<[string, string, RequestTarget | undefined]>([
    ["PATCH", "https://h:6443/api/v1/namespaces/demo/configmaps/cfg?fieldManager=x&force=true", { verb: "patch", group: "", resource: "configmaps", namespace: "demo", name: "cfg" }],
    ["GET", "https://h/apis/apps/v1/namespaces/demo/deployments/web", { verb: "get", group: "apps", resource: "deployments", namespace: "demo", name: "web" }],
    ["DELETE", "https://h/apis/rbac.authorization.k8s.io/v1/clusterroles/reader", { verb: "delete", group: "rbac.authorization.k8s.io", resource: "clusterroles", name: "reader" }],
    ["PATCH", "https://h/api/v1/namespaces/demo", { verb: "patch", group: "", resource: "namespaces", name: "demo" }],
    ["POST", "https://h/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", { verb: "create", group: "authorization.k8s.io", resource: "selfsubjectaccessreviews" }],
    ["GET", "https://h/version", undefined],
  ])("%s %s", (method, url, target) => {
    expect(requestTarget(method, url)).toEqual(target);
  });
});

describe("grantsCover", () => {
  const grants: Grant[] = [
    { group: "", resource: "configmaps", namespace: "demo", verbs: WRITE_VERBS },
    { group: "", resource: "namespaces", names: ["demo"], verbs: WRITE_VERBS },
    { group: "", resource: "secrets", namespace: "demo", names: ["old"], verbs: CLEANUP_VERBS },
  ];
  it.each<[string, RequestTarget, boolean]>([
    ["a ConfigMap in its namespace: the role is missing", { verb: "patch", group: "", resource: "configmaps", namespace: "demo", name: "x" }, true],
    ["a ConfigMap elsewhere: refused on purpose", { verb: "patch", group: "", resource: "configmaps", namespace: "other", name: "x" }, false],
    ["its own Namespace by name", { verb: "patch", group: "", resource: "namespaces", name: "demo" }, true],
    ["another Namespace", { verb: "patch", group: "", resource: "namespaces", name: "kube-system" }, false],
    ["an undeclared Secret", { verb: "patch", group: "", resource: "secrets", namespace: "demo", name: "token" }, false],
    ["deleting a leftover Secret", { verb: "delete", group: "", resource: "secrets", namespace: "demo", name: "old" }, true],
    ["patching a leftover Secret", { verb: "patch", group: "", resource: "secrets", namespace: "demo", name: "old" }, false],
  ])("%s", (_n, t, covered) => {
    expect(grantsCover(grants, t)).toBe(covered);
  });
});
