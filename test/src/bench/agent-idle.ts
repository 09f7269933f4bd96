/**
 * Benchmark (DESIGN §11, "agent idle: < 80 MiB RSS, < 1% of a core"): an agent with ten addons applied
 * (copies of the demo addon: a Namespace, a ConfigMap and a Deployment each) and nothing changing, on
 * the dev fleet (real processes), with the agent's own defaults (resync 30 s, heartbeat 10 s), so the
 * window holds several resyncs (each re-applies all 30 objects and re-sends the reports) and heartbeats.
 * Measured in the same run: the lean entry as it was (agent/dist loaded module by module) and the bin
 * as the image runs it (the bundle, with the Node flags of the bin's first line); with `levers`, also
 * each lever alone. RSS is sampled every few seconds over the window; the highest sample is the figure.
 * The start-up peak (every second from start through the settle time) is printed beside it: V8 gives
 * back what start-up took only at its first full collection, some 30 s in, so a settle of 60 s keeps
 * that out of the idle figure without hiding it.
 */
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import type { Fleet, FleetProcess } from "../fleet/fleet.js";
import { agentEntryPath, agentNodeFlags } from "../fleet/cli-path.js";
import { demoAddon, Hub } from "../e2e/support.js";
import { sampleProcess } from "./proc-stat.js";
import { percentile } from "./stats.js";

export interface AgentIdleOptions {
  /** Addons applied (copies of the demo addon). */
  addons: number;
  /** Seconds after every addon is Available again before measuring (start-up work and GC settle). */
  settleSeconds: number;
  /** Seconds over which CPU is measured and RSS sampled. */
  windowSeconds: number;
  /** Also measure each lever on its own (bundle without flags, flags without bundle). */
  levers: boolean;
}

export const IDLE_TARGET = { rssMiB: 80, cpuPercent: 1 } as const;
const RSS_SAMPLE_MS = 5_000;
/** Resync and heartbeat as the agent runs by default (the fleet's are shorter, for tests). */
const AGENT_DEFAULTS = ["--resync", "30", "--heartbeat", "10"];

interface Idle {
  /** The highest RSS from start through the settle time (start-up work, before V8 gives memory back). */
  startPeakMiB: number;
  rssMaxMiB: number;
  rssMedianMiB: number;
  cpuPercent: number;
}

interface Variant {
  name: string;
  node: string[];
}

function variants(levers: boolean): Variant[] {
  const unbundled = fileURLToPath(new URL("./agent-unbundled.js", import.meta.url));
  const bin = agentEntryPath();
  const flags = agentNodeFlags(bin);
  const list: Variant[] = [{ name: "before: lean entry, dist/ unbundled", node: [unbundled] }];
  if (levers) {
    list.push({ name: `lever: dist/ unbundled + ${flags.join(" ") || "(no flags)"}`, node: [...flags, unbundled] });
    list.push({ name: "lever: bundle, no Node flags", node: [bin] });
  }
  list.push({ name: `now: bin (bundle + ${flags.join(" ") || "no flags"})`, node: [...flags, bin] });
  return list;
}

async function measure(fleet: Fleet, hub: Hub, cluster: string, addons: string[], v: Variant, o: AgentIdleOptions): Promise<Idle> {
  await fleet.stopAgent(cluster);
  const agent: FleetProcess = await fleet.startAgent(cluster, { node: v.node, args: AGENT_DEFAULTS });
  // a fresh agent re-reads, re-applies and reports every addon; wait for all of it, then let it settle
  const pid = agent.proc.pid;
  const startRss: number[] = [];
  const sampling = (async () => {
    for (const end = performance.now() + o.settleSeconds * 1000; performance.now() < end; await sleep(1000)) startRss.push((await sampleProcess(pid)).rssBytes);
  })();
  for (const a of addons) await hub.waitAvailable(cluster, a, 120_000);
  await sleep(o.settleSeconds * 1000);
  await sampling;
  const first = await sampleProcess(pid);
  const rss: number[] = [first.rssBytes];
  const end = performance.now() + o.windowSeconds * 1000;
  while (performance.now() < end) {
    await sleep(Math.min(RSS_SAMPLE_MS, Math.max(0, end - performance.now())));
    rss.push((await sampleProcess(pid)).rssBytes);
  }
  const last = await sampleProcess(pid);
  rss.push(last.rssBytes);
  const mib = rss.map((b) => b / 2 ** 20);
  return { startPeakMiB: Math.max(...startRss) / 2 ** 20, rssMaxMiB: Math.max(...mib), rssMedianMiB: percentile(mib, 50), cpuPercent: ((last.cpuSeconds - first.cpuSeconds) / o.windowSeconds) * 100 };
}

export async function agentIdle(fleet: Fleet, o: AgentIdleOptions, out: (s: string) => void): Promise<void> {
  const hub = new Hub(fleet.hubKubeConfig);
  const [cluster] = fleet.clusterNames();
  if (!cluster) throw new Error("agent-idle needs a fleet with at least one cluster");
  const addons = Array.from({ length: o.addons }, (_, i) => `idle-${String(i + 1).padStart(2, "0")}`);
  for (const a of addons) await hub.createCma(demoAddon(a));
  for (const a of addons) await hub.waitAvailable(cluster, a, 120_000);
  const results: [string, Idle][] = [];
  for (const v of variants(o.levers)) results.push([v.name, await measure(fleet, hub, cluster, addons, v, o)]);
  const t = IDLE_TARGET;
  out(`Agent idle, ${o.addons} addons applied, resync 30 s, heartbeat 10 s; ${o.settleSeconds} s settle, then CPU over ${o.windowSeconds} s and RSS every ${RSS_SAMPLE_MS / 1000} s (target < ${t.rssMiB} MiB RSS, < ${t.cpuPercent}% of a core):`);
  for (const [name, r] of results) {
    const ok = r.rssMaxMiB < t.rssMiB && r.cpuPercent < t.cpuPercent ? "meets target" : "misses target";
    out(`  ${name.padEnd(46)} RSS max ${r.rssMaxMiB.toFixed(1)} MiB (median ${r.rssMedianMiB.toFixed(1)})   CPU ${r.cpuPercent.toFixed(2)} %   ${ok}   (start-up peak ${r.startPeakMiB.toFixed(1)} MiB)`);
  }
}
