import { describe, expect, it } from "vitest";
import { canonicalReference, parseImageReference } from "./reference.js";

const D = "sha256:" + "a".repeat(64);

describe("parseImageReference normalises as the runtime does", () => {
  it.each<[string, string]>([
    ["nginx", "docker.io/library/nginx:latest"],
    ["nginx:1.25", "docker.io/library/nginx:1.25"],
    ["library/nginx", "docker.io/library/nginx:latest"],
    ["bitnami/redis:7", "docker.io/bitnami/redis:7"],
    ["docker.io/nginx", "docker.io/library/nginx:latest"],
    ["index.docker.io/nginx", "docker.io/library/nginx:latest"],
    ["index.docker.io/bitnami/redis", "docker.io/bitnami/redis:latest"],
    ["ghcr.io/acme/app:v1", "ghcr.io/acme/app:v1"],
    ["localhost/app", "localhost/app:latest"],
    ["localhost:5000/team/app:dev", "localhost:5000/team/app:dev"],
    ["registry.example.com:5000/a/b/c", "registry.example.com:5000/a/b/c:latest"],
    ["Registry.Example.com/app", "Registry.Example.com/app:latest"],
    [`nginx@${D}`, `docker.io/library/nginx@${D}`],
    [`nginx:1.25@${D}`, `docker.io/library/nginx:1.25@${D}`],
    ["quay.io/a/b_c__d-e.f:tag_1.2-x", "quay.io/a/b_c__d-e.f:tag_1.2-x"],
    ["[::1]:5000/app", "[::1]:5000/app:latest"],
  ])("%s → %s", (input, canonical) => {
    const r = parseImageReference(input);
    expect(r.ok && canonicalReference(r.ref)).toBe(canonical);
  });

  it.each<[string, RegExp]>([
    ["", /empty/],
    [" nginx", /whitespace/],
    ["Nginx", /lowercase/],
    ["ghcr.io/Acme/app", /lowercase/],
    ["nginx:", /tag "" is not valid/],
    ["nginx:-x", /tag "-x"/],
    ["nginx@sha256:abc", /not algorithm:hex/],
    [`nginx@sha256:${"A".repeat(64)}`, /64 lowercase hex/],
    [`nginx@sha512:${"a".repeat(64)}`, /128 lowercase hex/],
    ["ghcr.io/", /path component ""/],
    ["ghcr.io//app", /path component ""/],
    ["-bad.io/app", /registry "-bad.io"/],
    [":tag", /names no repository/],
    [`a.io/${"x".repeat(260)}`, /longer than 255/],
  ])("refuses %j", (input, error) => {
    const r = parseImageReference(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it("keeps tag and digest apart", () => {
    expect(parseImageReference(`reg.io:443/x/y:1.0@${D}`)).toEqual({ ok: true, ref: { domain: "reg.io:443", path: "x/y", tag: "1.0", digest: D } });
  });
});
