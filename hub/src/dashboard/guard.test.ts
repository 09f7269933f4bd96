import { describe, expect, it } from "vitest";
import { guardRequest, servedAs, type RequestFacts } from "./guard.js";

const served = servedAs("127.0.0.1", 8080, "s3cret-token");
const page = { host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080", token: "s3cret-token" };

describe("guardRequest", () => {
  it.each<[string, RequestFacts, number | undefined]>([
    ["a GET from anywhere naming this host", { method: "GET", host: "127.0.0.1:8080" }, undefined],
    ["localhost is the same server", { method: "GET", host: "localhost:8080" }, undefined],
    ["DNS rebinding: another host name", { method: "GET", host: "evil.example:8080" }, 421],
    ["no Host", { method: "GET" }, 421],
    ["another port", { method: "GET", host: "127.0.0.1:9090" }, 421],
    ["a POST from its own page", { method: "POST", ...page }, undefined],
    ["a POST from another site", { method: "POST", ...page, origin: "http://evil.example" }, 403],
    ["a POST without Origin", { method: "POST", host: page.host, token: page.token }, 403],
    ["a POST without the token", { method: "POST", host: page.host, origin: page.origin }, 403],
    ["a POST with a wrong token", { method: "POST", ...page, token: "s3cret-tokem" }, 403],
    ["a POST with a shorter token", { method: "POST", ...page, token: "s3cret" }, 403],
    ["DELETE", { method: "DELETE", ...page }, 405],
  ])("%s", (_n, r, status) => {
    const v = guardRequest(r, served);
    expect(v.ok ? undefined : v.status).toBe(status);
  });

  it("answers as the address it is bound to", () => {
    expect(servedAs("::1", 1, "t").hosts).toEqual(["[::1]:1", "localhost:1"]);
    expect(servedAs("127.0.0.2", 1, "t").origins).toEqual(["http://127.0.0.2:1"]);
  });
});
