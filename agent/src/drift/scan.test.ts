import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { InventoryItem, ObjectRef } from "../inventory/ref.js";
import { driftSummary } from "./describe.js";
import { scanDrift } from "./scan.js";

const M = "flotilla-agent";
const item = (name: string, uid: string, kind = "ConfigMap"): InventoryItem => ({ group: "", version: "v1", kind, namespace: "ns", name, uid });
const fields = { "f:data": { "f:k": {} } };
const obj = (name: string, uid: string, rv: string, mf: object[]): KubernetesObject => ({ metadata: { name, namespace: "ns", uid, resourceVersion: rv, managedFields: mf } }) as KubernetesObject;
const applied = new Map([["/ConfigMap/ns/a", { resourceVersion: "5", signature: JSON.stringify(fields), fields }], ["/ConfigMap/ns/b", { resourceVersion: "5", signature: JSON.stringify(fields), fields }]]);

describe("scanDrift", () => {
  it("finds deletions and changed fields, skips objects not applied yet or re-created by someone else", () => {
    const cache = new Map<string, KubernetesObject | undefined>([
      ["a", obj("a", "u-a", "7", [{ manager: "kubectl", operation: "Update", fieldsV1: fields }])],
      ["b", undefined],
      ["c", obj("c", "other", "7", [])],
    ]);
    const scan = scanDrift([item("a", "u-a"), item("b", "u-b"), item("c", "u-c"), item("d", "")], {
      lookup: (r: ObjectRef) => cache.get(r.name),
      deletedUid: (r: ObjectRef) => (r.name === "b" ? "u-b" : undefined),
      applied,
      manager: M,
    });
    expect(scan.watched).toBe(true);
    expect(scan.drifts.map((d) => [d.object, d.drift])).toEqual([
      ["ConfigMap ns/a", { fields: [".data.k"], by: ["kubectl"] }],
      ["ConfigMap ns/b", { fields: [], by: [], deleted: true }],
    ]);
    expect(driftSummary(scan.drifts)).toBe("2 objects drifted: ConfigMap ns/a: .data.k changed by kubectl; ConfigMap ns/b: deleted");
  });

  it("is not watched when a kind's cache cannot tell", () => {
    const scan = scanDrift([item("a", "u-a", "Widget")], { lookup: () => "unknown", deletedUid: () => undefined, applied, manager: M });
    expect(scan).toEqual({ drifts: [], watched: false });
  });

  it("names at most three objects", () => {
    const drifts = ["a", "b", "c", "d", "e"].map((n) => ({ object: `ConfigMap ns/${n}`, drift: { fields: [], by: [], deleted: true as const } }));
    expect(driftSummary(drifts)).toBe("5 objects drifted: ConfigMap ns/a: deleted; ConfigMap ns/b: deleted; ConfigMap ns/c: deleted; and 2 more");
  });
});
