import { describe, expect, it } from "vitest";
import { configCrdCondition, nextCondition } from "./condition.js";

const now = new Date("2026-01-01T00:00:00Z");

describe("configCrdCondition", () => {
  it.each<[string, Parameters<typeof configCrdCondition>[0], string, string, RegExp]>([
    [
      "generated with widenings",
      { kind: "Generated", crdName: "externaldnsconfigs.config.addon.flotilla.dev", kindName: "ExternalDnsConfig", versions: ["v1alpha1"], newest: "v1alpha1", change: "Created", widened: [{ path: ".extraArgs", construct: "type: [array, object]", why: "…" }] },
      "True",
      "Generated",
      /serves v1alpha1.*Widened.*\.extraArgs \(type: \[array, object\]\)/,
    ],
    ["nothing widened", { kind: "Generated", crdName: "a", kindName: "AConfig", versions: ["v1alpha1", "v1alpha2"], newest: "v1alpha2", change: "Added", widened: [] }, "True", "Generated", /Nothing widened/],
    ["rejected", { kind: "SchemaRejected", rejection: { reason: "NotAnObjectSchema", message: "the root allows type \"string\"" } }, "False", "SchemaRejected", /NotAnObjectSchema: the root/],
    ["no schema", { kind: "NoSchema" }, "False", "NoValuesSchema", /valuesSchema/],
    ["refused by the API server", { kind: "Refused", message: "spec.x: Invalid value" }, "False", "CRDRefused", /refused the generated CRD: spec\.x/],
    ["too large", { kind: "TooLarge", bytes: 2_000_000, limit: 1_048_576 }, "False", "CRDTooLarge", /2000000 bytes/],
  ])("%s", (_, outcome, status, reason, message) => {
    const c = configCrdCondition(outcome);
    expect(c).toMatchObject({ type: "ConfigCRDReady", status, reason });
    expect(c.message).toMatch(message);
  });

  it("bounds a long widened list", () => {
    const widened = Array.from({ length: 2000 }, (_, i) => ({ path: `.field${i}`, construct: "patternProperties", why: "" }));
    const c = configCrdCondition({ kind: "Generated", crdName: "a", kindName: "AConfig", versions: ["v1alpha1"], newest: "v1alpha1", change: "Created", widened });
    expect(c.message.length).toBeLessThanOrEqual(8_000);
    expect(c.message).toMatch(/truncated\)$/);
  });
});

describe("nextCondition", () => {
  const want = { type: "ConfigCRDReady", status: "True" as const, reason: "Generated", message: "m" };
  it("writes a new condition with the time of now", () => {
    expect(nextCondition([], want, 3, now)).toEqual({ ...want, observedGeneration: 3, lastTransitionTime: now.toISOString() });
  });
  it("writes nothing when the CMA already says so", () => {
    expect(nextCondition([{ ...want, observedGeneration: 3, lastTransitionTime: "t" }], want, 3, now)).toBeUndefined();
  });
  it("keeps the transition time when only the message changes", () => {
    expect(nextCondition([{ ...want, message: "old", observedGeneration: 3, lastTransitionTime: "t" }], want, 3, now)?.lastTransitionTime).toBe("t");
  });
});
