/**
 * The agent's receivers under hostile input (issue 8): the desired index, a bundle key, a reassembled
 * split bundle and a diff request. Whatever the bytes, nothing throws, and a drop carries a reason
 * that is a known label of `flotilla_bus_messages_invalid_total` (the diff responder counts exactly
 * one received or dropped per message). Pure apart from the in-memory metrics registry.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BusCodec, busMetrics, createLogger, createRegistry, sha256Hex, type DesiredBundle, type DesiredBundleParts, type DiffRequest } from "@flotilla/shared";
import { DIFF_DROP_REASONS, DiffResponder } from "../diff/responder.js";
import { decodeAssembled, decodeBundleKey, decodeIndex, INVALID_REASONS, type Decoded } from "./decode-desired.js";

const codec = new BusCodec();
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const bundle: DesiredBundle = {
  version: 1, kind: "DesiredBundle", cluster: "c1", addon: "web", revision: "web-1", installNamespace: "web", driftPolicy: "Correct",
  objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", labels: { a: "b" } }, data: { a: "b" } }],
};
const bundleBytes = enc(bundle);
const index = { version: 1, kind: "DesiredIndex", cluster: "c1", addons: { web: { revision: "web-1", digest: sha256Hex(bundleBytes) } } };
const request: DiffRequest = { version: 1, kind: "DiffRequest", cluster: "c1", addon: "web", bundle };

const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];

/** Bytes derived from a valid document in every hostile way, or no document at all. */
function hostileBytes(seed: unknown): fc.Arbitrary<Uint8Array> {
  const text = JSON.stringify(seed);
  const bytes = new TextEncoder().encode(text);
  const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) });
  return fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc.nat({ max: bytes.length - 1 }).map((n) => bytes.subarray(0, n)),
    fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
      const out = Uint8Array.from(bytes);
      for (const e of edits) out[e.at % out.length] = e.byte;
      return out;
    }),
    // a hostile key, or a value of any type, in place of the first field after `kind`
    fc.tuple(fc.constantFrom(...HOSTILE_KEYS, "kind", "cluster", "objects"), fc.jsonValue({ maxDepth: 3 })).map(([k, v]) =>
      new TextEncoder().encode(text.replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v)},`)),
    ),
    fc.integer({ min: 100, max: 3000 }).map((d) => new TextEncoder().encode(text.replace(/^\{/, `{"deep":${"[".repeat(d)}${"]".repeat(d)},`))),
  );
}

const known = (r: Decoded<unknown>) => {
  if (!r.ok) expect(INVALID_REASONS).toContain(r.reason);
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
};

describe("agent receivers under hostile input", () => {
  it("the desired index", () => {
    fc.assert(fc.property(hostileBytes(index), (data) => known(decodeIndex(codec, data, "c1"))), { numRuns: 500 });
  });

  it("a bundle key (bundle or split head)", () => {
    const head: DesiredBundleParts = { version: 1, kind: "DesiredBundleParts", cluster: "c1", addon: "web", revision: "web-1", parts: 2, digest: "ab" };
    const want = { cluster: "c1", addon: "web", entry: index.addons.web };
    fc.assert(fc.property(fc.oneof(hostileBytes(bundle), hostileBytes(head)), (data) => known(decodeBundleKey(codec, data, want))), { numRuns: 500 });
  });

  it("a reassembled split bundle whose digest matches (so the bytes get as far as parsing)", () => {
    fc.assert(fc.property(hostileBytes(bundle), (data) => {
      const head: DesiredBundleParts = { version: 1, kind: "DesiredBundleParts", cluster: "c1", addon: "web", revision: "web-1", parts: 2, digest: sha256Hex(data) };
      known(decodeAssembled(codec, data, head));
    }), { numRuns: 500 });
  });

  it("a diff request: never throws, each message counted once, as received or dropped with a known reason", async () => {
    const registry = createRegistry("agent");
    const metrics = busMetrics(registry);
    const responder = new DiffResponder({ cluster: "c1", codec, metrics, logger: createLogger({ level: "silent" }), diff: async () => ({ objects: [] }) });
    const counted = async () => {
      const invalid = (await metrics.invalid.get()).values;
      for (const v of invalid) expect(DIFF_DROP_REASONS).toContain(v.labels.reason);
      const received = (await metrics.received.get()).values.reduce((n, v) => n + v.value, 0);
      return received + invalid.reduce((n, v) => n + v.value, 0);
    };
    let sent = 0;
    await fc.assert(fc.asyncProperty(hostileBytes(request), fc.boolean(), async (data, reply) => {
      await responder.handle({ data, reply: reply ? "_INBOX.c1.x" : "", respond: () => true });
      sent++;
      expect(await counted()).toBe(sent);
    }), { numRuns: 300 });
  });
});
