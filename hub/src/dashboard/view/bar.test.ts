import { describe, expect, it } from "vitest";
import { barSegments } from "./bar.js";

const counts = (members: number, succeeded: number, inFlight: number, failed: number) => ({ members, succeeded, inFlight, failed, unreachable: 0 });

describe("barSegments", () => {
  it.each([
    ["an empty step is all waiting", counts(0, 0, 0, 0), [["waiting", 100]]],
    ["all succeeded", counts(4, 4, 0, 0), [["succeeded", 100]]],
    ["halves", counts(2, 1, 1, 0), [["succeeded", 50], ["inFlight", 50]]],
    ["thirds round to 100, largest remainders first", counts(3, 1, 1, 1), [["succeeded", 34], ["inFlight", 33], ["failed", 33]]],
    ["the rest waits", counts(8, 1, 2, 0), [["succeeded", 13], ["inFlight", 25], ["waiting", 62]]],
    ["a sliver still shows", counts(1000, 1, 0, 0), [["succeeded", 1], ["waiting", 99]]],
  ] as const)("%s", (_name, c, want) => {
    const got = barSegments(c);
    expect(got.map((s) => [s.kind, s.percent])).toEqual(want);
    expect(got.reduce((a, s) => a + s.percent, 0)).toBe(100);
  });
});
