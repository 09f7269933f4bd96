import { describe, expect, it } from "vitest";
import { parseChallenge, pullScope, type Challenge } from "./challenge.js";

describe("parseChallenge", () => {
  it.each<[string, string | null, Challenge]>([
    [
      "distribution's token challenge",
      'Bearer realm="http://127.0.0.1:9/token",service="flotilla-registry",scope="repository:charts/cm:pull"',
      { scheme: "bearer", realm: "http://127.0.0.1:9/token", service: "flotilla-registry", scope: "repository:charts/cm:pull" },
    ],
    [
      "a scope with a comma, spaces, and the insufficient_scope error",
      'bearer realm="https://auth/t", scope="repository:a/b:pull,push", error="insufficient_scope"',
      { scheme: "bearer", realm: "https://auth/t", scope: "repository:a/b:pull,push", error: "insufficient_scope" },
    ],
    ["unquoted values", "Bearer realm=https://auth/t,service=reg", { scheme: "bearer", realm: "https://auth/t", service: "reg" }],
    ["escaped quote", 'Bearer realm="https://a/t",service="a\\"b"', { scheme: "bearer", realm: "https://a/t", service: 'a"b' }],
    ["basic", 'Basic realm="Registry Realm"', { scheme: "basic" }],
    ["bearer without realm", 'Bearer service="x"', { scheme: "unknown", raw: 'Bearer service="x"' }],
    ["absent", null, { scheme: "unknown", raw: "" }],
    ["other scheme", "Negotiate abc", { scheme: "unknown", raw: "Negotiate abc" }],
  ])("%s", (_name, header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });

  it("pull scope", () => {
    expect(pullScope("charts/cm")).toBe("repository:charts/cm:pull");
  });
});
