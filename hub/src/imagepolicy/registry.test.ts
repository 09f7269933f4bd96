import { describe, expect, it } from "vitest";
import { parseImageReference } from "./reference.js";
import { parseRegistryEntry, registryAllows } from "./registry.js";

const ref = (s: string) => {
  const r = parseImageReference(s);
  if (!r.ok) throw new Error(r.error);
  return r.ref;
};

describe("registryAllows", () => {
  it.each<[string, string, boolean]>([
    ["docker.io", "nginx", true],
    ["docker.io/library", "nginx", true],
    ["docker.io/library", "bitnami/redis", false],
    ["index.docker.io", "nginx", true],
    ["ghcr.io", "nginx", false],
    ["ghcr.io/acme", "ghcr.io/acme/app", true],
    ["ghcr.io/acme/", "ghcr.io/acme/app", true],
    ["ghcr.io/acme", "ghcr.io/acme-evil/app", false],
    ["ghcr.io/acme/app", "ghcr.io/acme/app", true],
    ["ghcr.io/acme/app/sub", "ghcr.io/acme/app", false],
    ["GHCR.io", "ghcr.io/acme/app", true],
    ["reg.example.com", "reg.example.com:5000/app", false],
    ["reg.example.com:5000", "reg.example.com:5000/app", true],
    ["*.example.com", "eu.reg.example.com/app", true],
    ["*.example.com", "example.com/app", false],
    ["*.example.com", "evilexample.com/app", false],
    ["*.example.com", "a.example.com:5000/app", false],
    ["localhost:5000", "localhost:5000/team/app", true],
    ["localhost", "localhost:5000/team/app", false],
  ])("%s allows %s: %s", (entry, image, allowed) => {
    expect(registryAllows(parseRegistryEntry(entry), ref(image))).toBe(allowed);
  });
});
