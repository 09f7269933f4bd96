import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOn } from "../api/types.js";
import { revisionName } from "./hash.js";
import { resolvedSpec } from "./resolved.js";

const D1 = `sha256:${"a".repeat(64)}`;
const D2 = `sha256:${"b".repeat(64)}`;
const helm = { repoURL: "https://charts.example.com", chart: "cert-manager", version: "~1.21.0", interval: "5m" };
const resolution = { repoURL: helm.repoURL, chart: helm.chart, requestedVersion: "~1.21.0", version: "1.21.1", digest: D1 };
const cma = (h: object, source?: object): Pick<ClusterManagementAddOn, "spec" | "status"> => ({ spec: { source: { helm: h as typeof helm }, values: { a: 1 } }, ...(source ? { status: { source } } : {}) });

describe("resolvedSpec", () => {
  it("leaves a manifests source as it is", () => {
    const spec = { source: { manifests: [] } };
    expect(resolvedSpec({ spec })).toBe(spec);
  });

  it("pins a helm source to the resolved version and digest, without the interval", () => {
    expect(resolvedSpec(cma(helm, resolution))?.source).toEqual({ helm: { repoURL: helm.repoURL, chart: helm.chart, version: "1.21.1", digest: D1 } });
  });

  it.each([
    ["nothing resolved yet", undefined],
    ["another requested version", { ...resolution, requestedVersion: "~1.20.0" }],
    ["another chart", { ...resolution, chart: "x" }],
    ["another repository", { ...resolution, repoURL: "https://other.example.com" }],
    ["no digest", { ...resolution, digest: undefined }],
  ])("is undefined with %s", (_name, source) => {
    expect(resolvedSpec(cma(helm, source))).toBeUndefined();
  });

  it("is undefined when the spec pins another digest", () => {
    expect(resolvedSpec(cma({ ...helm, digest: D2 }, resolution))).toBeUndefined();
    expect(resolvedSpec(cma({ ...helm, digest: D1 }, resolution))).toBeDefined();
  });

  it("names a new revision when the range resolves to a newer chart, and the same one when only the interval changes", () => {
    const a = revisionName("cm", resolvedSpec(cma(helm, resolution))!);
    const b = revisionName("cm", resolvedSpec(cma(helm, { ...resolution, version: "1.21.2", digest: D2 }))!);
    const c = revisionName("cm", resolvedSpec(cma({ ...helm, interval: "1h" }, resolution))!);
    expect(b).not.toBe(a);
    expect(c).toBe(a);
  });

  it("gives an undone revision (exact version and digest copied back) the same name", () => {
    const pinned = resolvedSpec(cma(helm, resolution))!;
    const undone = { spec: pinned, status: { source: { ...resolution, requestedVersion: "1.21.1" } } };
    expect(revisionName("cm", resolvedSpec(undone)!)).toBe(revisionName("cm", pinned));
  });
});
