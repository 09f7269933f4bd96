/**
 * Benchmark (DESIGN §11, first target): time from a CMA change to every MCA Available on the new
 * revision, on the dev fleet (real processes). Prints control-plane start times too.
 *   npm run bench [-- --changes 20 --clusters 2]
 * Target: p50 < 1 s. The comparison printed beside it is the floor: the time for the hub's API server
 * to take one trivial status write (what any change costs at the least).
 */
import type { Fleet } from "../fleet/fleet.js";
import { demoAddon, Hub } from "../e2e/support.js";
import { percentile } from "./stats.js";

export async function changeLatency(fleet: Fleet, o: { changes: number }, out: (s: string) => void): Promise<void> {
  const hub = new Hub(fleet.hubKubeConfig);
  const clusters = fleet.clusterNames();
  await hub.createCma(demoAddon("bench"));
  for (const c of clusters) await hub.waitAvailable(c, "bench", 120_000);

  const samples: number[] = [];
  for (let i = 0; i < o.changes; i++) {
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
  out(`CMA change → ${clusters.length} MCAs Available on the new revision, ${o.changes} changes:`);
  out(`  p50 ${fmt(percentile(samples, 50))}   p90 ${fmt(percentile(samples, 90))}   max ${fmt(Math.max(...samples))}   (target p50 < 1000 ms)`);
  out(`  floor: one hub API write p50 ${fmt(percentile(floor, 50))}`);
  out(`  samples (ms): ${samples.map((x) => x.toFixed(0)).join(" ")}`);
}
