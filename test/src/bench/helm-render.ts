/**
 * Benchmark (issue 9: "render time per cluster cold and cached for cert-manager; renders for 100 clusters
 * sharing values (cache hits); render throughput when every cluster's values differ"): the hub's
 * HelmRenderer with the real helm 4 on the real cert-manager chart (CRDs included), no fleet. The
 * comparison printed beside each figure is the cold render: what the cache and de-duplication save.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { HelmRenderer, parseTemplateOutput, type HelmRenderInput } from "@flotilla/hub";
import { ensureBinaries } from "../harness/binaries.js";
import { realChart, REAL_CHARTS } from "../harness/charts.js";
import { makeTempDir, removeDir } from "../harness/tmp.js";
import { percentile } from "./stats.js";

export interface HelmRenderBenchOptions {
  /** Cold renders measured one after another (each by a renderer with an empty cache). */
  coldRuns: number;
  /** Clusters sharing one set of values, rendered at once. */
  sharedClusters: number;
  /** Clusters whose values all differ, rendered at once. */
  distinctClusters: number;
}

const CAPS = { kubeVersion: "v1.35.4", apiVersions: ["v1", "apps/v1", "batch/v1", "policy/v1", "admissionregistration.k8s.io/v1", "apiextensions.k8s.io/v1"] };

export async function helmRenderBench(o: HelmRenderBenchOptions, out: (s: string) => void): Promise<void> {
  const helm = (await ensureBinaries()).helm;
  const chart = await realChart(REAL_CHARTS.certManager);
  const dir = await makeTempDir("bench-helm");
  const renderers: HelmRenderer[] = [];
  const renderer = () => {
    const r = new HelmRenderer({ helm, homeDir: dir });
    renderers.push(r);
    return r;
  };
  const input = (cluster: string, values: Record<string, unknown>): HelmRenderInput => ({
    chartPath: chart.path, chartDigest: chart.digest, releaseName: "cert-manager", namespace: "cert-manager",
    values: { crds: { enabled: true }, ...values }, cluster: { name: cluster, labels: { region: "eu" } }, capabilities: CAPS,
  });
  const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : v >= 1 ? `${v.toFixed(1)} ms` : `${(v * 1000).toFixed(0)} µs`);
  try {
    out(`Helm render (helm ${helm}), cert-manager ${REAL_CHARTS.certManager} with CRDs, concurrency 2:`);
    const cold: number[] = [];
    let objects = 0;
    // the longest the event loop waited during the cold renders: what a render holds up (leader renewals, probes)
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    for (let i = 0; i < o.coldRuns; i++) {
      const t = performance.now();
      objects = (await renderer().render(input("edge-0", {}))).objects.length;
      cold.push(performance.now() - t);
    }
    loop.disable();
    const coldP50 = percentile(cold, 50);
    out(`  cold, per cluster       p50 ${ms(coldP50)}   max ${ms(Math.max(...cold))}   (${o.coldRuns} runs, ${objects} objects; one helm process each)`);

    // the part of a cold render spent on the hub's event loop: reading helm's output
    const { stdout } = await promisify(execFile)(helm, ["template", "--kube-version=v1.35.4", "--include-crds", "--set", "crds.enabled=true", "cert-manager", chart.path], {
      maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: dir, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir },
    });
    const parse: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      parseTemplateOutput(stdout);
      parse.push(performance.now() - t);
    }
    out(`    of which parsing helm's output (${(stdout.length / 1024 / 1024).toFixed(1)} MB of YAML): p50 ${ms(percentile(parse, 50))} of CPU on the hub's thread`);
    out(`    longest event-loop stall during the cold renders: ${ms(loop.max / 1e6)}   (the renderer yields between documents every ~10 ms; one 300 KB CRD still parses in one go; the whole output in one go, as measured above, would stall it that long)`);

    const warm = renderer();
    await warm.render(input("edge-0", {}));
    const cached: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      await warm.render(input(`edge-${i}`, {}));
      cached.push(performance.now() - t);
    }
    const cachedP50 = percentile(cached, 50);
    out(`  cached, per cluster     p50 ${ms(cachedP50)}   p99 ${ms(percentile(cached, 99))}   (1000 clusters; ${(coldP50 / cachedP50).toFixed(0)}× faster than cold; key = sha256 of canonical JSON)`);

    const shared = renderer();
    let t = performance.now();
    await Promise.all(Array.from({ length: o.sharedClusters }, (_, i) => shared.render(input(`edge-${i}`, { replicaCount: 2 }))));
    const sharedWall = performance.now() - t;
    const s = shared.stats();
    out(`  ${o.sharedClusters} clusters, same values: ${s.renders} helm run(s), ${s.joined} joined the run in flight, ${s.cacheHits} cache hits; wall ${ms(sharedWall)}   (rendering each: ~${ms(o.sharedClusters * coldP50 / 2)} at concurrency 2)`);
    const again = performance.now();
    await Promise.all(Array.from({ length: o.sharedClusters }, (_, i) => shared.render(input(`edge-${i}`, { replicaCount: 2 }))));
    out(`    the same ${o.sharedClusters} again (the next reconcile): ${shared.stats().renders - s.renders} helm runs, wall ${ms(performance.now() - again)}`);

    const distinct = renderer();
    t = performance.now();
    await Promise.all(Array.from({ length: o.distinctClusters }, (_, i) => distinct.render(input(`edge-${i}`, { replicaCount: i + 1 }))));
    const wall = performance.now() - t;
    const d = distinct.stats();
    out(`  ${o.distinctClusters} clusters, values all differ: ${d.renders} helm runs in ${ms(wall)} = ${(d.renders / (wall / 1000)).toFixed(1)} renders/s   (one at a time, cold: ${(1000 / coldP50).toFixed(1)} renders/s); cache ${d.cacheEntries} entries, ${(d.cacheBytes / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    for (const r of renderers) await r.close();
    await removeDir(dir);
  }
}
