import { describe, expect, it } from "vitest";
import type { ClusterManagementAddOn, RolloutStatus } from "@flotilla/shared";
import { NotAPauseStepError, NothingToPromoteError, pauseSteps, promotionFor } from "./promotion.js";

const cma = (rollout: RolloutStatus | undefined, extra: { generation?: number; observed?: number; revision?: string } = {}): ClusterManagementAddOn => ({
  metadata: { name: "m", generation: extra.generation ?? 2 },
  spec: {
    source: { manifests: [] },
    installStrategy: {
      type: "Placements",
      placements: [
        { name: "canary", clusterSelector: {}, rolloutStrategy: { type: "Canary", canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: "50%" }, { pause: { duration: "10m" } }] } } },
        { name: "rest", clusterSelector: {}, rolloutStrategy: { type: "Rolling" } },
      ],
    },
  },
  status: { observedGeneration: extra.observed ?? 2, ...(extra.revision === "" ? {} : { updateRevision: extra.revision ?? "m-abc" }), ...(rollout ? { rollout } : {}) },
});

describe("pauseSteps", () => {
  it("lists the pause steps of the Canary placements only", () => {
    expect(pauseSteps(cma(undefined).spec)).toEqual([2, 4]);
    expect(pauseSteps({ source: { manifests: [] } })).toEqual([]);
  });
});

describe("promotionFor", () => {
  it("approves the step the rollout waits at for approval", () => {
    expect(promotionFor(cma({ phase: "Paused", reason: "WaitingForApproval", step: 2 }))).toEqual({ revision: "m-abc", step: 2 });
  });

  it.each<[string, RolloutStatus | undefined, RegExp]>([
    ["progressing", { phase: "Progressing", reason: "ClustersInFlight", step: 1, message: "canary step 1/4: 0/1 updated" }, /waits for no approval; the rollout is Progressing \(ClustersInFlight\): canary step 1\/4: 0\/1 updated/],
    ["paused by spec", { phase: "Paused", reason: "SpecPaused", step: 3, message: "paused (spec.paused)" }, /the rollout is Paused \(SpecPaused\): paused/],
    ["a timed pause", { phase: "Paused", reason: "PauseDuration", step: 4 }, /the rollout is Paused \(PauseDuration\)/],
    ["succeeded", { phase: "Succeeded", reason: "AllClustersUpdated", step: 4 }, /the rollout is Succeeded/],
    ["no status yet", undefined, /the rollout is not started/],
  ])("refuses when nothing waits (%s), saying what the rollout does", (_name, rollout, message) => {
    const attempt = () => promotionFor(cma(rollout));
    expect(attempt).toThrow(NothingToPromoteError);
    expect(attempt).toThrow(message);
  });

  it("refuses a stale status: the hub has not acted on the latest spec", () => {
    expect(() => promotionFor(cma({ phase: "Paused", reason: "WaitingForApproval", step: 2 }, { generation: 3, observed: 2 }))).toThrow(/has not acted on generation 3 .*generation 2/);
  });

  it("refuses when there is no update revision", () => {
    expect(() => promotionFor(cma(undefined, { revision: "" }), 2)).toThrow(/has no update revision yet/);
  });

  it("--step approves that pause step of the update revision, waiting or not", () => {
    expect(promotionFor(cma({ phase: "Progressing", step: 1 }), 4)).toEqual({ revision: "m-abc", step: 4 });
  });

  it("--step refuses a step that is not a pause, naming the pause steps", () => {
    const attempt = () => promotionFor(cma({ phase: "Paused", reason: "WaitingForApproval", step: 2 }), 3);
    expect(attempt).toThrow(NotAPauseStepError);
    expect(attempt).toThrow("step 3 is not a pause step of clustermanagementaddon/m: its pause steps are 2, 4");
  });
});
