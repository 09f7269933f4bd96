import type { RawObjectApi } from "../apply/object-api.js";
import { installAgentCrds } from "../inventory/crd-install.js";
import type { AppliedAddOnStore } from "../inventory/store.js";
import type { AgentState } from "../reconcile/state.js";
import type { ObjectWatch } from "../watch/object-watch.js";
import { DEFAULT_BACKOFF, kubeErrorMessage, retryUntil, type BackoffPolicy, type Clock, type Logger } from "@flotilla/shared";

/**
 * The spoke side: the AppliedAddOn CRD, then what was applied here before (so nothing is forgotten
 * across restarts), then the watches on those objects. Each step retries until it can.
 */
export async function startSpoke(
  p: { api: RawObjectApi; store: AppliedAddOnStore; state: AgentState; watch: ObjectWatch },
  o: { logger: Logger; signal: AbortSignal; clock: Clock; policy?: BackoffPolicy; onCrdInstalled: () => void },
): Promise<void> {
  // Nothing else can happen until these succeed, so every failure is tried again.
  const untilDone = <T>(fn: () => Promise<T>, what: string) =>
    retryUntil(fn, {
      policy: o.policy ?? DEFAULT_BACKOFF, clock: o.clock, signal: o.signal, isRetryable: () => true,
      onRetry: (err, attempt, retryInMs) => o.logger.warn({ err: kubeErrorMessage(err), attempt, retryInMs }, `cannot ${what} yet; retrying`),
    });
  await untilDone(() => installAgentCrds(p.api, o.logger, o.signal), "install the AppliedAddOn CRD");
  o.onCrdInstalled();
  const records = await untilDone(() => p.store.list(), "list AppliedAddOns");
  for (const r of records) p.state.records.set(r.addon, r);
  o.logger.info({ addons: records.map((r) => r.addon) }, "loaded applied addons");
  await p.watch.ensure(records.flatMap((r) => r.inventory));
}
