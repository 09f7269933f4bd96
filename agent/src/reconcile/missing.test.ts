import { describe, expect, it } from "vitest";
import type { KubeObject } from "@flotilla/shared";
import { refKey, type InventoryItem } from "../inventory/ref.js";
import { deletedOwned } from "./missing.js";

const item = (name: string, uid: string): InventoryItem => ({ group: "apps", version: "v1", kind: "Deployment", namespace: "ns", name, uid });
const obj = (name: string, uid: string): KubeObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "ns", uid } });

describe("deletedOwned", () => {
  it.each([
    { name: "nothing deleted", tomb: {}, inventory: [item("a", "u1")], live: [obj("a", "u1")], gone: [], stale: [] },
    { name: "the applied object was deleted", tomb: { a: "u1" }, inventory: [item("a", "u1")], live: [obj("a", "u1")], gone: ["a"], stale: ["a"] },
    { name: "an older copy was deleted (already re-applied)", tomb: { a: "u0" }, inventory: [item("a", "u1")], live: [obj("a", "u1")], gone: [], stale: [] },
    { name: "uid not known yet: not counted as ours", tomb: { a: "u1" }, inventory: [item("a", "")], live: [obj("a", "u1")], gone: [], stale: ["a"] },
    { name: "no live copy", tomb: { a: "u1" }, inventory: [item("a", "u1")], live: [], gone: ["a"], stale: [] },
  ] as { name: string; tomb: Record<string, string>; inventory: InventoryItem[]; live: KubeObject[]; gone: string[]; stale: string[] }[])("$name", ({ tomb, inventory, live, gone, stale }) => {
    const liveMap = new Map(live.map((o) => [refKey({ group: "apps", kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }), o]));
    const d = deletedOwned(inventory, liveMap, (ref) => tomb[ref.name]);
    expect(d.gone.map((i) => i.name)).toEqual(gone);
    expect(d.stale).toEqual(stale.map((n) => refKey(item(n, ""))));
  });
});
