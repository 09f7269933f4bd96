import { describe, expect, it } from "vitest";
import type { AddOnRevision, ClusterManagementAddOn, Condition, ManagedCluster, ManagedClusterAddOn, RolloutStatus } from "@flotilla/shared";
import { addonView, type AddonInput } from "./addon.js";

const T0 = "2026-01-01T00:00:00Z";
const NOW = new Date("2026-01-01T00:05:00Z");
const R = "m-new";
const cond = (type: string, status: "True" | "False" | "Unknown"): Condition => ({ type, status, reason: "R", message: "", lastTransitionTime: T0 });
const cluster = (name: string): ManagedCluster => ({ metadata: { name, labels: { env: "prod" } }, spec: { hubAcceptsClient: true }, status: { conditions: [cond("Available", "True")] } });
const onR = (ns: string): ManagedClusterAddOn => ({ metadata: { name: "m", namespace: ns }, spec: {}, status: { desiredRevision: R, desiredRevisionTime: T0, appliedRevision: R, observedRevision: R, conditions: [cond("Available", "True")] } });
const onOld = (ns: string): ManagedClusterAddOn => ({ metadata: { name: "m", namespace: ns }, spec: {}, status: { desiredRevision: "m-old", appliedRevision: "m-old", conditions: [cond("Available", "True")] } });
const rev = (n: number, name: string): AddOnRevision => ({ metadata: { name, creationTimestamp: T0 as unknown as Date, annotations: { "kubernetes.io/change-cause": `cause ${n}` } }, spec: { addon: "m", revision: n, source: { manifests: [] } } });

const canary = (rollout: RolloutStatus, paused = false): ClusterManagementAddOn => ({
  metadata: { name: "m", generation: 2 },
  spec: {
    paused,
    source: { manifests: [] },
    installStrategy: {
      type: "Placements",
      placements: [{ name: "prod", clusterSelector: { matchLabels: { env: "prod" } }, rolloutStrategy: { type: "Canary", canary: { steps: [{ clusters: 1 }, { pause: {} }, { clusters: "100%" }] } } }],
    },
  },
  status: { observedGeneration: 2, updateRevision: R, currentRevision: "m-old", rollout, summary: { desired: 3, updated: 1, available: 3, failed: 0 } },
});

const input = (addon: ClusterManagementAddOn | undefined): AddonInput => ({
  name: "m",
  addon,
  mcas: [onR("c1"), onOld("c2"), onOld("c3")],
  clusters: [cluster("c1"), cluster("c2"), cluster("c3")],
  revisions: [rev(1, "m-old"), rev(2, R)],
  now: NOW,
  problems: [],
  loading: [],
});

describe("addonView", () => {
  it("draws a canary waiting for approval step by step, with each cluster and the buttons it allows", () => {
    const v = addonView(input(canary({ phase: "Paused", reason: "WaitingForApproval", step: 2, message: "canary 1/1 available; waiting for promote" })));
    expect(v).toMatchObject({ found: true, phase: "Paused", tone: "warn", step: 2, updateRevision: R, currentRevision: "m-old", stale: false });
    const steps = v.placements[0]?.steps.map((s) => [s.index, s.what, s.state, s.tone, s.current]);
    expect(steps).toEqual([
      [1, "clusters 1", "1/1 succeeded, 0 in flight, 0 failed", "ok", false],
      [2, "pause", "waiting for promote (the Promote button)", "warn", true],
      [3, "clusters 100%", "1/3 succeeded, 0 in flight, 0 failed", "idle", false],
    ]);
    expect(v.placements[0]?.steps[0]?.bar).toEqual([{ kind: "succeeded", percent: 100 }]);
    expect(v.clusters.map((c) => [c.name, c.label, c.tone, c.desiredRevision])).toEqual([
      ["c1", "succeeded", "ok", R],
      ["c2", "waiting", "idle", "m-old"],
      ["c3", "waiting", "idle", "m-old"],
    ]);
    expect(v.revisions.map((r) => [r.revision, r.outcome, r.changeCause])).toEqual([
      [2, "rolling out (Paused)", "cause 2"],
      [1, "last good", "cause 1"],
    ]);
    expect(v.actions.promote).toMatchObject({ enabled: true, step: 2 });
    expect(v.actions.pause.enabled).toBe(true);
    expect(v.actions.resume.enabled).toBe(false);
    // as `flotilla rollout undo`: the one before the last good revision (here none); the history rows roll back to any
    expect(v.actions.undo).toMatchObject({ enabled: false, note: "no earlier revision to go back to" });
  });

  it.each([
    ["progressing: nothing to promote, says why", canary({ phase: "Progressing", step: 1 }), { promote: false, pause: true, resume: false }],
    ["paused by the user: resume instead of pause", canary({ phase: "Paused", reason: "Paused", step: 1 }, true), { promote: false, pause: false, resume: true }],
    ["not there: nothing to do", undefined, { promote: false, pause: false, resume: false }],
  ])("%s", (_n, cma, want) => {
    const v = addonView(input(cma));
    expect({ promote: v.actions.promote.enabled, pause: v.actions.pause.enabled, resume: v.actions.resume.enabled }).toEqual(want);
    if (!want.promote) expect(v.actions.promote.note).not.toBe("");
  });

  it("marks no step current once the rollout has ended", () => {
    const v = addonView(input(canary({ phase: "Succeeded", step: 3 })));
    expect(v.placements[0]?.steps.some((s) => s.current)).toBe(false);
  });
});
