import { describe, expect, it } from "vitest";
import { indexURL, isLoopbackHost, ociLocation, redactURL, resolveEntryURL, sameOrigin, type PlainHTTP } from "./urls.js";

describe("resolveEntryURL", () => {
  it.each([
    ["http://h:8080/charts", "cm-1.0.0.tgz", "http://h:8080/charts/cm-1.0.0.tgz"],
    ["http://h:8080/charts/", "cm-1.0.0.tgz", "http://h:8080/charts/cm-1.0.0.tgz"],
    ["http://h:8080", "sub/cm-1.0.0.tgz", "http://h:8080/sub/cm-1.0.0.tgz"],
    ["http://h:8080/charts", "/other/cm.tgz", "http://h:8080/other/cm.tgz"],
    ["http://h:8080/charts", "https://cdn.example/cm.tgz", "https://cdn.example/cm.tgz"],
  ])("%s + %s", (repo, entry, expected) => {
    expect(resolveEntryURL(repo, entry).toString()).toBe(expected);
  });

  it("index.yaml sits under the repository path", () => {
    expect(indexURL("https://charts.example.com/stable").toString()).toBe("https://charts.example.com/stable/index.yaml");
  });
});

describe("sameOrigin", () => {
  it.each([
    ["http://h:1/a", "http://h:1/b/c.tgz", true],
    ["http://h:1/a", "http://h:2/a", false],
    ["http://h/a", "https://h/a", false],
    ["https://h/a", "https://h.evil/a", false],
    ["https://h/a", "https://h:443/x", true],
  ])("%s → %s: %s", (a, b, expected) => {
    expect(sameOrigin(a, b)).toBe(expected);
  });
});

describe("redactURL", () => {
  it("drops user info", () => {
    expect(redactURL("https://u:p@h/x?y=1")).toBe("https://h/x?y=1");
    expect(redactURL("::")).toBe("<invalid URL>");
  });
});

describe("ociLocation", () => {
  it.each<[string, string, PlainHTTP, object | undefined]>([
    ["oci://reg.example.com/charts", "cm", "loopback", { registry: "https://reg.example.com", repository: "charts/cm", display: "oci://reg.example.com/charts/cm" }],
    ["oci://127.0.0.1:5000/charts/", "cm", "loopback", { registry: "http://127.0.0.1:5000", repository: "charts/cm" }],
    ["oci://localhost:5000", "cm", "loopback", { registry: "http://localhost:5000", repository: "cm" }],
    ["oci://127.0.0.1:5000/a/b", "cm", "never", { registry: "https://127.0.0.1:5000", repository: "a/b/cm" }],
    ["oci://reg:5000/a", "cm", "always", { registry: "http://reg:5000", repository: "a/cm" }],
    ["https://reg/a", "cm", "loopback", undefined],
    ["oci:///a", "cm", "loopback", undefined],
  ])("%s %s (%s)", (repo, chart, plain, expected) => {
    const loc = ociLocation(repo, chart, plain);
    if (expected === undefined) expect(loc).toBeUndefined();
    else expect({ ...loc, registry: loc?.registry.origin }).toMatchObject(expected);
  });

  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["[::1]", true],
    ["128.0.0.1", false],
    ["localhost.example", false],
  ])("isLoopbackHost(%s) = %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
