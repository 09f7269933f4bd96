import { describe, expect, it } from "vitest";
import { leafPaths, managerEntry, type FieldsV1, type ManagedFieldsEntry } from "./fields.js";

describe("leafPaths", () => {
  it.each([
    { name: "empty", set: {}, paths: [] },
    { name: "plain fields", set: { "f:data": { ".": {}, "f:greeting": {}, "f:size": {} } }, paths: [".data.greeting", ".data.size"] },
    { name: "a label key with dots and a slash", set: { "f:metadata": { "f:labels": { "f:addon.flotilla.dev/name": {} } } }, paths: ['.metadata.labels["addon.flotilla.dev/name"]'] },
    {
      name: "list items by key",
      set: { "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {} } } } },
      paths: [".spec.containers[name=web].image"],
    },
    { name: "a set item by value and an item by index", set: { "f:finalizers": { 'v:"x"': {} }, "f:args": { "i:0": {} } }, paths: ['.finalizers[="x"]', ".args[0]"] },
    { name: "a node owned whole, without children", set: { "f:spec": { "f:selector": { ".": {} } } }, paths: [".spec.selector"] },
    { name: "multi-key item", set: { "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { "f:name": {} } } }, paths: [".ports[containerPort=80,protocol=TCP].name"] },
  ] as { name: string; set: FieldsV1; paths: string[] }[])("$name", ({ set, paths }) => {
    expect(leafPaths(set)).toEqual(paths);
  });
});

describe("managerEntry", () => {
  const fields: ManagedFieldsEntry[] = [
    { manager: "flotilla-agent", operation: "Apply", subresource: "status", fieldsV1: { "f:status": {} } },
    { manager: "kubectl-edit", operation: "Update", fieldsV1: {} },
    { manager: "flotilla-agent", operation: "Apply", fieldsV1: { "f:data": {} } },
  ];
  it("finds the manager's apply on the main resource, not a subresource", () => {
    expect(managerEntry(fields, "flotilla-agent")?.fieldsV1).toEqual({ "f:data": {} });
    expect(managerEntry(fields, "someone")).toBeUndefined();
    expect(managerEntry(undefined, "flotilla-agent")).toBeUndefined();
  });
});
