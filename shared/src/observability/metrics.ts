import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * One registry per process, with process metrics, built in main and passed down. Every series carries
 * `component` and the `labels` given (the agent adds `cluster`, so alerts and dashboards name it).
 */
export function createRegistry(component: string, labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ ...labels, component });
  collectDefaultMetrics({ register: registry, prefix: "flotilla_" });
  return registry;
}

/** Returns the metric registered under `name`, creating it once (several users may share it). */
export function metricOnce<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function reconcileMetrics(registry: Registry) {
  return {
    duration: metricOnce(registry, "flotilla_reconcile_duration_seconds", () => new Histogram({
      name: "flotilla_reconcile_duration_seconds", help: "Time spent in one reconcile, by queue and result",
      labelNames: ["queue", "result"], buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10], registers: [registry],
    })),
    errors: metricOnce(registry, "flotilla_reconcile_errors_total", () => new Counter({
      name: "flotilla_reconcile_errors_total", help: "Reconciles that failed, by queue and error code (Terminal and Invalid are not retried)",
      labelNames: ["queue", "code"], registers: [registry],
    })),
    depth: metricOnce(registry, "flotilla_queue_depth", () => new Gauge({
      name: "flotilla_queue_depth", help: "Keys waiting in a work queue", labelNames: ["queue"], registers: [registry],
    })),
  };
}

export function busMetrics(registry: Registry) {
  return {
    received: metricOnce(registry, "flotilla_bus_messages_received_total", () => new Counter({
      name: "flotilla_bus_messages_received_total", help: "Bus documents received, by kind",
      labelNames: ["kind"], registers: [registry],
    })),
    sent: metricOnce(registry, "flotilla_bus_messages_sent_total", () => new Counter({
      name: "flotilla_bus_messages_sent_total", help: "Bus documents written, by kind",
      labelNames: ["kind"], registers: [registry],
    })),
    invalid: metricOnce(registry, "flotilla_bus_messages_invalid_total", () => new Counter({
      name: "flotilla_bus_messages_invalid_total", help: "Bus documents dropped as malformed, oversized or foreign, by reason",
      labelNames: ["reason"], registers: [registry],
    })),
  };
}
export type BusMetrics = ReturnType<typeof busMetrics>;
