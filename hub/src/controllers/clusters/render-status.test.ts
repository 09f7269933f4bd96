import { describe, expect, it } from "vitest";
import type { Condition } from "@flotilla/shared";
import { renderStatus, type RenderFailure, type RenderStatusResult } from "./render-status.js";

const T0 = "2026-01-01T00:00:00.000Z";
const NOW = new Date("2026-01-01T00:05:00Z");
const c = (type: string, reason: string, message: string, observedGeneration = 3, status: Condition["status"] = "False"): Condition => ({ type, status, reason, message, lastTransitionTime: T0, observedGeneration });
const other = (type: string): Condition => ({ type, status: "True", reason: "AgentReported", message: "", lastTransitionTime: T0 });
const values: RenderFailure = { reason: "ValuesInvalid", message: "values.replicas: must be >= 0" };
const render: RenderFailure = { reason: "RenderFailed", message: "manifests[0]: .Values.x is not defined" };
const images: RenderFailure = { reason: "DigestRequired", message: 'image "nginx" (Deployment web container web) is not pinned by digest' };

describe("renderStatus", () => {
  it.each<[string, Condition[] | undefined, RenderFailure | undefined, { conditions?: [string, string, string][] } | undefined, string | undefined, string[]]>([
    ["nothing to say, nothing said", [other("Available")], undefined, undefined, undefined, []],
    ["invalid values set ValuesValid=False", [other("Available")], values, { conditions: [["ValuesValid", "ValuesInvalid", values.message]] }, "ValuesValid", []],
    ["a render failure sets Rendered=False", undefined, render, { conditions: [["Rendered", "RenderFailed", render.message]] }, "Rendered", []],
    ["the same failure again writes nothing", [other("Available"), c("ValuesValid", "ValuesInvalid", values.message)], values, undefined, undefined, []],
    [
      "other errors are a new failure",
      [c("ValuesValid", "ValuesInvalid", "values.greeting: must be string")],
      values,
      { conditions: [["ValuesValid", "ValuesInvalid", values.message]] },
      "ValuesValid",
      [],
    ],
    ["valid again: cleared", [other("Available"), c("ValuesValid", "ValuesInvalid", values.message)], undefined, {}, undefined, ["ValuesValid"]],
    ["an image the policies refuse sets ImagePolicyCompliant=False", [other("Available")], images, { conditions: [["ImagePolicyCompliant", "DigestRequired", images.message]] }, "ImagePolicyCompliant", []],
    ["the image fixed: cleared", [c("ImagePolicyCompliant", "DigestRequired", images.message)], undefined, {}, undefined, ["ImagePolicyCompliant"]],
    ["values fixed but the render fails: one replaces the other", [c("ValuesValid", "ValuesInvalid", values.message)], render, { conditions: [["Rendered", "RenderFailed", render.message]] }, "Rendered", ["ValuesValid"]],
    ["a new generation with the same failure is written, without an event", [c("ValuesValid", "ValuesInvalid", values.message, 2)], values, { conditions: [["ValuesValid", "ValuesInvalid", values.message]] }, undefined, []],
  ])("%s", (_n, current, failure, want, raised, cleared) => {
    const r: RenderStatusResult = renderStatus({ current, failure, generation: 3, now: NOW });
    expect(r.status && { ...r.status, ...(r.status.conditions ? { conditions: r.status.conditions.map((x) => [x.type, x.reason, x.message]) } : {}) }).toEqual(want);
    expect(r.status?.conditions?.every((x) => x.status === "False" && x.observedGeneration === 3) ?? true).toBe(true);
    expect(r.raised?.type).toBe(raised);
    expect(r.cleared).toEqual(cleared);
  });

  it("keeps the transition time while the failure lasts", () => {
    const r = renderStatus({ current: [c("ValuesValid", "ValuesInvalid", "values.greeting: must be string")], failure: values, generation: 3, now: NOW });
    expect(r.status?.conditions?.[0]?.lastTransitionTime).toBe(T0);
    expect(renderStatus({ current: [], failure: values, generation: 3, now: NOW }).status?.conditions?.[0]?.lastTransitionTime).toBe(NOW.toISOString());
  });

  it("clips long messages", () => {
    const r = renderStatus({ current: [], failure: { reason: "ValuesInvalid", message: "x".repeat(40_000) }, generation: undefined, now: NOW });
    expect(r.status?.conditions?.[0]?.message.length).toBe(32_000);
    expect(r.status?.conditions?.[0]).not.toHaveProperty("observedGeneration");
  });
});
