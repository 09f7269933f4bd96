import { Counter, Gauge, type Registry } from "prom-client";
import { isConditionTrue } from "@flotilla/shared";
import type { RolloutPhase } from "../api/types.js";
import type { HelmRenderStats } from "../render/helm/renderer.js";
import type { Caches } from "../session/context.js";
import { ADDON_CLUSTER_STATES, addonClusterState } from "../controllers/placement/summary.js";

const CLUSTER_CONDITIONS = ["Accepted", "Joined", "Available"] as const;
const STATUSES = ["True", "False", "Unknown"] as const;
const ROLLOUT_PHASES: readonly RolloutPhase[] = ["Pending", "Progressing", "Paused", "Succeeded", "Failed", "RollingBack", "RolledBack"];

/**
 * Hub gauges. The fleet gauges are computed from the leader's caches at scrape time, so they cost
 * nothing between scrapes and are absent on a standby.
 */
export function hubMetrics(registry: Registry, caches: () => Caches | undefined, helm?: () => HelmRenderStats) {
  // One hub per registry; a second runHub on the same registry takes the gauges over.
  for (const name of ["flotilla_hub_leader", "flotilla_clusters", "flotilla_addon_clusters", "flotilla_addon_rollout_phase", "flotilla_addon_rollout_stuck"]) registry.removeSingleMetric(name);
  const leader = new Gauge({ name: "flotilla_hub_leader", help: "1 while this hub holds the leader lease", registers: [registry] });
  new Gauge({
    name: "flotilla_clusters",
    help: "Managed clusters by condition and status",
    labelNames: ["condition", "status"],
    registers: [registry],
    collect() {
      this.reset();
      const c = caches();
      if (!c) return;
      const counts = new Map<string, number>();
      for (const mc of c.clusters.list()) {
        for (const type of CLUSTER_CONDITIONS) {
          const cond = mc.status?.conditions?.find((x) => x.type === type);
          const k = `${type}/${cond?.status ?? "Unknown"}`;
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      }
      for (const type of CLUSTER_CONDITIONS) for (const s of STATUSES) this.set({ condition: type, status: s }, counts.get(`${type}/${s}`) ?? 0);
    },
  });
  new Gauge({
    name: "flotilla_addon_clusters",
    help: "Clusters per addon by state (available, progressing, failed, unreachable)",
    labelNames: ["addon", "state"],
    registers: [registry],
    collect() {
      this.reset();
      const c = caches();
      if (!c) return;
      const reachable = new Set(c.clusters.list().filter((mc) => isConditionTrue(mc.status?.conditions, "Available")).map((mc) => mc.metadata?.name));
      const counts = new Map<string, Map<string, number>>();
      for (const cma of c.cmas.list()) counts.set(cma.metadata?.name ?? "", new Map());
      for (const mca of c.mcas.list()) {
        const per = counts.get(mca.metadata?.name ?? "");
        if (!per) continue;
        const state = addonClusterState({ cluster: mca.metadata?.namespace ?? "", reachable: reachable.has(mca.metadata?.namespace), status: mca.status });
        per.set(state, (per.get(state) ?? 0) + 1);
      }
      for (const [addon, per] of counts) for (const s of ADDON_CLUSTER_STATES) this.set({ addon, state: s }, per.get(s) ?? 0);
    },
  });
  new Gauge({
    name: "flotilla_addon_rollout_phase",
    help: "1 for the phase the addon's rollout is in (status.rollout.phase), 0 for the others",
    labelNames: ["addon", "phase"],
    registers: [registry],
    collect() {
      this.reset();
      for (const cma of caches()?.cmas.list() ?? []) {
        const addon = cma.metadata?.name ?? "";
        const phase = cma.status?.rollout?.phase;
        for (const p of ROLLOUT_PHASES) this.set({ addon, phase: p }, p === phase ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "flotilla_addon_rollout_stuck",
    help: "1 while the addon's Stuck condition is True (no progress for progressDeadline)",
    labelNames: ["addon"],
    registers: [registry],
    collect() {
      this.reset();
      for (const cma of caches()?.cmas.list() ?? []) this.set({ addon: cma.metadata?.name ?? "" }, isConditionTrue(cma.status?.conditions, "Stuck") ? 1 : 0);
    },
  });
  if (helm) helmMetrics(registry, helm);
  return { leader };
}

/** The helm renderer's counts, read at scrape time (they live in the renderer, one per hub process). */
function helmMetrics(registry: Registry, stats: () => HelmRenderStats): void {
  new Counter({
    name: "flotilla_hub_helm_renders_total",
    help: "Chart renders asked for, by how they were served: rendered (helm ran), cache_hit, joined (waited for a run in flight), failed (helm ran and failed)",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      const s = stats();
      this.reset();
      this.inc({ result: "rendered" }, s.renders - s.failures);
      this.inc({ result: "failed" }, s.failures);
      this.inc({ result: "cache_hit" }, s.cacheHits);
      this.inc({ result: "joined" }, s.joined);
    },
  });
  new Gauge({
    name: "flotilla_hub_helm_render_cache_bytes",
    help: "Bytes of rendered charts held in the render cache (weighed by helm's output)",
    registers: [registry],
    collect() {
      this.set(stats().cacheBytes);
    },
  });
}
