import { applyStatus, classifyKubeError, resources, type ReconcileResult } from "@flotilla/shared";
import { HUB_MANAGER } from "../../api/names.js";
import type { ReportStore } from "../../presence/reports.js";
import type { ControllerDeps } from "../../session/context.js";
import { reportedStatus, reportedStatusChanged } from "./mca-status.js";

const MCA = resources.managedClusterAddOns;
/** Summaries are coalesced: many reports for one addon make one CMA status write. */
export const SUMMARY_DELAY_MS = 200;

export interface StatusControllerDeps extends ControllerDeps {
  reports: ReportStore;
}

/** Key = `<cluster>/<addon>`. The latest agent report → the MCA's status (on change only) → CMA summary. */
export class StatusController {
  constructor(private readonly d: StatusControllerDeps) {}

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [cluster = "", addon = ""] = key.split("/");
    const mca = this.d.caches.mcas.get(addon, cluster);
    if (!mca) return;
    const next = reportedStatus({
      generation: mca.metadata?.generation,
      current: mca.status,
      report: this.d.reports.get(cluster, addon),
      now: new Date(this.d.clock.now()),
    });
    if (!reportedStatusChanged(next, mca.status)) return;
    await applyStatus(this.d.clients, MCA, addon, cluster, next, HUB_MANAGER).catch((err: unknown) => {
      throw classifyKubeError(err);
    });
    this.d.logger.debug({ cluster, addon, revision: next.appliedRevision }, "updated MCA status from report");
    this.d.enqueue.cma(addon, SUMMARY_DELAY_MS);
  }
}
