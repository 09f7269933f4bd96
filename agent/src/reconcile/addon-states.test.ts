import { describe, expect, it } from "vitest";
import type { AddonReport, ReportCondition } from "@flotilla/shared";
import { stateOfReport } from "./addon-states.js";

const report = (s: Record<string, ReportCondition["status"]>): AddonReport => ({
  version: 1, kind: "AddonReport", cluster: "c", addon: "a", revision: "r", resources: [], observedAt: "2026-01-01T00:00:00Z",
  conditions: Object.entries(s).map(([type, status]) => ({ type, status, reason: "X", message: "" })),
});

describe("stateOfReport", () => {
  it.each([
    [{ Applied: "True", Available: "True", Degraded: "False" }, "Available"],
    [{ Applied: "True", Available: "False", Degraded: "False" }, "Progressing"],
    [{ Applied: "True", Available: "False", Degraded: "True" }, "Degraded"],
    [{ Applied: "False", Available: "False", Degraded: "True" }, "Degraded"],
    [{ Applied: "False", Available: "Unknown", Degraded: "False" }, "Applying"],
  ] as const)("%j → %s", (conds, expected) => {
    expect(stateOfReport(report(conds))).toBe(expected);
  });
});
