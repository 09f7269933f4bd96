/**
 * Benchmark (issue: "it plans for 10,000 clusters in well under 50 ms"): the pure rollout planner on
 * generated fleets mid-rollout, Rolling and Canary. The comparison printed beside it is the floor any
 * planner pays: sorting the cluster names once, measured in the same run.
 */
import { planFleetRollout, planRollout, type ClusterView, type FleetRolloutInput, type PlanInput } from "@flotilla/hub";
import { percentile } from "./stats.js";

const NOW = 1_000_000_000;
const R = "addon-new";

/** A fleet mid-rollout: a third on the new revision (most succeeded), some in flight, some unreachable. */
function fleet(n: number): ClusterView[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `cluster-${String(i).padStart(5, "0")}`;
    const labels = { region: ["eu", "us", "ap"][i % 3] ?? "eu", ring: String(i % 10) };
    const reachable = i % 97 !== 0;
    if (i % 3 !== 0) return { name, labels, reachable, failed: false, desiredRevision: "addon-old", desiredSince: 0, appliedRevision: "addon-old", availableSince: 0 };
    const available = i % 30 !== 0;
    return { name, labels, reachable, failed: false, desiredRevision: R, desiredSince: NOW - 120_000, appliedRevision: R, ...(available ? { availableSince: NOW - 90_000 } : {}) };
  });
}

function time(fn: () => unknown, runs: number): number[] {
  for (let i = 0; i < 5; i++) fn(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return samples;
}

export function plannerBench(o: { clusters: number; runs: number }, out: (s: string) => void): void {
  const clusters = fleet(o.clusters);
  const base: Omit<PlanInput, "strategy"> = { revision: R, lastGoodRevision: "addon-old", revisionSince: NOW - 600_000, paused: false, approvals: new Map([[2, NOW - 100_000]]), orderLabel: "ring", clusters, now: NOW };
  const cases: [string, PlanInput][] = [
    ["Rolling 25%", { ...base, strategy: { type: "Rolling", rolling: { maxConcurrency: "25%", minSuccessTime: "60s" } } }],
    ["Canary 4 steps", { ...base, strategy: { type: "Canary", rolling: { maxConcurrency: "10%", minSuccessTime: "60s" }, canary: { steps: [{ clusters: 10 }, { pause: {} }, { clusterSelector: { matchLabels: { region: "eu" } } }, { clusters: "50%" }] } } }],
  ];
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  out(`Rollout planner, ${o.clusters} clusters, ${o.runs} runs each (target: well under 50 ms):`);
  for (const [name, input] of cases) {
    const samples = time(() => planRollout(input), o.runs);
    const d = planRollout(input);
    out(`  ${name.padEnd(16)} p50 ${fmt(percentile(samples, 50))}   p99 ${fmt(percentile(samples, 99))}   (decision: ${d.phase}, start ${d.start.length}, step ${d.step})`);
  }
  // What the controller runs per reconcile: every target grouped by placement, each placement planned
  // with its strategy, the decisions combined.
  const fleetInput: FleetRolloutInput = {
    spec: {
      source: { manifests: [] },
      installStrategy: {
        type: "Placements",
        placements: [
          { name: "eu", clusterSelector: { matchLabels: { region: "eu" } }, rolloutStrategy: { type: "Canary", orderLabel: "ring", rolling: { maxConcurrency: "10%", minSuccessTime: "60s" }, canary: { steps: [{ clusters: 10 }, { pause: {} }, { clusters: "50%" }] } } },
          { name: "rest", clusterSelector: { matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu"] }] }, rolloutStrategy: { type: "Rolling", rolling: { maxConcurrency: "25%", minSuccessTime: "60s" } } },
        ],
      },
    },
    updateRevision: R, lastGoodRevision: "addon-old", revisionSince: NOW - 600_000, approvals: new Map([[2, NOW - 100_000]]), clusters, now: NOW,
  };
  const fleetSamples = time(() => planFleetRollout(fleetInput), o.runs);
  const fd = planFleetRollout(fleetInput);
  out(`  ${"2 placements".padEnd(16)} p50 ${fmt(percentile(fleetSamples, 50))}   p99 ${fmt(percentile(fleetSamples, 99))}   (decision: ${fd.phase}, desired ${fd.desired.size}, step ${fd.step}; grouping + Canary + Rolling)`);
  const floor = time(() => [...clusters].sort((a, b) => (a.name < b.name ? -1 : 1)), o.runs);
  out(`  floor: sorting ${o.clusters} names p50 ${fmt(percentile(floor, 50))}`);
}
