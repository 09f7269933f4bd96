import type { Gauge } from "prom-client";
import type { AddonReport } from "@flotilla/shared";
import { ADDON_STATES, type AddonState } from "../metrics.js";

const status = (r: AddonReport, type: string): string | undefined => r.conditions.find((c) => c.type === type)?.status;

/** The one state an addon counts under in `flotilla_agent_addons`. */
export function stateOfReport(r: AddonReport): AddonState {
  if (status(r, "Degraded") === "True") return "Degraded";
  if (status(r, "Applied") !== "True") return "Applying";
  if (status(r, "Available") === "True") return "Available";
  return "Progressing";
}

/** Keeps the per-state gauge in line with the latest report of every addon. */
export class AddonStates {
  private readonly states = new Map<string, AddonState>();

  constructor(private readonly gauge: Gauge<"state">) {
    this.publish();
  }

  set(addon: string, report: AddonReport): void {
    this.states.set(addon, stateOfReport(report));
    this.publish();
  }

  remove(addon: string): void {
    this.states.delete(addon);
    this.publish();
  }

  private publish(): void {
    for (const s of ADDON_STATES) this.gauge.set({ state: s }, [...this.states.values()].filter((x) => x === s).length);
  }
}
