import { applyStatus, classifyKubeError, parseDuration, resources, type ReconcileResult } from "@flotilla/shared";
import { SOURCE_MANAGER } from "../../api/names.js";
import type { SecretReference } from "../../api/types.js";
import type { ChartFetcher } from "../../charts/fetcher.js";
import type { Credentials } from "../../charts/types.js";
import type { ChartBundles } from "../../render/chart-bundle.js";
import { isDeleting } from "../../kube/resources.js";
import type { ControllerDeps } from "../../session/context.js";
import { nextResolution, sourceDue, sourceTransition, type LookOutcome } from "./resolution.js";

const CMA = resources.clusterManagementAddOns;

export interface SourcesControllerDeps extends ControllerDeps {
  fetcher: Pick<ChartFetcher, "resolve">;
  /** Reads a resolved chart's values and schema before its CMA status changes (the config CRD reads the schema). */
  charts: Pick<ChartBundles, "load">;
  credentials: (ref: SecretReference) => Promise<Credentials>;
}

/** A failure that names its condition reason (ChartSourceError, CredentialsError). */
const reasoned = (err: unknown): err is Error & { reason: string } => err instanceof Error && typeof (err as { reason?: unknown }).reason === "string";

/**
 * Key = addon (CMA) name. A helm source's version (exact or a range) → the chart it resolves to, in
 * `status.source`, looked up again every `interval` (Flux's source-controller, for one kind of source).
 * A newer chart there makes the placement controller name a new update revision, which rolls out by the
 * addon's strategy. A failure is recorded with its reason (the placement controller turns it into
 * `SourceResolved=False`) and tried again sooner; the chart resolved before keeps rolling out.
 */
export class SourcesController {
  constructor(private readonly d: SourcesControllerDeps) {}

  async reconcile(addon: string): Promise<ReconcileResult | void> {
    const cma = this.d.caches.cmas.get(addon);
    const helm = cma?.spec?.source?.helm;
    if (!cma || !helm || isDeleting(cma)) return;
    const intervalMs = parseDuration(helm.interval, "10m");
    const prev = cma.status?.source;
    const now = this.d.clock.now();
    const due = sourceDue(helm, prev, intervalMs, now);
    if (!due.due) return { requeueAfterMs: due.afterMs };

    let outcome: LookOutcome;
    try {
      const creds = helm.credentialsSecretRef ? await this.d.credentials(helm.credentialsSecretRef) : undefined;
      const r = await this.d.fetcher.resolve({ repoURL: helm.repoURL, chart: helm.chart, ...(helm.version ? { version: helm.version } : {}), ...(helm.digest ? { digest: helm.digest } : {}) }, creds);
      await this.d.charts.load(r.digest, r.path);
      outcome = { ok: true, version: r.version, digest: r.digest, url: r.url };
    } catch (err) {
      if (!reasoned(err)) throw err;
      outcome = { ok: false, reason: err.reason, message: err.message };
    }
    const next = nextResolution(helm, prev, outcome, now);
    await applyStatus(this.d.clients, CMA, addon, undefined, { source: next }, SOURCE_MANAGER).catch((err: unknown) => {
      throw classifyKubeError(err);
    });
    const t = sourceTransition(prev, next);
    if (t) {
      this.d.logger[t.type === "Warning" ? "warn" : "info"]({ addon, reason: t.reason, version: next.version }, t.message);
      this.d.events.emit({ ...cma, apiVersion: `${CMA.group}/${CMA.version}`, kind: CMA.kind }, t.type, t.reason, t.message);
    }
    const again = sourceDue(helm, next, intervalMs, now);
    return again.due ? { requeueAfterMs: intervalMs } : { requeueAfterMs: again.afterMs };
  }
}
