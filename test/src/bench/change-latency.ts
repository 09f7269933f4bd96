/**
 * Benchmark (DESIGN §11, first target): time from a CMA change to every MCA Available on the new
 * revision, on the dev fleet (real processes). Prints control-plane start times too.
 *   npm run bench -w @flotilla/test [-- --changes 20 --clusters 2]
 * Target: p50 < 1 s. The comparison printed beside it is the floor: the time for the hub's API server
 * to take one trivial status write (what any change costs at the least).
 */
import { parseArgs } from "node:util";
import { Fleet } from "../fleet/fleet.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { demoAddon, Hub } from "../e2e/support.js";
import { percentile } from "./stats.js";

const { values } = parseArgs({ options: { changes: { type: "string", default: "20" }, clusters: { type: "string", default: "2" } } });
const changes = Number(values.changes);
const clusterCount = Number(values.clusters);
const out = (s: string) => process.stdout.write(s + "\n");

const dir = await makeTempDir("bench");
const t0 = performance.now();
const fleet = await Fleet.start({ clusters: clusterCount, dir, readyDelayMs: 0 });
try {
  out(`fleet of ${clusterCount} clusters up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const cp of [fleet.hub, ...fleet.spokes.values()]) out(`  control plane ${cp.name}: ${JSON.stringify(cp.timings)}`);
  const hub = new Hub(fleet.hubKubeConfig);
  const clusters = fleet.clusterNames();
  await hub.createCma(demoAddon("bench"));
  for (const c of clusters) await hub.waitAvailable(c, "bench", 120_000);

  const samples: number[] = [];
  for (let i = 0; i < changes; i++) {
    const before = (await hub.getCma("bench"))?.status?.updateRevision;
    const start = performance.now();
    await hub.patchCma("bench", { spec: { values: { greeting: `change-${i}` } } });
    for (;;) {
      const cma = await hub.getCma("bench");
      const rev = cma?.status?.updateRevision;
      if (rev && rev !== before) {
        const mcas = await Promise.all(clusters.map((c) => hub.getMca(c, "bench")));
        const done = mcas.every((m) => m?.status?.appliedRevision === rev && m.status.conditions?.some((c) => c.type === "Available" && c.status === "True"));
        if (done) break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    samples.push(performance.now() - start);
  }
  // floor: one round trip of a trivial write to the hub API server, measured the same way
  const floor: number[] = [];
  for (let i = 0; i < 10; i++) {
    const s = performance.now();
    await hub.patchCma("bench", { metadata: { annotations: { "bench.flotilla.dev/i": String(i) } } });
    floor.push(performance.now() - s);
  }
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  out(`CMA change → ${clusters.length} MCAs Available on the new revision, ${changes} changes:`);
  out(`  p50 ${fmt(percentile(samples, 50))}   p90 ${fmt(percentile(samples, 90))}   max ${fmt(Math.max(...samples))}   (target p50 < 1000 ms)`);
  out(`  floor: one hub API write p50 ${fmt(percentile(floor, 50))}`);
  out(`  samples (ms): ${samples.map((x) => x.toFixed(0)).join(" ")}`);
} finally {
  await fleet.stop();
  if (process.env.FLOTILLA_BENCH_KEEP) out(`kept ${dir}`); else await removeDir(dir);
}
