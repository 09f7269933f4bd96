import { describe, expect, it } from "vitest";
import type { RolloutStrategy } from "@flotilla/shared";
import type { ClusterView } from "./cluster-state.js";
import { planRollout, type PlanInput } from "./plan.js";

const R = "addon-new";
const OLD = "addon-old";
const NOW = 10_000_000;
const MIN = 60_000;

/** Cluster states by shorthand: on the old revision, just started on R, soaking, succeeded, failed, timed out. */
const old = (name: string, labels: Record<string, string> = {}): ClusterView => ({ name, labels, reachable: true, failed: false, desiredRevision: OLD, desiredSince: 0, appliedRevision: OLD, availableSince: 0 });
const progressing = (name: string, since = NOW - MIN): ClusterView => ({ ...old(name), desiredRevision: R, desiredSince: since });
const soaking = (name: string): ClusterView => ({ ...progressing(name, NOW - 5 * MIN), appliedRevision: R, availableSince: NOW - 10_000 });
const succeeded = (name: string): ClusterView => ({ ...progressing(name, NOW - 5 * MIN), appliedRevision: R, availableSince: NOW - 2 * MIN });
const failed = (name: string): ClusterView => ({ ...progressing(name), failed: true });
const away = (c: ClusterView): ClusterView => ({ ...c, reachable: false });

const rolling = (over: RolloutStrategy["rolling"] = {}): RolloutStrategy => ({ type: "Rolling", rolling: { maxConcurrency: 2, minSuccessTime: "60s", progressDeadline: "10m", maxFailures: 0, ...over } });
const canary = (steps: NonNullable<RolloutStrategy["canary"]>["steps"], over: Partial<NonNullable<RolloutStrategy["canary"]>> = {}): RolloutStrategy => ({ type: "Canary", rolling: { maxConcurrency: 2, minSuccessTime: "60s" }, canary: { steps, ...over } });

const plan = (strategy: RolloutStrategy, clusters: ClusterView[], over: Partial<PlanInput> = {}) =>
  planRollout({ strategy, revision: R, lastGoodRevision: OLD, revisionSince: NOW - 10 * MIN, paused: false, approvals: new Map(), clusters, now: NOW, ...over });

/** c1 … cN (N < 10), or c01 … cNN: names sort as strings. */
const names = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i + 1).padStart(n < 10 ? 1 : 2, "0")}`);

describe("planRollout: All", () => {
  it("starts every cluster at once, an unreachable one too (no window to keep: it applies when it returns)", () => {
    const d = plan({ type: "All" }, [old("c1"), old("c2"), away(old("c3"))]);
    expect({ start: d.start, phase: d.phase, unreachable: d.counts.unreachable }).toEqual({ start: ["c1", "c2", "c3"], phase: "Progressing", unreachable: 1 });
  });

  it("is Succeeded once every reachable cluster is, and says who follows later", () => {
    const d = plan({ type: "All" }, [succeeded("c1"), away(old("c2"))]);
    expect({ phase: d.phase, message: d.message, start: d.start }).toEqual({ phase: "Succeeded", message: "1/2 cluster(s) on addon-new; 1 unreachable cluster(s) follow when they return", start: ["c2"] });
    expect(plan({ type: "All" }, [succeeded("c1"), away(old("c2"))], { paused: true }).start).toEqual([]);
  });
});

describe("planRollout: Rolling", () => {
  it.each<[string, ClusterView[], string[]]>([
    ["fills the window in name order", names(5).map((n) => old(n)), ["c1", "c2"]],
    ["a soaking cluster still holds its slot", [soaking("c1"), old("c2"), old("c3")], ["c2"]],
    ["a succeeded cluster frees its slot", [succeeded("c1"), progressing("c2"), old("c3"), old("c4")], ["c3"]],
    ["no slot free, nothing starts", [progressing("c1"), soaking("c2"), old("c3")], []],
    ["an unreachable cluster holds no slot and is not started", [away(progressing("c1")), away(old("c2")), old("c3"), old("c4")], ["c3", "c4"]],
  ])("%s", (_name, clusters, start) => {
    expect(plan(rolling(), clusters).start).toEqual(start);
  });

  it("takes clusters by the order label, then by name", () => {
    const cs = [old("a", { wave: "2" }), old("b", { wave: "1" }), old("c", { wave: "1" }), old("d")];
    expect(plan(rolling({ maxConcurrency: 3 }), cs, { orderLabel: "wave" }).start).toEqual(["d", "b", "c"]);
  });

  it("resolves percentages against the placement's clusters, rounding up", () => {
    expect(plan(rolling({ maxConcurrency: "25%" }), names(10).map((n) => old(n))).start).toEqual(["c01", "c02", "c03"]);
  });

  it("stops starting and is Failed when failures exceed maxFailures", () => {
    const d = plan(rolling({ maxFailures: 1 }), [failed("c1"), { ...progressing("c2", NOW - 11 * MIN) }, old("c3")]);
    expect({ start: d.start, rollback: d.rollback, phase: d.phase, message: d.message }).toEqual({
      start: [], rollback: [], phase: "Failed", message: "2 cluster(s) failed on addon-new, more than maxFailures 1; no new cluster starts",
    });
  });

  it("tolerates failures up to maxFailures (a timed-out cluster counts, an unreachable one does not)", () => {
    const d = plan(rolling({ maxFailures: 1 }), [failed("c1"), away(progressing("c2", NOW - 11 * MIN)), old("c3")]);
    expect({ start: d.start, failed: d.counts.failed, phase: d.phase }).toEqual({ start: ["c3"], failed: 1, phase: "Progressing" });
  });

  it("looks again when a soak ends or a progress deadline passes, whichever is first", () => {
    expect(plan(rolling(), [soaking("c1"), progressing("c2", NOW - 9 * MIN)]).recheckAfterMs).toBe(50_000);
    expect(plan(rolling(), [progressing("c1", NOW - 9.5 * MIN)]).recheckAfterMs).toBe(30_000);
  });

  it("spec.paused freezes starts but reports progress", () => {
    const d = plan(rolling(), [progressing("c1"), old("c2"), old("c3")], { paused: true });
    expect({ start: d.start, phase: d.phase, message: d.message }).toEqual({
      start: [], phase: "Paused", message: "paused (spec.paused): no new cluster starts; 1/3 cluster(s) updated, 0 succeeded, 1 in flight (max 2)",
    });
  });

  it("is Pending when nothing could start yet", () => {
    const d = plan(rolling(), [away(old("c1"))]);
    expect({ start: d.start, phase: d.phase }).toEqual({ start: [], phase: "Pending" });
  });
});

describe("planRollout: Canary", () => {
  const steps = [{ clusters: 1 }, { pause: {} }, { clusters: "100%" }];

  it("starts only the first step's clusters", () => {
    const d = plan(canary(steps), names(5).map((n) => old(n)));
    expect({ start: d.start, step: d.step, phase: d.phase }).toEqual({ start: ["c1"], step: 1, phase: "Progressing" });
  });

  it("waits at a pause for promote once the step before it succeeded", () => {
    const d = plan(canary(steps), [succeeded("c1"), ...names(5).slice(1).map((n) => old(n))]);
    expect({ start: d.start, step: d.step, phase: d.phase, message: d.message }).toEqual({
      start: [], step: 2, phase: "Paused",
      message: "canary step 2/3: waiting for approval (flotilla rollout promote); 1/5 cluster(s) updated, 1 succeeded, 0 in flight (max 2)",
    });
  });

  it("does not pass a step while its cluster soaks", () => {
    const d = plan(canary(steps), [soaking("c1"), old("c2")]);
    expect({ start: d.start, step: d.step }).toEqual({ start: [], step: 1 });
  });

  it("goes on within the window once promoted", () => {
    const d = plan(canary(steps), [succeeded("c1"), ...names(5).slice(1).map((n) => old(n))], { approvals: new Map([[2, NOW - 1000]]) });
    expect({ start: d.start, step: d.step, phase: d.phase }).toEqual({ start: ["c2", "c3"], step: 3, phase: "Progressing" });
  });

  it("a timed pause counts from when the step before it passed", () => {
    const timed = [{ clusters: 1 }, { pause: { duration: "10m" } }, { clusters: "100%" }];
    const c1 = succeeded("c1"); // succeeded at availableSince + 60 s = NOW - 60 s
    const waiting = plan(canary(timed), [c1, old("c2")]);
    expect({ start: waiting.start, phase: waiting.phase, recheckAfterMs: waiting.recheckAfterMs }).toEqual({ start: [], phase: "Paused", recheckAfterMs: 9 * MIN });
    expect(plan(canary(timed), [c1, old("c2")], { now: NOW + 9 * MIN }).start).toEqual(["c2"]);
  });

  it("a clusterSelector step adds its matches to the set", () => {
    const cs = [succeeded("c1"), old("c2", { ring: "1" }), old("c3"), old("c4", { ring: "1" })];
    const d = plan(canary([{ clusters: 1 }, { clusterSelector: { matchLabels: { ring: "1" } } }, { clusters: "100%" }], { autoRollback: true }), cs);
    expect({ start: d.start, step: d.step }).toEqual({ start: ["c2", "c4"], step: 2 });
  });

  it("after the last step the rest follow rolling", () => {
    const d = plan(canary([{ clusters: 1 }]), [succeeded("c1"), old("c2"), old("c3"), old("c4")]);
    expect({ start: d.start, step: d.step, message: d.message }).toEqual({
      start: ["c2", "c3"], step: 1, message: "canary steps done, rolling: 3/4 cluster(s) updated, 1 succeeded, 2 in flight (max 2)",
    });
  });

  it("a failure in a step rolls every cluster that took the revision back, and marks it failed", () => {
    const d = plan(canary([{ clusters: 2 }, { pause: {} }, { clusters: "100%" }]), [failed("c1"), succeeded("c2"), old("c3")]);
    expect({ start: d.start, rollback: d.rollback, markFailed: d.markFailed, phase: d.phase, message: d.message }).toEqual({
      start: [], rollback: ["c1", "c2"], markFailed: true, phase: "RollingBack",
      message: "canary step 1/3: 1 cluster(s) failed on addon-new; rolling 2 cluster(s) back to addon-old",
    });
  });

  it("without autoRollback a failed canary stops and stays", () => {
    const d = plan(canary(steps, { autoRollback: false }), [failed("c1"), old("c2")]);
    expect({ rollback: d.rollback, markFailed: d.markFailed, phase: d.phase }).toEqual({ rollback: [], markFailed: false, phase: "Failed" });
  });

  it("a first install that fails has nothing to go back to", () => {
    const d = plan(canary(steps), [failed("c1"), old("c2")], { lastGoodRevision: undefined });
    expect({ rollback: d.rollback, markFailed: d.markFailed, phase: d.phase, message: d.message }).toEqual({
      rollback: [], markFailed: false, phase: "Failed", message: "canary step 1/3: 1 cluster(s) failed on addon-new; no earlier revision to roll back to",
    });
  });

  it("a failed revision is not tried again: what still has it goes back, nothing starts, until all are back", () => {
    const back = { ...old("c1"), desiredSince: NOW - 1000, availableSince: undefined };
    const rollingBack = plan(canary(steps), [back, failed("c2"), old("c3")], { failedRevision: R });
    expect({ start: rollingBack.start, rollback: rollingBack.rollback, phase: rollingBack.phase }).toEqual({ start: [], rollback: ["c2"], phase: "RollingBack" });
    const done = plan(canary(steps), [old("c1"), old("c2"), old("c3")], { failedRevision: R });
    expect({ start: done.start, rollback: done.rollback, phase: done.phase, message: done.message }).toEqual({
      start: [], rollback: [], phase: "RolledBack", message: "addon-new failed; every cluster is back on addon-old; change the spec to try again",
    });
  });

  it("an unreachable canary cluster that never started is skipped; the step needs one success", () => {
    const cs = [away(old("c1")), old("c2"), old("c3")];
    expect(plan(canary([{ clusters: 2 }, { pause: {} }]), cs).start).toEqual(["c2"]);
    expect(plan(canary([{ clusters: 2 }, { pause: {} }]), [away(old("c1")), succeeded("c2"), old("c3")]).phase).toBe("Paused");
  });
});
