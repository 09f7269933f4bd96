import { describe, expect, it } from "vitest";
import type { DesiredBundle, DesiredIndex } from "@flotilla/shared";
import { bundleKeyValues, planPublish, type AddonDesire, type PublishedCluster } from "./publish-plan.js";

const bundle = (addon: string, revision: string, size = 0): DesiredBundle => ({
  version: 1,
  kind: "DesiredBundle",
  cluster: "c1",
  addon,
  revision,
  installNamespace: "",
  driftPolicy: "Correct",
  objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { pad: "x".repeat(size) } }],
});
const publish = (b: DesiredBundle, partBytes?: number): AddonDesire => {
  const { digest, values } = bundleKeyValues(b, partBytes);
  return { addon: b.addon, action: "publish", revision: b.revision, digest, values };
};
const index = (addons: DesiredIndex["addons"]): DesiredIndex => ({ version: 1, kind: "DesiredIndex", cluster: "c1", addons });
const empty: PublishedCluster = { index: undefined, hasIndexKey: false, keys: new Map() };
/** What is on the bus after `desires` were published into an empty bucket. */
function after(desires: AddonDesire[]): PublishedCluster {
  const p = planPublish("c1", empty, desires);
  const keys = new Map(p.writes.map((w) => [w.key, w.digest]));
  return { index: p.index.action === "write" ? p.index.doc : undefined, hasIndexKey: true, keys };
}

describe("bundleKeyValues", () => {
  it("keeps a small bundle in one key whose digest is the bundle's", () => {
    const r = bundleKeyValues(bundle("a", "a-1"));
    expect(r.values.map((v) => v.key)).toEqual(["c1.a"]);
    expect(r.values[0]?.digest).toBe(r.digest);
  });

  it("splits a large bundle into parts and a head", () => {
    const b = bundle("a", "a-1", 300);
    const r = bundleKeyValues(b, 100);
    const keys = r.values.map((v) => v.key);
    const parts = keys.filter((k) => k.includes(".part."));
    expect(keys.at(-1)).toBe("c1.a");
    expect(parts[0]).toBe("c1.a.part.0");
    const head = JSON.parse(new TextDecoder().decode(r.values.at(-1)?.bytes));
    expect(head).toMatchObject({ kind: "DesiredBundleParts", parts: parts.length, digest: r.digest, revision: "a-1" });
    const joined = Buffer.concat(r.values.slice(0, -1).map((v) => v.bytes)).toString();
    expect(JSON.parse(joined)).toEqual(b);
  });
});

describe("planPublish", () => {
  it("first publish: bundles, then the index", () => {
    const p = planPublish("c1", empty, [publish(bundle("b", "b-1")), publish(bundle("a", "a-1"))]);
    expect(p.writes.map((w) => w.key)).toEqual(["c1.a", "c1.b"]);
    expect(p.index.action).toBe("write");
    if (p.index.action === "write") {
      expect(Object.keys(p.index.doc.addons)).toEqual(["a", "b"]);
      expect(p.index.doc.addons.a?.revision).toBe("a-1");
      expect(p.index.value.key).toBe("c1");
    }
    expect(p.deletes).toEqual([]);
  });

  it("nothing changed: nothing written", () => {
    const desires = [publish(bundle("a", "a-1"))];
    const p = planPublish("c1", after(desires), desires);
    expect(p).toEqual({ writes: [], index: { action: "none" }, deletes: [] });
  });

  it("one addon changes: only its key and the index", () => {
    const cur = after([publish(bundle("a", "a-1")), publish(bundle("b", "b-1"))]);
    const p = planPublish("c1", cur, [publish(bundle("a", "a-2")), publish(bundle("b", "b-1"))]);
    expect(p.writes.map((w) => w.key)).toEqual(["c1.a"]);
    expect(p.index.action).toBe("write");
  });

  it("an addon removed: index rewritten, its keys deleted", () => {
    const cur = after([publish(bundle("a", "a-1")), publish(bundle("b", "b-1", 300), 100)]);
    const p = planPublish("c1", cur, [publish(bundle("a", "a-1"))]);
    expect(p.writes).toEqual([]);
    expect(p.index.action).toBe("write");
    expect(p.deletes[0]).toBe("c1.b");
    expect(p.deletes.slice(1).every((k) => k.startsWith("c1.b.part."))).toBe(true);
  });

  it("keep: the published entry and its keys stay", () => {
    const cur = after([publish(bundle("a", "a-1", 300), 100), publish(bundle("b", "b-1"))]);
    const p = planPublish("c1", cur, [{ addon: "a", action: "keep" }, publish(bundle("b", "b-2"))]);
    expect(p.writes.map((w) => w.key)).toEqual(["c1.b"]);
    expect(p.deletes).toEqual([]);
    if (p.index.action === "write") expect(p.index.doc.addons.a).toEqual(cur.index?.addons.a);
  });

  it("keep without anything published publishes nothing", () => {
    const p = planPublish("c1", empty, [{ addon: "a", action: "keep" }]);
    expect(p.writes).toEqual([]);
    expect(p.index).toMatchObject({ action: "write", doc: { addons: {} } });
  });

  it("a bundle that shrinks below the part size drops its parts", () => {
    const cur = after([publish(bundle("a", "a-1", 300), 100)]);
    const p = planPublish("c1", cur, [publish(bundle("a", "a-2"), 1000)]);
    expect(p.writes.map((w) => w.key)).toEqual(["c1.a"]);
    expect(p.deletes.length).toBeGreaterThan(0);
    expect(p.deletes.every((k) => k.startsWith("c1.a.part."))).toBe(true);
  });

  it("parts are written before heads", () => {
    const p = planPublish("c1", empty, [publish(bundle("a", "a-1", 300), 100), publish(bundle("b", "b-1"))]);
    const keys = p.writes.map((w) => w.key);
    const lastPart = Math.max(...keys.map((k, i) => (k.includes(".part.") ? i : -1)));
    expect(lastPart).toBeLessThan(keys.indexOf("c1.a"));
    expect(lastPart).toBeLessThan(keys.indexOf("c1.b"));
  });

  it.each([
    ["cluster gone: everything deleted, the index too", true, { action: "delete" }],
    ["cluster not accepted: everything deleted, an empty index", false, { action: "write" }],
  ])("withdraw, %s", (_n, deleteIndex, idx) => {
    const cur = after([publish(bundle("a", "a-1"))]);
    const p = planPublish("c1", cur, [], { deleteIndex });
    expect(p.writes).toEqual([]);
    expect(p.index).toMatchObject(idx);
    if (p.index.action === "write") expect(p.index.doc.addons).toEqual({});
    expect(p.deletes).toEqual(["c1.a"]);
  });

  it("withdraw with nothing published does nothing", () => {
    expect(planPublish("c1", empty, [], { deleteIndex: true })).toEqual({ writes: [], index: { action: "none" }, deletes: [] });
  });

  it("keep of an addon named like an Object member (`constructor`) finds no entry it does not have", () => {
    const cur: PublishedCluster = { index: index({ b: { revision: "b-1", digest: "d" } }), hasIndexKey: true, keys: new Map() };
    const p = planPublish("c1", cur, [{ addon: "b", action: "keep" }, { addon: "constructor", action: "keep" }]);
    expect(p.index).toEqual({ action: "none" });
  });

  it("keep without an index entry drops stray keys", () => {
    const cur: PublishedCluster = { index: index({}), hasIndexKey: true, keys: new Map([["c1.a", "d"]]) };
    const p = planPublish("c1", cur, [{ addon: "a", action: "keep" }]);
    expect(p.deletes).toEqual(["c1.a"]);
  });
});
