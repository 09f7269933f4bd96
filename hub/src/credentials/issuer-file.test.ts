import { describe, expect, it } from "vitest";
import { parseIssuerFile } from "./issuer-file.js";

const SEED = (p: string) => p + "A".repeat(56);
const ok = { version: 1, account: "A" + "B".repeat(55), signingKeys: { agent: SEED("SA"), bootstrap: SEED("SA") }, operatorSigningKey: SEED("SO"), systemCreds: "-----BEGIN NATS USER JWT-----" };

describe("parseIssuerFile", () => {
  it("accepts a whole kit", () => {
    expect(parseIssuerFile(JSON.stringify(ok), "issuer.json").account).toBe(ok.account);
  });

  it.each([
    ["not JSON", "{", /issuer\.json: not JSON/],
    ["a user seed where an account signing key goes", JSON.stringify({ ...ok, signingKeys: { ...ok.signingKeys, agent: SEED("SU") } }), /issuer\.json: \/signingKeys\/agent/],
    ["a missing operator key", JSON.stringify({ ...ok, operatorSigningKey: undefined }), /issuer\.json: \/operatorSigningKey/],
    ["an unknown field", JSON.stringify({ ...ok, extra: 1 }), /issuer\.json: \//],
  ])("refuses %s, naming the field and never the secret", (_what, text, message) => {
    expect(() => parseIssuerFile(text, "issuer.json")).toThrow(message);
    try {
      parseIssuerFile(text, "issuer.json");
    } catch (err) {
      expect(String(err)).not.toContain("AAAAAAAAAAAAAAAA");
    }
  });
});
