import { describe, expect, it } from "vitest";
import { helmValues, renderKey, type RenderRequest } from "./key.js";

const base: RenderRequest = {
  chartPath: "/a/cm.tgz",
  chartDigest: "sha256:aa",
  releaseName: "cm",
  namespace: "cert-manager",
  values: { replicaCount: 2, crds: { enabled: true } },
  capabilities: { kubeVersion: "v1.35.4", apiVersions: ["apps/v1", "v1"] },
};

describe("renderKey", () => {
  it.each<[string, Partial<RenderRequest>]>([
    ["chart path (the digest names the chart)", { chartPath: "/b/other.tgz" }],
    ["order of value keys", { values: { crds: { enabled: true }, replicaCount: 2 } }],
    ["order and repeats of api versions", { capabilities: { kubeVersion: "v1.35.4", apiVersions: ["v1", "apps/v1", "v1"] } }],
  ])("does not change with the %s", (_name, change) => {
    expect(renderKey({ ...base, ...change })).toBe(renderKey(base));
  });

  it.each<[string, Partial<RenderRequest>]>([
    ["chart digest", { chartDigest: "sha256:bb" }],
    ["values", { values: { replicaCount: 3, crds: { enabled: true } } }],
    ["kube version", { capabilities: { kubeVersion: "v1.34.0", apiVersions: ["apps/v1", "v1"] } }],
    ["api versions", { capabilities: { kubeVersion: "v1.35.4", apiVersions: ["apps/v1", "v1", "batch/v1"] } }],
    ["release name", { releaseName: "cm2" }],
    ["namespace", { namespace: "other" }],
  ])("changes with the %s", (_name, change) => {
    expect(renderKey({ ...base, ...change })).not.toBe(renderKey(base));
  });

  it("is a sha256 in hex", () => {
    expect(renderKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("helmValues", () => {
  const cluster = { name: "edge-1", labels: { region: "eu" } };
  it.each([
    ["layers merge left to right, built-ins last", [{ a: 1, b: { c: 1 } }, undefined, { b: { d: 2 } }], { a: 1, b: { c: 1, d: 2 }, flotilla: { cluster } }],
    ["the layers cannot set the built-ins", [{ flotilla: { cluster: { name: "spoofed" }, extra: true } }], { flotilla: { cluster } }],
    ["no layers", [], { flotilla: { cluster } }],
  ])("%s", (_name, layers, want) => {
    expect(helmValues(layers, cluster)).toEqual(want);
  });
});
