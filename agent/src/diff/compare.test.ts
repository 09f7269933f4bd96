import { describe, expect, it } from "vitest";
import { childPath, comparable, fieldChanges, objectChanges, valueText } from "./compare.js";

const meta = { name: "c", namespace: "ns", uid: "u1", resourceVersion: "7", generation: 3, creationTimestamp: "2026-01-01T00:00:00Z", managedFields: [{ manager: "flotilla-agent" }] };

describe("fieldChanges", () => {
  it.each([
    { name: "equal objects", before: { a: 1, b: { c: "x" } }, after: { b: { c: "x" }, a: 1 }, changes: [] },
    { name: "a changed scalar", before: { spec: { replicas: 1 } }, after: { spec: { replicas: 2 } }, changes: [{ path: "spec.replicas", before: 1, after: 2 }] },
    { name: "an added field", before: { data: {} }, after: { data: { k: "v" } }, changes: [{ path: "data.k", after: "v" }] },
    { name: "a removed subtree", before: { data: { k: { x: 1 } } }, after: { data: {} }, changes: [{ path: "data.k", before: { x: 1 } }] },
    { name: "a key that is no identifier", before: { metadata: { labels: { "app.kubernetes.io/name": "a" } } }, after: { metadata: { labels: { "app.kubernetes.io/name": "b" } } }, changes: [{ path: 'metadata.labels["app.kubernetes.io/name"]', before: "a", after: "b" }] },
    { name: "array items by index", before: { c: [{ image: "a:1" }, { image: "b:1" }] }, after: { c: [{ image: "a:2" }, { image: "b:1" }] }, changes: [{ path: "c[0].image", before: "a:1", after: "a:2" }] },
    { name: "an array that grows and shrinks", before: { a: [1, 2], b: [1] }, after: { a: [1], b: [1, 3] }, changes: [{ path: "a[1]", before: 2 }, { path: "b[1]", after: 3 }] },
    { name: "a type change is one change", before: { v: "1" }, after: { v: 1 }, changes: [{ path: "v", before: "1", after: 1 }] },
    { name: "an object replaced by a list", before: { v: { a: 1 } }, after: { v: [1] }, changes: [{ path: "v", before: { a: 1 }, after: [1] }] },
    { name: "keys come sorted", before: { b: 1, a: 1 }, after: { b: 2, a: 2 }, changes: [{ path: "a", before: 1, after: 2 }, { path: "b", before: 1, after: 2 }] },
  ])("$name", ({ before, after, changes }) => {
    expect(fieldChanges(before, after)).toEqual(changes);
  });
});

describe("comparable", () => {
  it("drops status and server-owned metadata, keeps the rest, and leaves its input alone", () => {
    const obj = { apiVersion: "v1", kind: "ConfigMap", metadata: { ...meta, labels: { a: "b" } }, data: { k: "v" }, status: { x: 1 } };
    expect(comparable(obj)).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "ns", labels: { a: "b" } }, data: { k: "v" } });
    expect(obj.metadata.uid).toBe("u1");
  });
});

describe("objectChanges", () => {
  const live = { apiVersion: "v1", kind: "ConfigMap", metadata: meta, data: { greeting: "hello" }, status: { a: 1 } };
  it.each([
    { name: "only ignored fields differ", after: { ...live, metadata: { ...meta, resourceVersion: "8", generation: 4, managedFields: [] }, status: { a: 2 } }, changes: [], omitted: 0 },
    { name: "a data change, values as JSON text", after: { ...live, data: { greeting: "hi" } }, changes: [{ path: "data.greeting", before: '"hello"', after: '"hi"' }], omitted: 0 },
  ])("$name", ({ after, changes, omitted }) => {
    expect(objectChanges(live, after)).toEqual({ changes, omitted });
  });
  it("lists at most maxChanges and counts the rest", () => {
    const after = { ...live, data: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, "v"])) };
    const r = objectChanges(live, after, 2);
    expect(r.changes.map((c) => c.path)).toEqual(["data.greeting", "data.k0"]);
    expect(r.omitted).toBe(4);
  });
});

describe("valueText and childPath", () => {
  it.each([
    [1, 10, "1"],
    ["abc", 10, '"abc"'],
    ["abcdefghijkl", 5, '"abcd…'],
    [undefined, 10, "null"],
  ])("valueText(%j, %d) = %s", (v, max, text) => {
    expect(valueText(v, max)).toBe(text);
  });
  it.each([
    ["", "spec", "spec"],
    ["spec", "replicas", "spec.replicas"],
    ["a", 3, "a[3]"],
    ["data", "x.y", 'data["x.y"]'],
  ] as const)("childPath(%j, %j) = %s", (parent, key, path) => {
    expect(childPath(parent, key)).toBe(path);
  });
});
