/**
 * Hostile input for every document the codec knows (issue 8): random bytes, valid documents cut short
 * or with bytes changed, oversized and deeply nested ones, fields of the wrong type, and keys such as
 * `__proto__`. Whatever comes in, decode returns (never throws) and a rejection carries a reason that
 * is a known metric label. Pure: no I/O, no clock.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_NESTING_DEPTH } from "./bounded-json.js";
import { BusCodec, DECODE_REASONS, MAX_MESSAGE_BYTES, type DecodeResult } from "./codec.js";

const codec = new BusCodec();
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const at = "2026-01-01T00:00:00.000Z";
const bundle = {
  version: 1, kind: "DesiredBundle", cluster: "c1", addon: "a", revision: "a-0123456789", installNamespace: "ns", driftPolicy: "Correct",
  objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: { l: "v" } }, data: { k: "v" } }],
};

/** One valid document of each kind: the seeds the mutations start from. */
const SEEDS = {
  DesiredIndex: { version: 1, kind: "DesiredIndex", cluster: "c1", addons: { a: { revision: "a-0123456789", digest: "ab" } } },
  DesiredBundle: bundle,
  DesiredBundleParts: { version: 1, kind: "DesiredBundleParts", cluster: "c1", addon: "a", revision: "a-0123456789", parts: 2, digest: "ab" },
  AddonReport: {
    version: 1, kind: "AddonReport", cluster: "c1", addon: "a", revision: "a-0123456789",
    conditions: [{ type: "Applied", status: "True", reason: "Applied", message: "" }],
    resources: [{ group: "", version: "v1", kind: "ConfigMap", name: "x", ready: true }], observedAt: at,
  },
  AgentInfo: { version: 1, kind: "AgentInfo", cluster: "c1", agentVersion: "0.1.0", startedAt: at, sentAt: at, heartbeatSeconds: 10 },
  DiffRequest: { version: 1, kind: "DiffRequest", cluster: "c1", addon: "a", bundle },
  DiffResult: { version: 1, kind: "DiffResult", cluster: "c1", addon: "a", revision: "a-0123456789", counts: { Create: 0, Change: 0, Unchanged: 1, Prune: 0, Error: 0 }, objects: [] },
  RegistrationRequest: { version: 1, kind: "RegistrationRequest", cluster: "c1", publicKey: `U${"A".repeat(55)}`, agentVersion: "0.1.0" },
  RegistrationResponse: { version: 1, kind: "RegistrationResponse", cluster: "c1", outcome: "Accepted", jwt: "e.y.j", expiryTime: at },
} as const;
type Kind = keyof typeof SEEDS;
const KINDS = Object.keys(SEEDS) as Kind[];

const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

/** The properties every answer must have, whatever the input. */
function checkAnswer(r: DecodeResult<unknown>, kinds: readonly Kind[]): void {
  if (r.ok) {
    expect(kinds).toContain((r.value as { kind: string }).kind);
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
  } else {
    expect(DECODE_REASONS).toContain(r.reason);
    expect(typeof r.error).toBe("string");
    expect(r.error.length).toBeLessThanOrEqual(300);
  }
}
const decodeChecked = (data: Uint8Array, kinds: readonly Kind[]) => {
  const r = codec.decode(data, ...kinds);
  checkAnswer(r, kinds);
  return r;
};

/** A JSON path into a document: the objects and arrays on the way, as keys. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return [prefix, ...v.flatMap((x, i) => paths(x, [...prefix, i]))];
  if (typeof v === "object" && v !== null) return [prefix, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...prefix, k]))];
  return [prefix];
}
/** A copy of `doc` with the value at `path` replaced (an own data property, even for `__proto__`). */
function setAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  Object.defineProperty(node, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}
/** A seed, and one place inside it. */
const seedAndPath = fc.constantFrom(...KINDS).chain((kind) => fc.constantFrom(...paths(SEEDS[kind])).map((path) => ({ kind, path })));
/** `depth` levels of objects and arrays as JSON text (built as text: JSON.stringify would overflow). */
const nestedText = (depth: number) => {
  let open = "";
  let close = "";
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? "[" : '{"n":';
    close = (i % 2 ? "]" : "}") + close;
  }
  return `${open}1${close}`;
};
const HOLE = "\u0000hole";

describe("BusCodec under hostile input", () => {
  afterAll(() => {
    // Nothing anywhere reached Object.prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => !k.startsWith("__") && !["constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "toString", "valueOf"].includes(k))).toEqual([]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("every seed decodes as its kind (the mutations below start from valid documents)", () => {
    for (const kind of KINDS) expect(codec.decode(enc(SEEDS[kind]), kind)).toMatchObject({ ok: true });
  });

  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), fc.subarray(KINDS, { minLength: 1 }), (data, kinds) => {
      decodeChecked(data, kinds);
    }), { numRuns: 500 });
  });

  it("random JSON text, of any shape", () => {
    fc.assert(fc.property(fc.json({ depthSize: "medium" }), fc.subarray(KINDS, { minLength: 1 }), (text, kinds) => {
      decodeChecked(new TextEncoder().encode(text), kinds);
    }), { numRuns: 500 });
  });

  it("valid documents cut short", () => {
    fc.assert(fc.property(fc.constantFrom(...KINDS), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (kind, frac) => {
      const data = enc(SEEDS[kind]);
      const r = decodeChecked(data.subarray(0, Math.floor(data.length * frac)), [kind]);
      expect(r.ok).toBe(false);
    }), { numRuns: 300 });
  });

  it("valid documents with bytes changed, inserted or removed", () => {
    const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom("set", "insert", "remove") });
    fc.assert(fc.property(fc.constantFrom(...KINDS), fc.array(edit, { minLength: 1, maxLength: 8 }), (kind, edits) => {
      const bytes = [...enc(SEEDS[kind])];
      for (const e of edits) {
        const i = e.at % (bytes.length + 1);
        if (e.op === "set") bytes[Math.min(i, bytes.length - 1)] = e.byte;
        else if (e.op === "insert") bytes.splice(i, 0, e.byte);
        else bytes.splice(i, 1);
      }
      decodeChecked(new Uint8Array(bytes), [kind]);
    }), { numRuns: 1000 });
  });

  it("a field of the wrong type, anywhere", () => {
    fc.assert(fc.property(seedAndPath, fc.jsonValue({ maxDepth: 3 }), ({ kind, path }, value) => {
      decodeChecked(enc(setAt(SEEDS[kind], path, value)), KINDS);
    }), { numRuns: 1000 });
  });

  it("hostile keys anywhere: decoded as plain own keys or refused, never a prototype", () => {
    fc.assert(fc.property(seedAndPath, fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 2 }), ({ kind, path }, key, value) => {
      const doc = structuredClone(SEEDS[kind]) as unknown;
      const target = path.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], doc);
      if (typeof target !== "object" || target === null || Array.isArray(target)) return;
      Object.defineProperty(target, key, { value: { polluted: true, value }, enumerable: true, writable: true, configurable: true });
      const r = decodeChecked(enc(doc), [kind]);
      if (r.ok) expect(Object.hasOwn(path.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], r.value) as object, key)).toBe(true);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }), { numRuns: 1000 });
  });

  it("deep nesting anywhere: refused as TooDeep past the limit, before it is parsed", () => {
    fc.assert(fc.property(seedAndPath, fc.integer({ min: 1, max: 5000 }), ({ kind, path }, depth) => {
      const text = JSON.stringify(setAt(SEEDS[kind], path, HOLE)).replace(JSON.stringify(HOLE), nestedText(depth));
      const r = decodeChecked(new TextEncoder().encode(text), [kind]);
      if (path.length + depth > MAX_NESTING_DEPTH) expect(r).toMatchObject({ ok: false, reason: "TooDeep" });
    }), { numRuns: 300 });
  });

  it("oversized documents are refused as TooLarge, whatever they hold", () => {
    fc.assert(fc.property(fc.constantFrom(...KINDS), fc.integer({ min: 1, max: 4096 }), fc.constantFrom("pad", "nested", "garbage"), (kind, over, shape) => {
      let data: Uint8Array;
      if (shape === "garbage") data = new Uint8Array(MAX_MESSAGE_BYTES + over).fill(0x5b);
      else {
        const base = enc(SEEDS[kind]);
        const pad = shape === "pad" ? `"${"x".repeat(MAX_MESSAGE_BYTES + over - base.length)}"` : "[".repeat(MAX_MESSAGE_BYTES + over - base.length);
        data = enc({ ...SEEDS[kind], pad: "" });
        data = new TextEncoder().encode(new TextDecoder().decode(data).replace('"pad":""', `"pad":${pad}`));
      }
      expect(data.byteLength).toBeGreaterThan(MAX_MESSAGE_BYTES);
      expect(decodeChecked(data, [kind])).toMatchObject({ ok: false, reason: "TooLarge" });
    }), { numRuns: 20 });
  });
});
