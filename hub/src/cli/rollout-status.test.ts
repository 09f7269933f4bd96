import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOn, ClusterManagementAddOnStatus, RolloutPhase } from "@flotilla/shared";
import type { PlacementProgress, StepCounts } from "../rollout/progress.js";
import { failureReport, progressBar, renderRolloutStatus, statusExitCode, watchExitCode } from "./rollout-status.js";

const counts = (members: number, succeeded = 0, inFlight = 0, failed = 0, unreachable = 0): StepCounts => ({ members, succeeded, inFlight, failed, unreachable });
const T = "2026-01-01T00:00:00Z";

const cma = (status: ClusterManagementAddOnStatus, generation = 4): ClusterManagementAddOn => ({ metadata: { name: "metrics", generation }, spec: { source: { manifests: [] } }, status: { observedGeneration: 4, ...status } });

describe("progressBar", () => {
  it.each<[StepCounts, string]>([
    [counts(0), "[----------]"],
    [counts(4, 4), "[##########]"],
    [counts(4, 1, 1, 1), "[###~~xxx--]"], // boundaries round: 2.5, 5, 7.5
    [counts(3, 1), "[###-------]"],
    [counts(10, 0, 0, 10), "[xxxxxxxxxx]"],
  ])("%j → %s", (c, want) => expect(progressBar(c, 10)).toBe(want));

  it("colours only when asked", () => {
    expect(progressBar(counts(2, 1), 4, true)).toBe("[\x1b[32m##\x1b[0m--]");
  });
});

describe("renderRolloutStatus", () => {
  const canary: PlacementProgress = {
    name: "prod",
    strategy: { type: "Canary", orderLabel: "wave", rolling: { maxConcurrency: 2 }, canary: { steps: [] } },
    steps: [
      { kind: "clusters", index: 1, what: "clusters 1", current: false, counts: counts(1, 1) },
      { kind: "pause", index: 2, current: false, state: { kind: "approved", at: "2026-01-01T00:05:00Z" } },
      { kind: "clusters", index: 3, what: "selector ring=1", current: false, counts: counts(3, 1, 1, 0, 1) },
      { kind: "pause", index: 4, duration: "10m", current: true, state: { kind: "waitsUntil", until: "2026-01-01T00:19:00.000Z" } },
      { kind: "pause", index: 5, current: false, state: { kind: "ahead" } },
    ],
    rest: counts(2),
  };
  const rolling: PlacementProgress = { name: "dev", strategy: { type: "Rolling" }, steps: [], rest: counts(4, 2, 2) };

  it("shows the revision, phase, each step with its bar or pause state, the rolling tail, the summary and a Stuck condition", () => {
    const status: ClusterManagementAddOnStatus = {
      updateRevision: "metrics-new",
      currentRevision: "metrics-old",
      rollout: { phase: "Paused", reason: "PauseDuration", step: 4, message: "canary step 4/5: pausing until 2026-01-01T00:19:00.000Z" },
      summary: { desired: 9, updated: 5, applied: 4, available: 9, progressing: 1, failed: 0, unreachable: 1 },
      conditions: [{ type: "Stuck", status: "True", reason: "ProgressDeadlineExceeded", message: "p2 made no progress for 10m", lastTransitionTime: T }],
    };
    expect(renderRolloutStatus(cma(status), [canary, rolling], { color: false, barWidth: 10 })).toBe(
      [
        "clustermanagementaddon/metrics",
        "revision:  metrics-new (last good: metrics-old)",
        "phase:     Paused at step 4 (PauseDuration)",
        "message:   canary step 4/5: pausing until 2026-01-01T00:19:00.000Z",
        "placement prod: Canary, 5 step(s), ordered by label wave, autoRollback on; then rolling: maxConcurrency 2, maxFailures 0",
        "    1  clusters 1       [##########] 1/1 succeeded, 0 in flight, 0 failed",
        "    2  pause            approved at 2026-01-01T00:05:00Z",
        "    3  selector ring=1  [###~~~~---] 1/3 succeeded, 1 in flight, 0 failed, 1 unreachable",
        "  > 4  pause 10m        waits until 2026-01-01T00:19:00.000Z",
        "    5  pause            waits for promote",
        "       then rolling     [----------] 0/2 succeeded, 0 in flight, 0 failed",
        "placement dev: Rolling, maxConcurrency 25%, maxFailures 0",
        "    clusters  [#####~~~~~] 2/4 succeeded, 2 in flight, 0 failed",
        "summary:   desired 9, updated 5, applied 4, available 9, progressing 1, failed 0, unreachable 1",
        "Stuck:     True (ProgressDeadlineExceeded): p2 made no progress for 10m",
        "",
      ].join("\n"),
    );
  });

  it("says how to promote the pause that waits, and that a status is stale", () => {
    const waiting: PlacementProgress = { ...canary, steps: [{ kind: "pause", index: 1, current: true, state: { kind: "waitingForPromote" } }], rest: counts(0) };
    const out = renderRolloutStatus(cma({ updateRevision: "metrics-new", rollout: { phase: "Paused", reason: "WaitingForApproval", step: 1 } }, 5), [waiting], { color: false });
    expect(out).toContain("  > 1  pause  waiting for promote (flotilla rollout promote metrics)\n");
    expect(out).toContain("stale:     the status is of generation 4; the hub has not acted on generation 5 yet\n");
    expect(out).not.toMatch(/^ +then rolling +\[/m);
  });

  it("marks no current step once the rollout has ended, and colours on a TTY", () => {
    const done = renderRolloutStatus(cma({ updateRevision: "r", currentRevision: "r", rollout: { phase: "Succeeded", step: 4 } }), [canary], { color: false });
    expect(done).toContain("revision:  r\n");
    expect(done).not.toMatch(/^ {2}>/m);
    expect(renderRolloutStatus(cma({ rollout: { phase: "Failed" } }), [], { color: true })).toContain("phase:     \x1b[31mFailed\x1b[0m");
  });
});

describe("exit codes", () => {
  it.each<[RolloutPhase | undefined, number, number | undefined]>([
    ["Succeeded", 0, 0],
    ["Failed", 1, 1],
    ["RolledBack", 1, 1],
    ["RollingBack", 1, undefined],
    ["Progressing", 3, undefined],
    ["Paused", 3, undefined],
    ["Pending", 3, undefined],
    [undefined, 3, undefined],
  ])("%s: once %i, --watch %s", (phase, once, watching) => {
    const c = cma(phase ? { rollout: { phase } } : {});
    expect(statusExitCode(c)).toBe(once);
    expect(watchExitCode(c)).toBe(watching);
  });

  it("a stale status has not ended, whatever its phase says", () => {
    const c = cma({ rollout: { phase: "Succeeded" } }, 5);
    expect(statusExitCode(c)).toBe(3);
    expect(watchExitCode(c)).toBeUndefined();
  });
});

describe("failureReport", () => {
  it("gives the message and the Degraded reason, or else Ready's", () => {
    const cond = (type: string, status: "True" | "False", reason: string, message: string) => ({ type, status, reason, message, lastTransitionTime: T });
    const rollout = { phase: "RolledBack" as const, message: "metrics-new failed; every cluster is back on metrics-old" };
    expect(failureReport(cma({ updateRevision: "metrics-new", rollout, conditions: [cond("Ready", "False", "RolledBack", "x"), cond("Degraded", "True", "CanaryFailed", "p1 failed")] }))).toBe(
      "rollout of metrics-new RolledBack: metrics-new failed; every cluster is back on metrics-old\nDegraded=True (CanaryFailed): p1 failed\n",
    );
    expect(failureReport(cma({ updateRevision: "metrics-new", rollout: { phase: "Failed" }, conditions: [cond("Ready", "False", "RolloutFailed", "2 failed")] }))).toBe(
      "rollout of metrics-new Failed\nReady=False (RolloutFailed): 2 failed\n",
    );
  });
});
