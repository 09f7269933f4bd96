import { describe, expect, it } from "vitest";
import type { Violation } from "./evaluate.js";
import { combineVerdicts, imagePolicyCondition, verdictOf, type ImageVerdict } from "./verdict.js";

const violation = (image: string, reason: Violation["reason"] = "ImageNotAllowed"): Violation => ({ image, where: "Pod p", rule: "allowedRegistries", reason, policy: "ImagePolicy/p", message: `${image} breaks ImagePolicy/p` });
const deployment = (image: string) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", image }] } } } });

describe("verdictOf", () => {
  it.each<[string, string, ImageVerdict["state"]]>([
    ["allowed", "ghcr.io/corp/web:1", "Compliant"],
    ["refused", "nginx", "Refused"],
  ])("%s", (_n, image, state) => {
    expect(verdictOf([deployment(image)], [{ policy: "ImagePolicy/p", allowedRegistries: ["ghcr.io/corp"] }]).state).toBe(state);
  });
  it("no policy", () => expect(verdictOf([deployment("nginx")], [])).toEqual({ state: "NoPolicy" }));
});

describe("combineVerdicts", () => {
  const compliant: ImageVerdict = { state: "Compliant", images: 2, policies: 1 };
  const unknown: ImageVerdict = { state: "Unknown", reason: "ValuesInvalid", message: "bad" };
  it.each<[string, ImageVerdict[], ImageVerdict]>([
    ["nothing", [], { state: "NoPolicy" }],
    ["all compliant", [compliant, { state: "Compliant", images: 3, policies: 1 }], { state: "Compliant", images: 3, policies: 1 }],
    ["one unknown", [compliant, unknown], unknown],
    ["a refusal wins, duplicates once", [unknown, { state: "Refused", violations: [violation("a")] }, { state: "Refused", violations: [violation("a"), violation("b")] }], { state: "Refused", violations: [violation("a"), violation("b")] }],
  ])("%s", (_n, verdicts, expected) => {
    expect(combineVerdicts(verdicts)).toEqual(expected);
  });
});

describe("imagePolicyCondition", () => {
  it.each<[ImageVerdict, string, string, RegExp]>([
    [{ state: "NoPolicy" }, "True", "NoPolicy", /no image policy/],
    [{ state: "Compliant", images: 2, policies: 1 }, "True", "Compliant", /^web-1: 2 image\(s\) satisfy 1 image policy$/],
    [{ state: "Refused", violations: [violation("nginx", "DigestRequired")] }, "False", "DigestRequired", /^web-1 is refused, no cluster starts on it: nginx breaks ImagePolicy\/p$/],
    [{ state: "Refused", violations: ["a", "b", "c", "d", "e", "f", "g"].map((i) => violation(i)) }, "False", "ImageNotAllowed", /e breaks ImagePolicy\/p; and 2 more$/],
    [{ state: "Unknown", reason: "ValuesInvalid", message: "x" }, "Unknown", "ValuesInvalid", /could not be rendered/],
  ])("%j", (verdict, status, reason, message) => {
    const c = imagePolicyCondition(verdict, "web-1");
    expect([c.status, c.reason]).toEqual([status, reason]);
    expect(c.message).toMatch(message);
  });
});
