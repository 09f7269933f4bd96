import { describe, expect, it } from "vitest";
import type { InformerEvent, InformerHandler } from "@flotilla/shared";
import type { ManagedClusterAddOn } from "../api/types.js";
import { McaIndex } from "./mca-index.js";

const mca = (addon: string, cluster: string): ManagedClusterAddOn => ({ metadata: { name: addon, namespace: cluster } }) as ManagedClusterAddOn;

/** A cache that applies events like the informer's ListWatch and hands them to the handlers. */
function fakeCache() {
  const objects = new Map<string, ManagedClusterAddOn>();
  const handlers: InformerHandler<ManagedClusterAddOn>[] = [];
  const key = (name: string, ns?: string) => `${ns ?? ""}/${name}`;
  return {
    get: (name: string, ns?: string) => objects.get(key(name, ns)),
    list: (ns?: string) => [...objects.values()].filter((o) => ns === undefined || o.metadata?.namespace === ns),
    on: (h: InformerHandler<ManagedClusterAddOn>) => void handlers.push(h),
    emit(event: InformerEvent, o: ManagedClusterAddOn) {
      if (event === "delete") objects.delete(key(o.metadata?.name ?? "", o.metadata?.namespace));
      else objects.set(key(o.metadata?.name ?? "", o.metadata?.namespace), o);
      for (const h of handlers) h(event, o);
    },
  };
}

const names = (l: readonly ManagedClusterAddOn[]) => l.map((m) => `${m.metadata?.namespace}/${m.metadata?.name}`).sort();

describe("McaIndex", () => {
  it.each([
    { name: "empty", events: [], addon: "a", expected: [] },
    { name: "added", events: [["add", mca("a", "c1")], ["add", mca("b", "c1")], ["add", mca("a", "c2")]], addon: "a", expected: ["c1/a", "c2/a"] },
    { name: "update keeps one entry", events: [["add", mca("a", "c1")], ["update", mca("a", "c1")], ["resync", mca("a", "c1")]], addon: "a", expected: ["c1/a"] },
    { name: "deleted", events: [["add", mca("a", "c1")], ["add", mca("a", "c2")], ["delete", mca("a", "c1")]], addon: "a", expected: ["c2/a"] },
    { name: "all deleted", events: [["add", mca("a", "c1")], ["delete", mca("a", "c1")]], addon: "a", expected: [] },
    { name: "other addon", events: [["add", mca("b", "c1")]], addon: "a", expected: [] },
  ] as { name: string; events: [InformerEvent, ManagedClusterAddOn][]; addon: string; expected: string[] }[])("by addon: $name", ({ events, addon, expected }) => {
    const cache = fakeCache();
    const index = new McaIndex(cache);
    for (const [e, o] of events) cache.emit(e, o);
    expect(names(index.ofAddon(addon))).toEqual(expected);
  });

  it("by cluster", () => {
    const cache = fakeCache();
    const index = new McaIndex(cache);
    for (const o of [mca("a", "c1"), mca("b", "c1"), mca("a", "c2")]) cache.emit("add", o);
    expect(names(index.ofCluster("c1"))).toEqual(["c1/a", "c1/b"]);
  });
});
