import { describe, expect, it } from "vitest";
import { desiredHistory, everDesired, firstDesired, formatTimeline, maxInFlight, pointOf, pointsAt, samePoint, GONE, type TimelineEntry } from "./timeline.js";

const OLD = "a-0000000001";
const R = "a-0000000002";

/** `[at, cluster, desired, applied, available]` rows, as a rollout would show them. */
type Row = [number, string, string | undefined, string | undefined, boolean];
const tl = (rows: Row[]): TimelineEntry[] =>
  rows.map(([at, cluster, desiredRevision, appliedRevision, available]) => ({
    at, cluster, available, ...(desiredRevision ? { desiredRevision } : {}), ...(appliedRevision ? { appliedRevision } : {}),
  }));

/** Five clusters on OLD, then R two at a time: c1,c2 start at 10; c1 Available at 20; c3 at 21; ... */
const rolling = tl([
  [0, "c1", OLD, OLD, true], [0, "c2", OLD, OLD, true], [0, "c3", OLD, OLD, true], [0, "c4", OLD, OLD, true], [0, "c5", OLD, OLD, true],
  [10, "c1", R, OLD, true], [10, "c2", R, OLD, true],
  [20, "c1", R, R, true], [21, "c3", R, OLD, true],
  [22, "c2", R, R, true], [22, "c4", R, OLD, true], // c2 leaves and c4 enters at the same instant
  [30, "c3", R, R, true], [30, "c4", R, R, true], [31, "c5", R, OLD, true], [40, "c5", R, R, true],
]);

describe("pointOf", () => {
  it.each([
    ["no status", {}, { available: false }],
    ["desired only", { status: { desiredRevision: R } }, { desiredRevision: R, available: false }],
    [
      "applied and Available",
      { status: { desiredRevision: R, appliedRevision: OLD, conditions: [{ type: "Applied", status: "True" }, { type: "Available", status: "True" }] } },
      { desiredRevision: R, appliedRevision: OLD, available: true },
    ],
    ["Available False", { status: { appliedRevision: R, conditions: [{ type: "Available", status: "False" }] } }, { appliedRevision: R, available: false }],
    ["Available Unknown", { status: { appliedRevision: R, conditions: [{ type: "Available", status: "Unknown" }] } }, { appliedRevision: R, available: false }],
  ])("%s", (_name, mca, point) => {
    expect(pointOf(mca)).toEqual(point);
  });
});

describe("samePoint", () => {
  it.each([
    [undefined, { available: false }, false],
    [{ available: false }, { available: false }, true],
    [{ desiredRevision: R, available: true }, { desiredRevision: R, available: true }, true],
    [{ desiredRevision: R, available: true }, { desiredRevision: R, available: false }, false],
    [{ desiredRevision: R, available: false }, { desiredRevision: R, appliedRevision: R, available: false }, false],
    [{ available: false }, GONE, false],
  ])("%j vs %j: %s", (a, b, same) => {
    expect(samePoint(a, b)).toBe(same);
  });
});

describe("maxInFlight", () => {
  it("counts clusters with R desired and not yet Available on it", () => {
    expect(maxInFlight(rolling, R)).toEqual({ max: 2, at: 10, clusters: ["c1", "c2"] });
  });

  it("does not count a cluster that leaves at the instant another enters", () => {
    const peak = maxInFlight(rolling, R);
    expect(peak.max).toBe(2); // c2 and c4 both at 22, c3 in flight: 2, not 3
  });

  it("counts a soaking cluster with soakMs", () => {
    // c1 soaks 20..25 and c2 22..27, while c3 (from 21) and c4 (from 22) are in flight
    expect(maxInFlight(rolling, R, { soakMs: 5 })).toEqual({ max: 4, at: 22, clusters: ["c1", "c2", "c3", "c4"] });
    // c1's soak ends (21) as c3 enters; c2 soaks 22..23 as c4 enters, c3 still in flight
    expect(maxInFlight(rolling, R, { soakMs: 1 })).toEqual({ max: 3, at: 22, clusters: ["c2", "c3", "c4"] });
  });

  it("ignores other revisions, and a cluster sent away from R", () => {
    const t = tl([[0, "c1", R, undefined, false], [0, "c2", R, undefined, false], [5, "c1", OLD, undefined, false], [6, "c3", R, undefined, false]]);
    expect(maxInFlight(t, R)).toEqual({ max: 2, at: 0, clusters: ["c1", "c2"] });
    expect(maxInFlight(t, OLD)).toEqual({ max: 1, at: 5, clusters: ["c1"] });
    expect(maxInFlight(t, "other")).toEqual({ max: 0, clusters: [] });
  });

  it("is in flight again when Available on R is lost, and the soak counts from the latest availability", () => {
    const t = tl([[0, "c1", R, R, true], [3, "c1", R, R, false], [8, "c1", R, R, true], [9, "c2", R, undefined, false]]);
    expect(maxInFlight(t, R, { soakMs: 2 })).toEqual({ max: 2, at: 9, clusters: ["c1", "c2"] });
    expect(maxInFlight(t, R, { soakMs: 1 })).toMatchObject({ max: 1 });
  });

  it("is zero on an empty timeline", () => {
    expect(maxInFlight([], R)).toEqual({ max: 0, clusters: [] });
  });

  it("an MCA that is gone is not in flight", () => {
    const t: TimelineEntry[] = [...tl([[0, "c1", R, undefined, false], [0, "c2", R, undefined, false]]), { at: 1, cluster: "c1", ...GONE }, ...tl([[2, "c3", R, undefined, false]])];
    expect(maxInFlight(t, R).max).toBe(2);
  });
});

describe("everDesired, firstDesired, desiredHistory, pointsAt", () => {
  it("answers from the whole timeline", () => {
    expect([...everDesired(rolling, R)].sort()).toEqual(["c1", "c2", "c3", "c4", "c5"]);
    expect(everDesired(rolling, "other").size).toBe(0);
    expect(firstDesired(rolling, R)).toEqual([
      { cluster: "c1", at: 10 }, { cluster: "c2", at: 10 }, { cluster: "c3", at: 21 }, { cluster: "c4", at: 22 }, { cluster: "c5", at: 31 },
    ]);
    expect(desiredHistory(rolling, "c3")).toEqual([OLD, R]);
    expect(desiredHistory(tl([[0, "c1", undefined, undefined, false], [1, "c1", R, undefined, false], [2, "c1", R, R, true], [3, "c1", OLD, R, true]]), "c1")).toEqual([undefined, R, OLD]);
    expect(pointsAt(rolling, 21).get("c3")).toMatchObject({ desiredRevision: R, appliedRevision: OLD });
    expect(pointsAt(rolling).get("c5")).toMatchObject({ desiredRevision: R, appliedRevision: R, available: true });
  });
});

describe("formatTimeline", () => {
  it("writes one line per change, relative to the first", () => {
    const t: TimelineEntry[] = [...tl([[1000, "c1", R, undefined, false], [2500, "c1", R, R, true]]), { at: 3000, cluster: "c1", ...GONE }];
    expect(formatTimeline(t).split("\n")).toEqual([
      `+   0.000s c1 desired=${R} applied=-`,
      `+   1.500s c1 desired=${R} applied=${R} Available`,
      "+   2.000s c1 gone",
    ]);
  });
});
