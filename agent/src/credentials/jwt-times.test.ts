import { describe, expect, it } from "vitest";
import { jwtOfCreds, jwtTimes, renewAt } from "./jwt-times.js";

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

describe("jwtTimes / renewAt", () => {
  it.each([
    ["a day", { iat: 1000, exp: 1000 + 86_400 }, { issuedAt: 1_000_000, expiresAt: 87_400_000 }, 1_000_000 + 57_600_000],
    ["no expiry", { iat: 1000 }, { issuedAt: 1_000_000, expiresAt: undefined }, undefined],
  ])("%s", (_what, claims, times, renew) => {
    expect(jwtTimes(jwt(claims))).toEqual(times);
    expect(renewAt(jwtTimes(jwt(claims))!)).toBe(renew);
  });

  it.each([["not a JWT", "abc"], ["no iat", jwt({ exp: 5 })], ["garbage payload", "a.%%%.c"]])("%s: undefined", (_what, text) => {
    expect(jwtTimes(text)).toBeUndefined();
  });

  it("finds the JWT in a creds file", () => {
    const creds = "-----BEGIN NATS USER JWT-----\neyJ0.eyJ1.sig\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\nSUAB\n------END USER NKEY SEED------\n";
    expect(jwtOfCreds(creds)).toBe("eyJ0.eyJ1.sig");
    expect(jwtOfCreds("nothing")).toBeUndefined();
  });
});
