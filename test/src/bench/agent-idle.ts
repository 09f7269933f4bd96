/**
 * Benchmark (DESIGN §11, "agent idle: < 80 MiB RSS, < 1% of a core"): an agent with one addon applied
 * and nothing changing, on the dev fleet (real processes). Measured twice in the same run, through the
 * lean entry (`flotilla-agent`, what the agent image runs) and through the one CLI (`flotilla agent`),
 * which is the comparison printed beside the target.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Fleet } from "../fleet/fleet.js";
import { demoAddon, Hub } from "../e2e/support.js";
import { sampleProcess, type ProcSample } from "./proc-stat.js";

export interface AgentIdleOptions {
  /** Seconds after the agent starts before measuring (start-up work and GC settle). */
  settleSeconds: number;
  /** Seconds over which CPU is measured. */
  windowSeconds: number;
}

interface Idle {
  rssMiB: number;
  cpuPercent: number;
}

async function measure(fleet: Fleet, hub: Hub, cluster: string, via: "lean" | "cli", o: AgentIdleOptions): Promise<Idle> {
  await fleet.stopAgent(cluster);
  const agent = await fleet.startAgent(cluster, via);
  await hub.waitAvailable(cluster, "idle", 120_000);
  await sleep(o.settleSeconds * 1000);
  const a: ProcSample = await sampleProcess(agent.proc.pid);
  await sleep(o.windowSeconds * 1000);
  const b: ProcSample = await sampleProcess(agent.proc.pid);
  return { rssMiB: b.rssBytes / 2 ** 20, cpuPercent: ((b.cpuSeconds - a.cpuSeconds) / o.windowSeconds) * 100 };
}

export async function agentIdle(fleet: Fleet, o: AgentIdleOptions, out: (s: string) => void): Promise<void> {
  const hub = new Hub(fleet.hubKubeConfig);
  const [cluster] = fleet.clusterNames();
  if (!cluster) throw new Error("agent-idle needs a fleet with at least one cluster");
  await hub.createCma(demoAddon("idle"));
  const results: [string, Idle][] = [];
  for (const via of ["cli", "lean"] as const) results.push([via === "lean" ? "flotilla-agent (lean entry)" : "flotilla agent (through the CLI)", await measure(fleet, hub, cluster, via, o)]);
  out(`Agent idle, one addon applied, ${o.settleSeconds} s settle, CPU over ${o.windowSeconds} s (target < 80 MiB RSS, < 1% of a core):`);
  for (const [name, r] of results) out(`  ${name.padEnd(34)} RSS ${r.rssMiB.toFixed(1)} MiB   CPU ${r.cpuPercent.toFixed(2)} %`);
}
