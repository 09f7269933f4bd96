import { describe, expect, it } from "vitest";
import { BusCodec, sha256Hex, type DesiredBundle, type DesiredBundleParts, type DesiredIndex } from "@flotilla/shared";
import { decodeAssembled, decodeBundleKey, decodeIndex } from "./decode-desired.js";

const codec = new BusCodec();
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

const bundle: DesiredBundle = {
  version: 1, kind: "DesiredBundle", cluster: "c1", addon: "web", revision: "web-1", installNamespace: "web", driftPolicy: "Correct",
  objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "b" } }],
};
const bytes = enc(bundle);
const digest = sha256Hex(bytes);

describe("decodeIndex", () => {
  const index: DesiredIndex = { version: 1, kind: "DesiredIndex", cluster: "c1", addons: { web: { revision: "web-1", digest } } };
  it.each([
    { name: "valid", data: enc(index), reason: undefined },
    { name: "foreign cluster", data: enc({ ...index, cluster: "c2" }), reason: "Foreign" },
    { name: "not JSON", data: new TextEncoder().encode("{nope"), reason: "NotJSON" },
    { name: "schema", data: enc({ ...index, addons: { web: { revision: "" } } }), reason: "Invalid" },
    { name: "wrong kind", data: enc(bundle), reason: "Invalid" },
    { name: "too large", data: new Uint8Array(2 * 1024 * 1024), reason: "TooLarge" },
  ])("$name", ({ data, reason }) => {
    const r = decodeIndex(codec, data, "c1");
    expect(r.ok ? undefined : r.reason).toBe(reason);
  });
});

describe("decodeBundleKey", () => {
  const want = { cluster: "c1", addon: "web", entry: { revision: "web-1", digest } };
  it.each([
    { name: "valid", data: bytes, w: want, reason: undefined },
    { name: "prefixed digest", data: bytes, w: { ...want, entry: { ...want.entry, digest: `sha256:${digest}` } }, reason: undefined },
    { name: "digest mismatch", data: bytes, w: { ...want, entry: { ...want.entry, digest: "00" } }, reason: "DigestMismatch" },
    { name: "foreign cluster", data: enc({ ...bundle, cluster: "c2" }), w: want, reason: "Foreign" },
    { name: "foreign addon", data: enc({ ...bundle, addon: "db" }), w: want, reason: "Foreign" },
    { name: "stale revision", data: bytes, w: { ...want, entry: { ...want.entry, revision: "web-2" } }, reason: "RevisionMismatch" },
    { name: "object without name", data: enc({ ...bundle, objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: {} }] }), w: want, reason: "Invalid" },
  ])("$name", ({ data, w, reason }) => {
    const r = decodeBundleKey(codec, data, w);
    expect(r.ok ? undefined : r.reason).toBe(reason);
  });

  it("accepts a parts head whose digest matches the index", () => {
    const head: DesiredBundleParts = { version: 1, kind: "DesiredBundleParts", cluster: "c1", addon: "web", revision: "web-1", parts: 2, digest };
    const r = decodeBundleKey(codec, enc(head), want);
    expect(r.ok && r.value.kind).toBe("DesiredBundleParts");
  });
});

describe("decodeAssembled", () => {
  const head: DesiredBundleParts = { version: 1, kind: "DesiredBundleParts", cluster: "c1", addon: "web", revision: "web-1", parts: 2, digest };
  it("accepts matching bytes", () => {
    const r = decodeAssembled(codec, bytes, head);
    expect(r.ok && r.value.objects.length).toBe(1);
  });
  it("rejects a digest mismatch", () => {
    const r = decodeAssembled(codec, bytes, { ...head, digest: sha256Hex(enc({})) });
    expect(r.ok ? undefined : r.reason).toBe("DigestMismatch");
  });
  it("validates a bundle larger than one message object by object", () => {
    const big: DesiredBundle = { ...bundle, objects: Array.from({ length: 30 }, (_, i) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `c${i}` }, data: { x: "y".repeat(50_000) } })) };
    const b = enc(big);
    expect(b.byteLength).toBeGreaterThan(1024 * 1024);
    const r = decodeAssembled(codec, b, { ...head, digest: sha256Hex(b) });
    expect(r.ok && r.value.objects.length).toBe(30);
    const bad = enc({ ...big, objects: [...big.objects, { kind: "X" }] });
    const r2 = decodeAssembled(codec, bad, { ...head, digest: sha256Hex(bad) });
    expect(r2.ok ? undefined : r2.reason).toBe("Invalid");
  });
});
