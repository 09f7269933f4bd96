import { describe, expect, it } from "vitest";
import { decideDelete, mergeInventory, pruneCandidates, sameInventory, uninstallOrder, type LiveFacts } from "./prune-plan.js";
import type { InventoryItem, ObjectRef } from "./ref.js";

const item = (kind: string, name: string, uid = `uid-${name}`, namespace: string | undefined = "ns", group = kind === "Deployment" ? "apps" : ""): InventoryItem => ({
  group, version: "v1", kind, name, uid, ...(namespace ? { namespace } : {}),
});
const ref = (i: InventoryItem): ObjectRef => {
  const { uid: _u, ...r } = i;
  return r;
};

describe("pruneCandidates", () => {
  const ns = item("Namespace", "ns", "u-ns", undefined);
  const cm = item("ConfigMap", "cm");
  const dep = item("Deployment", "web");
  const sa = item("ServiceAccount", "sa");

  it.each([
    { name: "nothing removed", previous: [ns, cm, dep], desired: [ns, cm, dep], expected: [] },
    { name: "one removed", previous: [ns, cm, dep], desired: [ns, dep], expected: ["ConfigMap/cm"] },
    { name: "reverse kind order", previous: [ns, sa, cm, dep], desired: [], expected: ["Deployment/web", "ConfigMap/cm", "ServiceAccount/sa", "Namespace/ns"] },
    { name: "first apply", previous: [], desired: [ns, cm], expected: [] },
    { name: "version change is the same object", previous: [dep], desired: [{ ...ref(dep), version: "v1beta1" }], expected: [] },
    { name: "namespace change is another object", previous: [cm], desired: [{ ...ref(cm), namespace: "other" }], expected: ["ConfigMap/cm"] },
  ])("$name", ({ previous, desired, expected }) => {
    expect(pruneCandidates(previous, desired.map((d) => ("uid" in d ? ref(d as InventoryItem) : d))).map((i) => `${i.kind}/${i.name}`)).toEqual(expected);
  });

  it("uninstallOrder deletes workloads before namespaces", () => {
    expect(uninstallOrder([ns, dep, cm]).map((i) => i.kind)).toEqual(["Deployment", "ConfigMap", "Namespace"]);
  });

  it("keeps inventory fields intact", () => {
    expect(pruneCandidates([cm], [])).toEqual([cm]);
  });
});

describe("decideDelete", () => {
  const cm = item("ConfigMap", "cm", "u1");
  const unknownUid = item("ConfigMap", "cm", "");
  const ours = { "addon.flotilla.dev/name": "a" };
  const crd = item("CustomResourceDefinition", "widgets.example.com", "u-crd", undefined, "apiextensions.k8s.io");
  it.each<{ name: string; item: InventoryItem; live: LiveFacts | undefined; deleteCRDs?: boolean; expected: ReturnType<typeof decideDelete> }>([
    { name: "same uid", item: cm, live: { uid: "u1", labels: ours }, expected: { delete: true } },
    { name: "already gone", item: cm, live: undefined, expected: { delete: false, reason: "Gone" } },
    { name: "recreated by someone", item: cm, live: { uid: "u2", labels: ours }, expected: { delete: false, reason: "UidChanged" } },
    { name: "keep annotation", item: cm, live: { uid: "u1", annotations: { "addon.flotilla.dev/keep": "" } }, expected: { delete: false, reason: "Keep" } },
    { name: "uid unknown, labelled ours", item: unknownUid, live: { uid: "u9", labels: ours }, expected: { delete: true } },
    { name: "uid unknown, not ours", item: unknownUid, live: { uid: "u9", labels: { "addon.flotilla.dev/name": "b" } }, expected: { delete: false, reason: "NotOurs" } },
    { name: "being deleted", item: cm, live: { uid: "u1", deletionTimestamp: "2026-01-01T00:00:00Z" }, expected: { delete: false, reason: "Deleting" } },
    { name: "a CRD is kept (with its custom resources)", item: crd, live: { uid: "u-crd", labels: ours }, expected: { delete: false, reason: "CRDKept" } },
    { name: "a CRD is deleted when the addon asks for deleteCRDs", item: crd, live: { uid: "u-crd", labels: ours }, deleteCRDs: true, expected: { delete: true } },
    { name: "deleteCRDs changes nothing for other kinds", item: cm, live: { uid: "u2", labels: ours }, deleteCRDs: true, expected: { delete: false, reason: "UidChanged" } },
  ])("$name", ({ item: i, live, deleteCRDs, expected }) => {
    expect(decideDelete(i, live, "a", deleteCRDs === undefined ? {} : { deleteCRDs })).toEqual(expected);
  });
});

describe("mergeInventory", () => {
  it("unions and lets a known uid win over an unknown one", () => {
    const a = item("ConfigMap", "a", "ua");
    const b = item("ConfigMap", "b", "ub");
    const merged = mergeInventory([a, b], [item("ConfigMap", "a", ""), item("ConfigMap", "c", "uc")]);
    expect(merged.map((i) => `${i.name}:${i.uid}`)).toEqual(["a:ua", "b:ub", "c:uc"]);
  });

  it("newer uid replaces older", () => {
    expect(mergeInventory([item("ConfigMap", "a", "old")], [item("ConfigMap", "a", "new")])[0]?.uid).toBe("new");
  });
});

describe("sameInventory", () => {
  it("ignores order", () => {
    const a = item("ConfigMap", "a");
    const b = item("Deployment", "b");
    expect(sameInventory([a, b], [b, a])).toBe(true);
    expect(sameInventory([a], [{ ...a, uid: "x" }])).toBe(false);
  });
});
