/**
 * `npm run bench [-- --changes 20 --clusters 2 --settle 60 --window 120 --addons 10 --levers --objects 200 --only planner|helm-render|change-latency|agent-idle|bundle-apply]`:
 * the benchmarks of DESIGN §11 on one dev fleet (real processes), each printing its figures beside the
 * target and the comparison it is measured against.
 */
import { parseArgs } from "node:util";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { agentIdle } from "./agent-idle.js";
import { bundleApply } from "./bundle-apply.js";
import { changeLatency } from "./change-latency.js";
import { helmRenderBench } from "./helm-render.js";
import { plannerBench } from "./planner.js";

const { values } = parseArgs({
  options: {
    changes: { type: "string", default: "20" },
    clusters: { type: "string", default: "2" },
    settle: { type: "string", default: "60" },
    window: { type: "string", default: "120" },
    addons: { type: "string", default: "10" },
    levers: { type: "boolean", default: false },
    objects: { type: "string", default: "200" },
    only: { type: "string" },
    "planner-clusters": { type: "string", default: "10000" },
    "helm-cold-runs": { type: "string", default: "5" },
    "helm-shared-clusters": { type: "string", default: "100" },
    "helm-distinct-clusters": { type: "string", default: "30" },
  },
});
const out = (s: string) => process.stdout.write(s + "\n");
const wanted = (name: string) => values.only === undefined || values.only === name;

// benchmarks without a fleet first
if (wanted("planner")) plannerBench({ clusters: Number(values["planner-clusters"]), runs: 50 }, out);
if (wanted("helm-render")) {
  await helmRenderBench({
    coldRuns: Number(values["helm-cold-runs"]), sharedClusters: Number(values["helm-shared-clusters"]), distinctClusters: Number(values["helm-distinct-clusters"]),
  }, out);
}
if (values.only === "planner" || values.only === "helm-render") process.exit(0);

const dir = await makeTempDir("bench");
const t0 = performance.now();
const clusters = Number(values.clusters);
// The agents' resync period (the fleet's default, said here because bundle-apply measures one).
const RESYNC_SECONDS = 10;
const fleet = await Fleet.start({ clusters, dir, readyDelayMs: 0, resyncSeconds: RESYNC_SECONDS });
try {
  out(`fleet of ${clusters} clusters up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const cp of [fleet.hub, ...fleet.spokes.values()]) out(`  control plane ${cp.name}: ${JSON.stringify(cp.timings)}`);
  if (wanted("change-latency")) await changeLatency(fleet, { changes: Number(values.changes) }, out);
  if (wanted("bundle-apply")) await bundleApply(fleet, { objects: Number(values.objects), resyncSeconds: RESYNC_SECONDS }, out);
  if (wanted("agent-idle")) await agentIdle(fleet, {
    addons: Number(values.addons), settleSeconds: Number(values.settle), windowSeconds: Number(values.window), levers: values.levers,
  }, out);
} finally {
  await fleet.stop();
  if (process.env.FLOTILLA_BENCH_KEEP) out(`kept ${dir}`);
  else await removeDir(dir);
}
