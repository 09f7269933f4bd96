import { describe, expect, it } from "vitest";
import { approvalTimes, approvedSteps, parsePromote, withPromotion } from "./approvals.js";

const NOW = new Date("2026-01-01T00:00:00Z");

describe("parsePromote", () => {
  it.each([
    { value: undefined, entries: [], invalid: [] },
    { value: "a-1/2", entries: [{ revision: "a-1", step: 2 }], invalid: [] },
    { value: " a-1/2 , a-1/* ,", entries: [{ revision: "a-1", step: 2 }, { revision: "a-1", step: "*" }], invalid: [] },
    { value: "a-1/0,a-1/x,/2,a-1", entries: [], invalid: ["a-1/0", "a-1/x", "/2", "a-1"] },
  ])("$value", ({ value, entries, invalid }) => {
    expect(parsePromote(value)).toEqual({ entries, invalid });
  });
});

describe("withPromotion", () => {
  it("adds the step, keeps the revision's others, drops other revisions' and duplicates", () => {
    expect(withPromotion(undefined, "a-2", 2)).toBe("a-2/2");
    expect(withPromotion("a-1/2,a-2/4,a-2/2", "a-2", 2)).toBe("a-2/4,a-2/2");
  });
});

describe("approvedSteps", () => {
  it("stamps new approvals of the revision's pause steps with now; keeps recorded times; ignores other revisions and non-pause steps", () => {
    const recorded = [{ step: 4, approvedAt: "2025-12-31T00:00:00.000Z" }];
    expect(approvedSteps("a-2", "a-1/2,a-2/2,a-2/3,a-2/4", [2, 4], recorded, NOW)).toEqual([
      { step: 2, approvedAt: NOW.toISOString() },
      { step: 4, approvedAt: "2025-12-31T00:00:00.000Z" },
    ]);
  });
  it("* approves every pause of the revision", () => {
    expect(approvedSteps("a-2", "a-2/*", [2, 5], [], NOW).map((a) => a.step)).toEqual([2, 5]);
  });
  it("gives the planner step → ms", () => {
    expect([...approvalTimes([{ step: 2, approvedAt: NOW.toISOString() }])]).toEqual([[2, NOW.getTime()]]);
  });
});
