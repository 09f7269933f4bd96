import { describe, expect, it } from "vitest";
import type { ImagePolicy } from "../api/types.js";
import { applicablePolicies, evaluateImages, type NamedPolicy } from "./evaluate.js";

const D = "sha256:" + "b".repeat(64);
const use = (image: unknown) => ({ image, where: "Deployment ns/web container web" });
const corp: NamedPolicy = { policy: "ImagePolicy/corp", allowedRegistries: ["registry.corp.example", "ghcr.io/corp"] };
const pinned: NamedPolicy = { policy: "ClusterManagementAddOn/web spec.imagePolicy", requireDigest: true };

describe("evaluateImages", () => {
  it.each<[string, unknown[], NamedPolicy[], [string, string, string][]]>([
    ["no policy: nothing is checked", ["nginx", 42], [], []],
    ["an allowed registry", ["registry.corp.example/web:1"], [corp], []],
    ["an allowed repository prefix", ["ghcr.io/corp/web:1"], [corp], []],
    ["another registry", ["nginx:1.25"], [corp], [["nginx:1.25", "ImageNotAllowed", "ImagePolicy/corp"]]],
    ["a look-alike prefix", ["ghcr.io/corporate/web"], [corp], [["ghcr.io/corporate/web", "ImageNotAllowed", "ImagePolicy/corp"]]],
    ["a tag where a digest is required", ["registry.corp.example/web:1"], [corp, pinned], [["registry.corp.example/web:1", "DigestRequired", pinned.policy]]],
    ["a digest satisfies it", [`registry.corp.example/web:1@${D}`], [corp, pinned], []],
    [
      "both rules broken: one violation each, per policy",
      ["nginx"],
      [corp, pinned],
      [
        ["nginx", "ImageNotAllowed", "ImagePolicy/corp"],
        ["nginx", "DigestRequired", pinned.policy],
      ],
    ],
    ["the same image twice is reported once", ["nginx", "nginx"], [corp], [["nginx", "ImageNotAllowed", "ImagePolicy/corp"]]],
    ["an invalid reference", ["Nginx"], [corp], [["Nginx", "InvalidImageReference", "ImagePolicy/corp"]]],
    ["a non-string image", [42], [corp], [["42", "InvalidImageReference", "ImagePolicy/corp"]]],
  ])("%s", (_name, images, policies, expected) => {
    expect(evaluateImages(images.map(use), policies).map((v) => [v.image, v.reason, v.policy])).toEqual(expected);
  });

  it("names the image, where it is, the rule and the policy", () => {
    const [v] = evaluateImages([use("nginx:1.25")], [corp]);
    expect(v?.message).toBe(
      'image "nginx:1.25" (Deployment ns/web container web) is docker.io/library/nginx, not from a registry ImagePolicy/corp allows (allowedRegistries: registry.corp.example, ghcr.io/corp)',
    );
    const [d] = evaluateImages([use("ghcr.io/corp/web:2")], [pinned]);
    expect(d?.message).toBe('image "ghcr.io/corp/web:2" (Deployment ns/web container web) is not pinned by digest (name@sha256:…), which ClusterManagementAddOn/web spec.imagePolicy requires (requireDigest)');
  });
});

describe("applicablePolicies", () => {
  const policy = (name: string, spec: ImagePolicy["spec"], deleting = false): ImagePolicy => ({
    apiVersion: "addon.flotilla.dev/v1alpha1",
    kind: "ImagePolicy",
    metadata: { name, ...(deleting ? { deletionTimestamp: new Date("2026-01-01T00:00:00Z") } : {}) },
    spec,
  });
  const fleet = [
    policy("z-all", { requireDigest: true }),
    policy("a-tier1", { allowedRegistries: ["ghcr.io"], addonSelector: { matchLabels: { tier: "1" } } }),
    policy("gone", { requireDigest: true }, true),
  ];

  it.each<[string, Record<string, string> | undefined, boolean, string[]]>([
    ["unlabelled addon: the selector-less policies", undefined, false, ["ImagePolicy/z-all"]],
    ["a matching label", { tier: "1" }, false, ["ImagePolicy/a-tier1", "ImagePolicy/z-all"]],
    ["its own first", { tier: "1" }, true, ["ClusterManagementAddOn/web spec.imagePolicy", "ImagePolicy/a-tier1", "ImagePolicy/z-all"]],
  ])("%s", (_name, labels, own, expected) => {
    const got = applicablePolicies({ name: "web", labels, rules: own ? { requireDigest: true } : undefined }, fleet);
    expect(got.map((p) => p.policy)).toEqual(expected);
  });
});
