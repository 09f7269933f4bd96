import { describe, expect, it } from "vitest";
import { appliedFields, detectDrift, olderThan } from "./detect.js";

const M = "flotilla-agent";
const ours = { "f:data": { "f:greeting": {}, "f:size": {} }, "f:metadata": { "f:labels": { "f:app": {} } } };
const applied = appliedFields({ resourceVersion: "100", managedFields: [{ manager: M, operation: "Apply", fieldsV1: ours }] }, M);
if (!applied) throw new Error("no applied fields");
const live = (rv: string, managedFields: object[]) => ({ resourceVersion: rv, managedFields });

describe("detectDrift", () => {
  it.each([
    { name: "the apply itself", meta: live("100", [{ manager: M, operation: "Apply", fieldsV1: {} }]), want: undefined },
    { name: "an older copy (the cache has not caught up)", meta: live("99", [{ manager: M, operation: "Apply", fieldsV1: {} }]), want: undefined },
    { name: "a controller wrote status", meta: live("101", [{ manager: M, operation: "Apply", fieldsV1: ours }, { manager: "kcm", operation: "Update", subresource: "status", fieldsV1: { "f:status": {} } }]), want: undefined },
    { name: "someone added a field the bundle does not set", meta: live("101", [{ manager: M, operation: "Apply", fieldsV1: ours }, { manager: "kubectl-edit", operation: "Update", fieldsV1: { "f:data": { "f:extra": {} } } }]), want: undefined },
    {
      name: "another manager took a field",
      meta: live("101", [{ manager: M, operation: "Apply", fieldsV1: { "f:data": { "f:size": {} }, "f:metadata": { "f:labels": { "f:app": {} } } } }, { manager: "kubectl-edit", operation: "Update", fieldsV1: { "f:data": { "f:greeting": {} } } }]),
      want: { fields: [".data.greeting"], by: ["kubectl-edit"] },
    },
    {
      name: "a field removed: nobody owns it, the last writer is named",
      meta: live("101", [{ manager: M, operation: "Apply", fieldsV1: { "f:data": { "f:greeting": {}, "f:size": {} } } }, { manager: "old", operation: "Update", time: "2026-01-01T00:00:00Z", fieldsV1: {} }, { manager: "kubectl-edit", operation: "Update", time: "2026-12-01T00:00:00Z", fieldsV1: {} }]),
      want: { fields: [".metadata.labels.app"], by: ["kubectl-edit"] },
    },
    { name: "every field taken (the agent's entry gone)", meta: live("101", [{ manager: "helm", operation: "Apply", fieldsV1: ours }]), want: { fields: [".data.greeting", ".data.size", ".metadata.labels.app"], by: ["helm"] } },
  ])("$name", ({ meta, want }) => {
    expect(detectDrift(applied, meta, M)).toEqual(want);
  });
});

describe("olderThan", () => {
  it.each([
    ["9", "10", true],
    ["10", "9", false],
    ["10", "10", false],
    ["123456789012345678901", "123456789012345678902", true],
    ["abc", "10", false],
  ] as const)("%s < %s: %s", (a, b, want) => {
    expect(olderThan(a, b)).toBe(want);
  });
});
