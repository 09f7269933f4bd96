import { describe, expect, it } from "vitest";
import type { V1Secret } from "@kubernetes/client-node";
import { parseBootstrapToken, tokenState, type BootstrapToken } from "./token.js";

const T0 = Date.parse("2026-12-01T10:00:00Z");
const secret = (data: Record<string, string>): V1Secret => ({
  metadata: { name: "join-eu-1", namespace: "flotilla-system", creationTimestamp: new Date(T0) },
  type: "flotilla.dev/bootstrap-token",
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
});

describe("parseBootstrapToken", () => {
  it("reads every field", () => {
    const r = parseBootstrapToken(secret({ cluster: "eu-1", expiration: "2026-12-01T12:00:00Z", "auto-accept": "true", labels: "env=prod, region=eu,example.com/tier=" }));
    expect(r).toEqual({ ok: true, token: { name: "join-eu-1", cluster: "eu-1", expiresAt: Date.parse("2026-12-01T12:00:00Z"), autoAccept: true, labels: { env: "prod", region: "eu", "example.com/tier": "" } } });
  });

  it("defaults to a day after creation and manual acceptance", () => {
    const r = parseBootstrapToken(secret({ cluster: "eu-1" }));
    expect(r.ok && r.token).toMatchObject({ expiresAt: T0 + 24 * 3600_000, autoAccept: false, labels: {} });
  });

  it.each([
    ["no cluster", {}, /data.cluster is missing/],
    ["a cluster with a dot", { cluster: "eu.1" }, /not a DNS-1123 label/],
    ["a bad expiration", { cluster: "c", expiration: "tomorrow" }, /not an RFC 3339 time/],
    ["an expiration too far out", { cluster: "c", expiration: "2027-01-01T00:00:00Z" }, /more than 7 days/],
    ["auto-accept neither true nor false", { cluster: "c", "auto-accept": "yes" }, /auto-accept must be/],
    ["a label without a value", { cluster: "c", labels: "env" }, /"env" is not key=value/],
    ["a label value with a space", { cluster: "c", labels: "env=a b" }, /is not key=value/],
  ])("refuses %s, naming the token", (_what, data, error) => {
    const r = parseBootstrapToken(secret(data));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^bootstrap token join-eu-1: /);
    expect(!r.ok && r.error).toMatch(error);
  });
});

describe("tokenState", () => {
  const t: BootstrapToken = { name: "t", cluster: "c", expiresAt: T0 + 1000, autoAccept: false, labels: {} };
  it.each([
    ["Unminted", t, T0],
    ["Ready", { ...t, creds: "x", publicKey: "U" }, T0],
    ["Expired", { ...t, creds: "x", publicKey: "U" }, T0 + 1000],
    ["Used", { ...t, creds: "x", publicKey: "U", usedAt: T0 }, T0 + 5000],
  ] as const)("%s", (state, token, now) => {
    expect(tokenState(token, now)).toBe(state);
  });
});
