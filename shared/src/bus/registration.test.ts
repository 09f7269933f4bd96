import { describe, expect, it } from "vitest";
import { BusCodec } from "./codec.js";
import type { RegistrationRequest, RegistrationResponse } from "./registration.js";

const codec = new BusCodec();
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const KEY = "U" + "A".repeat(55);
const request: RegistrationRequest = { version: 1, kind: "RegistrationRequest", cluster: "eu-1", publicKey: KEY, agentVersion: "0.1.0" };
const accepted: RegistrationResponse = { version: 1, kind: "RegistrationResponse", cluster: "eu-1", outcome: "Accepted", jwt: "a.b.c", expiryTime: "2026-12-01T00:00:00.000Z" };

describe("registration messages", () => {
  it("round-trip through the codec", () => {
    expect(codec.decode(codec.encode(request), "RegistrationRequest")).toEqual({ ok: true, value: request });
    expect(codec.decode(codec.encode(accepted), "RegistrationResponse")).toEqual({ ok: true, value: accepted });
  });

  it.each([
    ["a seed where the public key goes", { ...request, publicKey: "SU" + "A".repeat(56) }, /publicKey/],
    ["an account key", { ...request, publicKey: "A" + "A".repeat(55) }, /publicKey/],
    ["a cluster that is not a label", { ...request, cluster: "a.b" }, /cluster/],
    ["an extra field", { ...request, seed: "SUA" }, /additional/],
    ["a response as a request", accepted, /kind/],
  ])("refuse %s", (_what, doc, error) => {
    const r = codec.decode(enc(doc), "RegistrationRequest");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });
});
