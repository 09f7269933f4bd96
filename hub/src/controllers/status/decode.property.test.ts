/**
 * The hub's status receiver under hostile input (issue 8): any key, any operation, any bytes. It never
 * throws; a drop carries a known reason; what it accepts names the cluster (and addon) of its key.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BusCodec } from "@flotilla/shared";
import { decodeStatusEntry, STATUS_DROP_REASONS } from "./decode.js";

const codec = new BusCodec();
const at = "2026-01-01T00:00:00.000Z";
const report = {
  version: 1, kind: "AddonReport", cluster: "c1", addon: "web", revision: "web-1",
  conditions: [{ type: "Applied", status: "True", reason: "Applied", message: "" }], resources: [], observedAt: at,
};
const info = { version: 1, kind: "AgentInfo", cluster: "c1", agentVersion: "0.1.0", startedAt: at, sentAt: at, heartbeatSeconds: 10 };

const key = fc.oneof(fc.constantFrom("c1", "c1.web", "c2", "c2.web", "c1.web.extra", "", ".", "constructor", "c1.__proto__", "c1.constructor"), fc.string({ maxLength: 40 }));
const seedText = fc.constantFrom(JSON.stringify(report), JSON.stringify(info));
const value = fc.oneof(
  fc.uint8Array({ maxLength: 1024 }),
  seedText.map((t) => new TextEncoder().encode(t)),
  fc.tuple(seedText, fc.nat()).map(([t, n]) => new TextEncoder().encode(t.slice(0, n % t.length))),
  fc.tuple(seedText, fc.constantFrom("__proto__", "constructor", "cluster", "addon", "kind", "conditions"), fc.jsonValue({ maxDepth: 3 })).map(([t, k, v]) =>
    new TextEncoder().encode(t.replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v)},`)),
  ),
  fc.tuple(seedText, fc.integer({ min: 100, max: 3000 })).map(([t, d]) => new TextEncoder().encode(t.replace(/^\{/, `{"deep":${"[".repeat(d)}${"]".repeat(d)},`))),
);

describe("decodeStatusEntry under hostile input", () => {
  it("never throws; drops carry a known reason; what passes is the key's own", () => {
    fc.assert(fc.property(key, fc.constantFrom("PUT", "DEL", "PURGE"), value, (k, op, v) => {
      const r = decodeStatusEntry(codec, k, op, v);
      if (!r.ok) {
        expect(STATUS_DROP_REASONS).toContain(r.reason);
        return;
      }
      const e = r.entry;
      expect(k === e.cluster || k.startsWith(`${e.cluster}.`)).toBe(true);
      if (e.kind === "AddonReport") expect([e.report.cluster, e.report.addon]).toEqual([e.cluster, e.addon]);
      if (e.kind === "AgentInfo") expect(e.info.cluster).toBe(e.cluster);
      if (e.kind !== "Deleted") expect(op).toBe("PUT");
    }), { numRuns: 2000 });
  });

  it.each([
    ["a report under its key", "c1.web", "PUT", report, { ok: true }],
    ["agent info under its key", "c1", "PUT", info, { ok: true }],
    ["a report under another cluster's key", "c2.web", "PUT", report, { ok: false, reason: "Foreign" }],
    ["agent info where a report belongs", "c1.web", "PUT", info, { ok: false, reason: "Invalid" }],
    ["a deletion", "c1.web", "DEL", null, { ok: true, entry: { kind: "Deleted", cluster: "c1", addon: "web" } }],
    ["a key that is no status key", "a.b.c.d", "PUT", report, { ok: false, reason: "Foreign" }],
  ])("%s", (_n, k, op, doc, want) => {
    expect(decodeStatusEntry(codec, k, op, new TextEncoder().encode(JSON.stringify(doc)))).toMatchObject(want);
  });
});
