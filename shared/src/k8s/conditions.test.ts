import { describe, expect, it } from "vitest";
import type { Condition } from "../api/types.generated.js";
import { conditionsChanged, setCondition } from "./conditions.js";

const t0 = new Date("2026-01-01T00:00:00Z");
const t1 = new Date("2026-01-01T00:01:00Z");

describe("setCondition", () => {
  it("appends a new type with now as transition time", () => {
    expect(setCondition([], { type: "Ready", status: "True", reason: "R", message: "" }, t0)).toEqual([
      { type: "Ready", status: "True", reason: "R", message: "", lastTransitionTime: t0.toISOString() },
    ]);
  });
  it("keeps the transition time when only reason or message change", () => {
    const a = setCondition([], { type: "Ready", status: "True", reason: "R", message: "" }, t0);
    const b = setCondition(a, { type: "Ready", status: "True", reason: "R2", message: "m" }, t1);
    expect(b[0]?.lastTransitionTime).toBe(t0.toISOString());
    expect(b[0]?.reason).toBe("R2");
  });
  it("moves the transition time when the status changes, keeping order", () => {
    const a = setCondition(setCondition([], { type: "A", status: "True", reason: "", message: "" }, t0), { type: "B", status: "True", reason: "", message: "" }, t0);
    const b = setCondition(a, { type: "A", status: "False", reason: "", message: "" }, t1);
    expect(b.map((c) => c.type)).toEqual(["A", "B"]);
    expect(b[0]?.lastTransitionTime).toBe(t1.toISOString());
  });
});

describe("conditionsChanged", () => {
  const c = (status: Condition["status"], at: string): Condition => ({ type: "A", status, reason: "r", message: "", lastTransitionTime: at });
  it("ignores transition times", () => expect(conditionsChanged([c("True", "x")], [c("True", "y")])).toBe(false));
  it("sees a status change", () => expect(conditionsChanged([c("True", "x")], [c("False", "x")])).toBe(true));
  it("sees a new condition", () => expect(conditionsChanged([], [c("True", "x")])).toBe(true));
});
