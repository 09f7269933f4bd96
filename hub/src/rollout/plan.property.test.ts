import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CanaryStep, RolloutStrategy } from "@flotilla/shared";
import { classify, inFlight, type ClusterView } from "./cluster-state.js";
import { planRollout, type PlanInput } from "./plan.js";
import { parseDuration, resolveQuantity } from "./quantity.js";
import { planSteps, rolloutOrder } from "./steps.js";

/**
 * Invariants of the planner over generated fleets (fast-check): whatever the strategy, the cluster
 * states, the approvals and the time, these hold for every decision.
 */
const R = "a-new";
const OLD = "a-old";
const NOW = 100_000_000;

const clusterArb = (i: number): fc.Arbitrary<ClusterView> =>
  fc.record({
    reachable: fc.boolean(),
    desired: fc.constantFrom<string | undefined>(undefined, OLD, R),
    sinceAgo: fc.integer({ min: 0, max: 30 * 60_000 }),
    applied: fc.constantFrom<string | undefined>(undefined, OLD, R),
    availableAgo: fc.option(fc.integer({ min: 0, max: 30 * 60_000 }), { nil: undefined }),
    failed: fc.boolean(),
    blocked: fc.boolean(),
    ring: fc.constantFrom("0", "1", "2"),
  }).map((g) => ({
    name: `c${String(i).padStart(3, "0")}`,
    labels: { ring: g.ring },
    reachable: g.reachable,
    ...(g.desired !== undefined ? { desiredRevision: g.desired, desiredSince: NOW - g.sinceAgo } : {}),
    ...(g.applied !== undefined ? { appliedRevision: g.applied } : {}),
    ...(g.availableAgo !== undefined ? { availableSince: NOW - g.availableAgo } : {}),
    failed: g.failed && g.desired === R,
    ...(g.blocked ? { blocked: true } : {}),
  }));

const quantityArb = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 100 }).map((p) => `${p}%`));
const durationArb = fc.constantFrom("0s", "30s", "60s", "5m", "10m", "1h");
const rollingArb = fc.record({ maxConcurrency: quantityArb, minSuccessTime: durationArb, progressDeadline: durationArb, maxFailures: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("0%", "10%", "50%")) });
const stepArb: fc.Arbitrary<CanaryStep> = fc.oneof(
  quantityArb.map((clusters) => ({ clusters })),
  fc.constantFrom("0", "1", "2").map((ring) => ({ clusterSelector: { matchLabels: { ring } } })),
  fc.option(durationArb, { nil: undefined }).map((duration) => ({ pause: duration === undefined ? {} : { duration } })),
);
const strategyArb: fc.Arbitrary<RolloutStrategy> = fc.oneof(
  fc.constant<RolloutStrategy>({ type: "All" }),
  rollingArb.map((rolling): RolloutStrategy => ({ type: "Rolling", rolling })),
  fc.record({ rolling: rollingArb, steps: fc.array(stepArb, { minLength: 1, maxLength: 5 }), autoRollback: fc.boolean() }).map(
    (g): RolloutStrategy => ({ type: "Canary", rolling: g.rolling, canary: { steps: g.steps, autoRollback: g.autoRollback } }),
  ),
);

const inputArb: fc.Arbitrary<PlanInput> = fc
  .record({
    strategy: strategyArb,
    clusters: fc.integer({ min: 0, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => clusterArb(i)))),
    lastGood: fc.constantFrom<string | undefined>(OLD, undefined),
    failedRevision: fc.constantFrom<string | undefined>(undefined, undefined, undefined, R),
    paused: fc.boolean(),
    approvals: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
    orderLabel: fc.constantFrom<string | undefined>(undefined, "ring"),
  })
  .map((g) => ({
    strategy: g.strategy,
    revision: R,
    ...(g.lastGood ? { lastGoodRevision: g.lastGood } : {}),
    ...(g.failedRevision ? { failedRevision: g.failedRevision } : {}),
    revisionSince: NOW - 20 * 60_000,
    paused: g.paused,
    approvals: new Map(g.approvals.map((step) => [step, NOW - 60_000])),
    ...(g.orderLabel ? { orderLabel: g.orderLabel } : {}),
    clusters: g.clusters,
    now: NOW,
  }));

const RUNS = { numRuns: 400 };

const timingOf = (input: PlanInput) => ({
  minSuccessMs: parseDuration(input.strategy.rolling?.minSuccessTime, "0s"),
  progressDeadlineMs: parseDuration(input.strategy.rolling?.progressDeadline, "10m"),
  now: input.now,
});
const stateOf = (input: PlanInput, c: ClusterView) => classify(c, input.revision, timingOf(input)).state;
const onR = (input: PlanInput) => input.clusters.filter((c) => c.desiredRevision === input.revision).map((c) => c.name).sort();

// CPU-bound (400 generated fleets per property, well under a second each on an idle machine): the timeout only
// keeps a loaded CI machine from failing them; nothing here waits on time.
describe("planRollout properties", { timeout: 60_000 }, () => {
  it("the same inputs always give the same decision, whatever the order the clusters come in", () => {
    fc.assert(
      fc.property(inputArb, fc.infiniteStream(fc.nat()), (input, seeds) => {
        const shuffled = [...input.clusters].map((c) => ({ c, k: seeds.next().value as number })).sort((a, b) => a.k - b.k).map((x) => x.c);
        expect(planRollout({ ...input, clusters: shuffled })).toEqual(planRollout(structuredClone(input)));
      }),
      RUNS,
    );
  });

  it("never starts more clusters than the window has free slots, and only unblocked clusters not on the revision, reachable unless under All", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = planRollout(input);
        const total = input.clusters.length;
        const max = input.strategy.type === "All" ? Math.max(total, 1) : Math.max(1, resolveQuantity(input.strategy.rolling?.maxConcurrency, total, "25%"));
        const busy = input.clusters.filter((c) => c.reachable && inFlight(stateOf(input, c))).length;
        expect(d.start.length).toBeLessThanOrEqual(Math.max(0, max - busy));
        const byName = new Map(input.clusters.map((c) => [c.name, c]));
        for (const name of d.start) {
          if (input.strategy.type !== "All") expect(byName.get(name)?.reachable).toBe(true);
          expect(byName.get(name)?.blocked).not.toBe(true);
          expect(byName.get(name)?.desiredRevision).not.toBe(input.revision);
        }
      }),
      RUNS,
    );
  });

  it("nothing starts while paused, after a failure breach, or once the revision has failed", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = planRollout(input);
        if (input.paused || input.failedRevision === input.revision || d.markFailed || d.phase === "Failed" || d.phase === "RollingBack" || d.phase === "RolledBack") {
          expect(d.start).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it("a failed canary with autoRollback sends back exactly the clusters that took the revision, and tries it no more", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = planRollout(input);
        if (d.markFailed) {
          expect(input.strategy.type).toBe("Canary");
          expect([...d.rollback].sort()).toEqual(onR(input));
        }
        // Once marked failed: those on it go back, and so do reachable clusters on no revision or an older one
        // (a cluster that joins meanwhile gets the last good revision, not nothing).
        if (input.failedRevision === input.revision && input.lastGoodRevision && input.lastGoodRevision !== input.revision) {
          const stragglers = input.clusters.filter((c) => c.reachable && !c.blocked && c.desiredRevision !== input.revision && c.desiredRevision !== input.lastGoodRevision).map((c) => c.name);
          expect([...d.rollback].sort()).toEqual([...onR(input), ...stragglers].sort());
        }
        if (!d.markFailed && input.failedRevision !== input.revision) expect(d.rollback).toEqual([]);
      }),
      RUNS,
    );
  });

  it("a canary starts a cluster of a later step only when every earlier step passed", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const canary = input.strategy.canary;
        if (input.strategy.type !== "Canary" || !canary) return;
        const d = planRollout(input);
        if (d.start.length === 0) return;
        const steps = planSteps(canary.steps, rolloutOrder(input.clusters, input.orderLabel), (x) => parseDuration(x, "0s"));
        const byName = new Map(input.clusters.map((c) => [c.name, c]));
        for (const name of d.start) {
          const first = steps.find((s) => s.kind === "clusters" && s.members.has(name));
          for (const earlier of steps) {
            if (first && earlier.index >= first.index) break;
            if (earlier.kind === "pause") {
              const until = earlier.durationMs;
              expect(input.approvals.has(earlier.index) || until !== undefined).toBe(true);
              continue;
            }
            let succeeded = 0;
            for (const m of earlier.members) {
              const c = byName.get(m)!;
              const st = stateOf(input, c);
              if (st === "Succeeded") succeeded++;
              else expect(!c.reachable && c.desiredRevision !== input.revision).toBe(true);
            }
            if (earlier.members.size > 0) expect(succeeded).toBeGreaterThan(0);
          }
        }
      }),
      RUNS,
    );
  });
});
