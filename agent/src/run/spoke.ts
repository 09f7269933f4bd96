import type { RawObjectApi } from "../apply/object-api.js";
import type { WorkloadWatch } from "../health/workload-watch.js";
import { installAgentCrds } from "../inventory/crd-install.js";
import type { AppliedAddOnStore } from "../inventory/store.js";
import type { AgentState } from "../reconcile/state.js";
import { retryUntilDone, type RetryOptions } from "./retry.js";

/**
 * The spoke side: the AppliedAddOn CRD, then what was applied here before (so nothing is forgotten
 * across restarts), then the watches on those objects. Each step retries until it can.
 */
export async function startSpoke(
  p: { api: RawObjectApi; store: AppliedAddOnStore; state: AgentState; workloads: WorkloadWatch },
  o: RetryOptions & { onCrdInstalled: () => void },
): Promise<void> {
  await retryUntilDone(() => installAgentCrds(p.api, o.logger, o.signal), "install the AppliedAddOn CRD", o);
  o.onCrdInstalled();
  const records = await retryUntilDone(() => p.store.list(), "list AppliedAddOns", o);
  for (const r of records) p.state.records.set(r.addon, r);
  o.logger.info({ addons: records.map((r) => r.addon) }, "loaded applied addons");
  await p.workloads.ensure(records.flatMap((r) => r.inventory));
}
