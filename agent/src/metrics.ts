import { Counter, Gauge, type Registry } from "prom-client";
import { busMetrics, metricOnce as once, type BusMetrics } from "@flotilla/shared";

/** The agent's own metrics, registered once on the process registry. */
export interface AgentMetrics {
  bus: BusMetrics;
  applyErrors: Counter<"reason">;
  addons: Gauge<"state">;
  busConnected: Gauge;
  pruned: Counter;
  driftCorrections: Counter<"kind">;
}

export function agentMetrics(registry: Registry): AgentMetrics {
  return {
    bus: busMetrics(registry),
    applyErrors: once(registry, "flotilla_agent_apply_errors_total", () => new Counter({
      name: "flotilla_agent_apply_errors_total", help: "Addon applies that failed, by error code (Invalid, Forbidden, Retryable, ...)",
      labelNames: ["reason"], registers: [registry],
    })),
    addons: once(registry, "flotilla_agent_addons", () => new Gauge({
      name: "flotilla_agent_addons", help: "Addons on this cluster by state (Available, Progressing, Degraded, Applying)",
      labelNames: ["state"], registers: [registry],
    })),
    busConnected: once(registry, "flotilla_agent_bus_connected", () => new Gauge({
      name: "flotilla_agent_bus_connected", help: "1 while the agent is connected to NATS", registers: [registry],
    })),
    pruned: once(registry, "flotilla_agent_objects_deleted_total", () => new Counter({
      name: "flotilla_agent_objects_deleted_total", help: "Objects deleted by pruning or uninstall", registers: [registry],
    })),
    driftCorrections: once(registry, "flotilla_agent_drift_corrections_total", () => new Counter({
      name: "flotilla_agent_drift_corrections_total", help: "Applied objects put back after another field manager changed or deleted them (driftPolicy Correct), by kind",
      labelNames: ["kind"], registers: [registry],
    })),
  };
}

/** The state label of an addon in `flotilla_agent_addons`. */
export const ADDON_STATES = ["Available", "Progressing", "Degraded", "Applying"] as const;
export type AddonState = (typeof ADDON_STATES)[number];
