import { describe, expect, it } from "vitest";
import { BusCodec, MAX_MESSAGE_BYTES } from "./codec.js";
import type { AddonReport, DesiredIndex } from "./messages.js";

const codec = new BusCodec();
const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

const report: AddonReport = {
  version: 1, kind: "AddonReport", cluster: "c1", addon: "metrics", revision: "metrics-0123456789",
  conditions: [{ type: "Applied", status: "True", reason: "Applied", message: "" }],
  resources: [{ group: "apps", version: "v1", kind: "Deployment", namespace: "ns", name: "d", ready: true }],
  observedAt: "2026-01-01T00:00:00.000Z",
};

describe("BusCodec", () => {
  it("round-trips a valid document", () => {
    const r = codec.decode(codec.encode(report), "AddonReport");
    expect(r).toEqual({ ok: true, value: report });
  });

  it.each([
    ["not JSON", enc("{nope"), "NotJSON"],
    ["invalid UTF-8", new Uint8Array([0xff, 0xfe, 0x7b]), "NotJSON"],
    ["wrong kind", enc({ ...report, kind: "AgentInfo" }), "Invalid"],
    ["unknown version", enc({ ...report, version: 2 }), "Invalid"],
    ["cluster with a dot", enc({ ...report, cluster: "a.b" }), "Invalid"],
    ["bad condition status", enc({ ...report, conditions: [{ type: "Applied", status: "Yes", reason: "", message: "" }] }), "Invalid"],
    ["extra field", enc({ ...report, secret: "x" }), "Invalid"],
    ["null", enc("null"), "Invalid"],
    ["too large", new Uint8Array(MAX_MESSAGE_BYTES + 1), "TooLarge"],
    ["nested too deep (refused before JSON.parse)", enc(JSON.stringify({ ...report, conditions: [] }).replace('"conditions":[]', `"conditions":${"[".repeat(200)}${"]".repeat(200)}`)), "TooDeep"],
    ["a kind that is not a string", enc({ ...report, kind: { AddonReport: true } }), "Invalid"],
  ])("drops %s", (_name, data, reason) => {
    const r = codec.decode(data, "AddonReport");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it("accepts any of several kinds and names the failing path", () => {
    const index: DesiredIndex = { version: 1, kind: "DesiredIndex", cluster: "c1", addons: { a: { revision: "a-1", digest: "d" } } };
    expect(codec.decode(codec.encode(index), "DesiredIndex", "DesiredBundle").ok).toBe(true);
    const bad = codec.decode(enc({ ...index, addons: { a: { revision: "" , digest: "d" } } }), "DesiredIndex");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain("/addons/a/revision");
  });
});
