import { describe, expect, it } from "vitest";
import { writtenVersion } from "./written-version.js";

const G = "config.addon.flotilla.dev";
const f = (v: string, time: string, subresource?: string) => ({ apiVersion: `${G}/${v}`, time, ...(subresource ? { subresource } : {}) });

describe("writtenVersion", () => {
  it.each<[string, ReturnType<typeof f>[], string]>([
    ["no managed fields → the fallback", [], "v1alpha2"],
    ["one writer at the old version", [f("v1alpha1", "2026-01-01T00:00:00Z")], "v1alpha1"],
    ["the newest write wins", [f("v1alpha2", "2026-01-01T00:00:00Z"), f("v1alpha1", "2026-01-02T00:00:00Z")], "v1alpha1"],
    ["status writes do not count", [f("v1alpha1", "2026-01-01T00:00:00Z"), f("v1alpha2", "2026-01-02T00:00:00Z", "status")], "v1alpha1"],
    ["a version no longer served is skipped", [f("v1alpha0", "2026-01-03T00:00:00Z"), f("v1alpha1", "2026-01-01T00:00:00Z")], "v1alpha1"],
    ["same second: the newer version", [f("v1alpha1", "2026-01-01T00:00:00Z"), f("v1alpha2", "2026-01-01T00:00:00Z")], "v1alpha2"],
  ])("%s", (_, managedFields, want) => {
    expect(writtenVersion({ metadata: { managedFields } }, ["v1alpha1", "v1alpha2"], "v1alpha2")).toBe(want);
  });
});
