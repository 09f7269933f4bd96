import { describe, expect, it } from "vitest";
import { driftCondition } from "./condition.js";

const changed = { object: "ConfigMap ns/a", drift: { fields: [".data.k"], by: ["kubectl-edit"] } };

describe("driftCondition", () => {
  it.each([
    { name: "nothing", mem: {}, report: false, want: { status: "False", reason: "NoDrift", message: "" } },
    { name: "drift under Correct is not shown until corrected", mem: { drift: [changed] }, report: false, want: { status: "False", reason: "NoDrift", message: "" } },
    { name: "drift under Report", mem: { drift: [changed] }, report: true, want: { status: "True", reason: "DriftDetected", message: "1 object drifted: ConfigMap ns/a: .data.k changed by kubectl-edit (driftPolicy Report: not corrected)" } },
    {
      name: "corrected",
      mem: { corrected: { drifts: [changed], at: Date.UTC(2026, 11, 1), total: 3 } },
      report: false,
      want: { status: "False", reason: "Corrected", message: "3 corrections since the revision was applied; last at 2026-12-01T00:00:00.000Z: 1 object drifted: ConfigMap ns/a: .data.k changed by kubectl-edit" },
    },
    { name: "a refused correction wins", mem: { corrected: { drifts: [changed], at: 0, total: 1 }, correctionFailed: "ConfigMap ns/a: forbidden" }, report: false, want: { status: "True", reason: "CorrectionFailed", message: "drift not corrected: ConfigMap ns/a: forbidden" } },
  ])("$name", ({ mem, report, want }) => {
    expect(driftCondition(mem, report)).toEqual(want);
  });
});
