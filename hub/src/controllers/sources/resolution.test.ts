import { describe, expect, it } from "vitest";
import { FAILURE_RETRY_MS, nextResolution, sourceDue, sourceTransition } from "./resolution.js";

const D1 = `sha256:${"a".repeat(64)}`;
const D2 = `sha256:${"b".repeat(64)}`;
const helm = { repoURL: "https://charts.example.com", chart: "cm", version: "~1.2.0" };
const T0 = Date.parse("2026-12-01T10:00:00Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();
const good = { repoURL: helm.repoURL, chart: "cm", requestedVersion: "~1.2.0", version: "1.2.3", digest: D1, url: "https://charts.example.com/cm-1.2.3.tgz", lastCheckedTime: at(0) };
const MIN = 60_000;

describe("sourceDue", () => {
  it.each([
    ["never asked", undefined, 0, { due: true }],
    ["asked for another version", { ...good, requestedVersion: "~1.1.0" }, 0, { due: true }],
    ["within the interval", good, 4 * MIN, { due: false, afterMs: 6 * MIN }],
    ["the interval passed", good, 10 * MIN, { due: true }],
    ["failed: again after 30 s, not the interval", { ...good, failure: { reason: "Unreachable", message: "x" } }, 10_000, { due: false, afterMs: FAILURE_RETRY_MS - 10_000 }],
    ["no check time", { ...good, lastCheckedTime: undefined }, 0, { due: true }],
  ])("%s", (_name, prev, elapsed, want) => {
    expect(sourceDue(helm, prev, 10 * MIN, T0 + elapsed)).toEqual(want);
  });
});

describe("nextResolution", () => {
  it("records what the look found, without a failure", () => {
    const r = nextResolution(helm, { ...good, failure: { reason: "Unreachable", message: "x" } }, { ok: true, version: "1.2.4", digest: D2, url: "u" }, T0 + MIN);
    expect(r).toEqual({ repoURL: helm.repoURL, chart: "cm", requestedVersion: "~1.2.0", version: "1.2.4", digest: D2, url: "u", lastCheckedTime: at(MIN) });
  });

  it("keeps the chart last resolved for this spec when a look fails", () => {
    const r = nextResolution(helm, good, { ok: false, reason: "Unreachable", message: "connection refused" }, T0 + MIN);
    expect(r).toMatchObject({ version: "1.2.3", digest: D1, failure: { reason: "Unreachable", message: "connection refused" }, lastCheckedTime: at(MIN) });
  });

  it("drops a chart resolved for another spec when a look fails", () => {
    const r = nextResolution({ ...helm, version: "~1.3.0" }, good, { ok: false, reason: "VersionNotFound", message: "no 1.3.x" }, T0);
    expect(r.version).toBeUndefined();
    expect(r.digest).toBeUndefined();
    expect(r).toMatchObject({ requestedVersion: "~1.3.0", failure: { reason: "VersionNotFound" } });
  });
});

describe("sourceTransition", () => {
  const failed = { ...good, failure: { reason: "Unauthorized", message: "401 from https://charts.example.com/index.yaml" } };
  it.each([
    ["first resolution", undefined, good, "Normal/ChartResolved"],
    ["a newer chart", good, { ...good, version: "1.2.4", digest: D2 }, "Normal/ChartResolved"],
    ["nothing new", good, { ...good, lastCheckedTime: at(MIN) }, undefined],
    ["a new failure", good, failed, "Warning/Unauthorized"],
    ["the same failure again", failed, { ...failed, lastCheckedTime: at(MIN) }, undefined],
    ["recovered", failed, good, "Normal/ChartResolved"],
  ])("%s", (_name, prev, next, want) => {
    const t = sourceTransition(prev, next);
    expect(t ? `${t.type}/${t.reason}` : undefined).toBe(want);
  });

  it("says which version it was", () => {
    expect(sourceTransition(good, { ...good, version: "1.2.4", digest: D2 })?.message).toBe(`cm ~1.2.0 resolved to 1.2.4 (${D2}), was 1.2.3`);
  });
});
