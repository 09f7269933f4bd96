import { describe, expect, it } from "vitest";
import type { KubeObject } from "@flotilla/shared";
import { prepareObject, scopeKey, scopesFromCrds } from "./prepare.js";

const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { app: "x" }, uid: "u", resourceVersion: "7", managedFields: [] }, data: { a: "1" } };

describe("prepareObject", () => {
  it("labels, namespaces and strips server fields", () => {
    const out = prepareObject(cm, "metrics", "flotilla-metrics", true);
    expect(out.metadata).toEqual({ name: "c", namespace: "flotilla-metrics", labels: { app: "x", "addon.flotilla.dev/name": "metrics" } });
    expect(out.data).toEqual({ a: "1" });
    expect(cm.metadata.namespace).toBeUndefined();
    expect(cm.metadata.uid).toBe("u");
  });

  it.each([
    { name: "namespaced, own namespace kept", ns: "mine", namespaced: true, expected: "mine" },
    { name: "namespaced, none given", ns: undefined, namespaced: true, expected: "inst" },
    { name: "cluster-scoped, namespace dropped", ns: "mine", namespaced: false, expected: undefined },
    { name: "unknown scope, namespace kept", ns: "mine", namespaced: undefined, expected: "mine" },
    { name: "unknown scope, none given", ns: undefined, namespaced: undefined, expected: undefined },
  ])("$name", ({ ns, namespaced, expected }) => {
    const obj: KubeObject = { apiVersion: "v1", kind: "X", metadata: { name: "n", ...(ns ? { namespace: ns } : {}) } };
    expect(prepareObject(obj, "a", "inst", namespaced).metadata.namespace).toBe(expected);
  });

  it("overrides a foreign addon label", () => {
    const obj: KubeObject = { apiVersion: "v1", kind: "X", metadata: { name: "n", labels: { "addon.flotilla.dev/name": "other" } } };
    expect(prepareObject(obj, "a", "", true).metadata.labels).toEqual({ "addon.flotilla.dev/name": "a" });
  });
});

describe("scopesFromCrds", () => {
  it("reads scope from bundled CRDs", () => {
    const crd = (kind: string, scope: string): KubeObject => ({
      apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: `${kind.toLowerCase()}s.example.com` },
      spec: { group: "example.com", scope, names: { kind, plural: `${kind.toLowerCase()}s` } },
    });
    const scopes = scopesFromCrds([crd("Widget", "Namespaced"), crd("Gadget", "Cluster"), cm]);
    expect(scopes.get(scopeKey("example.com/v1", "Widget"))).toBe(true);
    expect(scopes.get(scopeKey("example.com/v1beta1", "Gadget"))).toBe(false);
    expect(scopes.size).toBe(2);
  });
});
