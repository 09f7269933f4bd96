import { describe, expect, it } from "vitest";
import { BusCodec } from "./codec.js";
import * as diff from "./diff.js";
import type { DiffRequest, DiffResult } from "./diff.js";

const codec = new BusCodec();
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

const request: DiffRequest = {
  version: 1, kind: "DiffRequest", cluster: "c1", addon: "metrics",
  bundle: {
    version: 1, kind: "DesiredBundle", cluster: "c1", addon: "metrics", revision: "metrics-0123456789", installNamespace: "ns", driftPolicy: "Correct",
    objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { k: "v" } }],
  },
};
const result: DiffResult = {
  version: 1, kind: "DiffResult", cluster: "c1", addon: "metrics", revision: "metrics-0123456789", appliedRevision: "metrics-aaaaaaaaaa",
  counts: { Create: 0, Change: 1, Unchanged: 0, Prune: 1, Error: 0 },
  objects: [
    { group: "", version: "v1", kind: "ConfigMap", namespace: "ns", name: "x", action: "Change", changes: [{ path: "data.k", before: '"u"', after: '"v"' }] },
    { group: "apps", version: "v1", kind: "Deployment", namespace: "ns", name: "old", action: "Prune" },
  ],
};

describe("diff documents", () => {
  it.each([["DiffRequest", request], ["DiffResult", result]] as const)("%s: a typed sample passes its schema", (kind, sample) => {
    expect(codec.decode(codec.encode(sample), kind)).toEqual({ ok: true, value: sample });
  });

  it.each([
    ["a request for a cluster name with a dot", { ...request, cluster: "a.b" }, "DiffRequest", "DiffRequest/cluster"],
    ["a request without a bundle", { ...request, bundle: undefined }, "DiffRequest", "DiffRequest"],
    ["a request whose bundle object has no name", { ...request, bundle: { ...request.bundle, objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: {} }] } }, "DiffRequest", "DiffRequest/bundle/objects/0/metadata"],
    ["a result with an unknown action", { ...result, objects: [{ ...result.objects[0], action: "Replace" }] }, "DiffResult", "DiffResult/objects/0/action"],
    ["a result with a value over the bound", { ...result, objects: [{ ...result.objects[0], changes: [{ path: "a", after: "x".repeat(diff.MAX_DIFF_VALUE_CHARS + 2) }] }] }, "DiffResult", "DiffResult/objects/0/changes/0/after"],
    ["a result with too many changes on one object", { ...result, objects: [{ ...result.objects[0], changes: Array(diff.MAX_DIFF_CHANGES_PER_OBJECT + 1).fill({ path: "a" }) }] }, "DiffResult", "DiffResult/objects/0/changes"],
    ["a result without counts", { ...result, counts: undefined }, "DiffResult", "DiffResult"],
  ] as const)("drops %s", (_name, doc, kind, error) => {
    const r = codec.decode(enc(doc), kind);
    expect(r).toMatchObject({ ok: false, reason: "Invalid" });
    if (!r.ok) expect(r.error).toContain(error);
  });

  it("one subject per cluster, so a permission can confine it", () => {
    expect(diff.diffSubject("eu-edge-1")).toBe("flotilla.diff.eu-edge-1");
  });

  it("keep their wire schemas (a change here is a protocol change)", async () => {
    const schemas = Object.fromEntries(Object.entries(diff).filter(([k]) => k.endsWith("Schema")).sort(([a], [b]) => a.localeCompare(b)));
    await expect(JSON.stringify(schemas, null, 2) + "\n").toMatchFileSnapshot("./__snapshots__/diff-schemas.json");
  });
});
