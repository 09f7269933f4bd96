import { applyStatus, classifyKubeError, errorMessage, findCondition, FlotillaError, resources, WorkQueue, type Clock, type Informer, type KubeClients, type Logger, type ReconcileResult } from "@flotilla/shared";
import type { Registry } from "prom-client";
import { CONFIG_CRD_MANAGER, CONFIG_CRD_READY_CONDITION, HUB_MANAGER } from "../../api/names.js";
import type { ClusterManagementAddOn, Values } from "../../api/types.js";
import { configCrdName, configNames, convertSchema, DEFAULT_BUDGET, fitCrd, planVersions, type Budget } from "../../configcrd/index.js";
import { configCrdCondition, nextCondition, type ConfigOutcome } from "./condition.js";
import { applyCrd, isEstablished, readCrd } from "./crd-client.js";
import { ConfigValues } from "./values.js";

const CMA = resources.clusterManagementAddOns;
/** How soon to look again while a just-applied CRD is not yet Established. */
const ESTABLISH_RECHECK_MS = 1_000;

/** The values schema to generate from, and the chart version it belongs to (for the version notes). */
export type SchemaSource = (cma: ClusterManagementAddOn) => { schema: unknown; chartVersion?: string } | undefined;

/** Default source: the CMA's `valuesSchema`, and the Helm source's version when there is one. */
export const cmaSchema: SchemaSource = (cma) => {
  const spec = cma.spec;
  if (spec?.valuesSchema === undefined) return undefined;
  const chartVersion = spec.source?.helm?.version;
  return { schema: spec.valuesSchema, ...(chartVersion ? { chartVersion } : {}) };
};

export interface ConfigCrdControllerDeps {
  clients: KubeClients;
  /** The session's CMA informer (already started). */
  cmas: Informer<ClusterManagementAddOn>;
  logger: Logger;
  clock: Clock;
  registry?: Registry;
  /** Where the schema comes from; the chart's values.schema.json can be handed in here. Default: `cmaSchema`. */
  schemaOf?: SchemaSource;
  budget?: Budget;
  /** A cluster's config values for an addon appeared, changed or went. */
  onValuesChange?: (cluster: string, addon: string) => void;
}

/**
 * Key = addon. For a CMA with `spec.configCRD.generate`, converts its values schema (configcrd/, pure),
 * plans the CRD's versions against the CRD on the server, server-side applies the CRD when it changed
 * (field manager `flotilla-hub`), records `ConfigCRDReady` on the CMA (its own field manager), and
 * watches the addon's config objects for `valuesFor`. It writes nothing else, and never deletes a CRD:
 * that would delete every cluster's config object with it.
 */
export class ConfigCrdController {
  readonly values: ConfigValues;
  private queue: WorkQueue | undefined;

  constructor(private readonly d: ConfigCrdControllerDeps) {
    this.values = new ConfigValues({ clients: d.clients, logger: d.logger, clock: d.clock, ...(d.onValuesChange ? { onChange: d.onValuesChange } : {}) });
  }

  /** The cluster's values from its config object for the addon, if any. */
  valuesFor(cluster: string, addon: string): Values | undefined {
    return this.values.valuesFor(cluster, addon);
  }

  /** Reconciles every CMA now and on every CMA event, until `stop()` (or `signal` aborts). */
  start(signal?: AbortSignal): void {
    const queue = new WorkQueue({ name: "configcrd", reconcile: (k) => this.reconcile(k), logger: this.d.logger.child({ component: "queue", queue: "configcrd" }), concurrency: 2, clock: this.d.clock, ...(this.d.registry ? { registry: this.d.registry } : {}) });
    this.queue = queue;
    this.d.cmas.on((_event, cma) => queue.add(cma.metadata?.name ?? ""));
    for (const cma of this.d.cmas.list()) queue.add(cma.metadata?.name ?? "");
    signal?.addEventListener("abort", () => void this.stop(), { once: true });
  }

  /** Stops the queue and the config objects' watches; resolves once they have stopped. */
  async stop(): Promise<void> {
    await Promise.all([this.queue?.stop(), this.values.stop()]);
  }

  async reconcile(addon: string): Promise<ReconcileResult | void> {
    if (!addon) return;
    const cma = this.d.cmas.get(addon);
    if (!cma?.spec?.configCRD?.generate || cma.metadata?.deletionTimestamp) {
      await this.values.unwatch(addon);
      // Generation turned off: drop the condition. Applying an empty list as its manager removes the entry
      // it owned (applying `{}` could leave `status: null` behind, which the CRD refuses).
      if (cma && !cma.metadata?.deletionTimestamp && findCondition(cma.status?.conditions, CONFIG_CRD_READY_CONDITION)) {
        await applyStatus(this.d.clients, CMA, addon, undefined, { conditions: [] }, CONFIG_CRD_MANAGER).catch((err: unknown) => {
          throw classifyKubeError(err);
        });
      }
      return;
    }
    const log = this.d.logger.child({ addon });
    const { outcome, recheck } = await this.ensureCrd(addon, cma);
    const cond = nextCondition(cma.status?.conditions, configCrdCondition(outcome), cma.metadata?.generation, new Date(this.d.clock.now()));
    if (cond) {
      await applyStatus(this.d.clients, CMA, addon, undefined, { conditions: [cond] }, CONFIG_CRD_MANAGER).catch((err: unknown) => {
        throw classifyKubeError(err);
      });
      log.info({ reason: cond.reason, status: cond.status }, cond.message);
    }
    return recheck ? { requeueAfterMs: ESTABLISH_RECHECK_MS } : undefined;
  }

  private async ensureCrd(addon: string, cma: ClusterManagementAddOn): Promise<{ outcome: ConfigOutcome; recheck?: boolean }> {
    let names;
    try {
      names = configNames(addon);
    } catch (err) {
      if (err instanceof FlotillaError) return { outcome: { kind: "InvalidName", message: err.message } };
      throw err;
    }
    const source = (this.d.schemaOf ?? cmaSchema)(cma);
    if (!source) return { outcome: { kind: "NoSchema" } };
    const budget = this.d.budget ?? DEFAULT_BUDGET;
    const conversion = convertSchema(source.schema, budget);
    if (conversion.rejected) return { outcome: { kind: "SchemaRejected", rejection: conversion.rejected } };
    const crdName = configCrdName(addon);
    const existing = await readCrd(this.d.clients, crdName);
    const plan = planVersions(existing, conversion.schema, source.chartVersion);
    let established = isEstablished(existing);
    if (plan.change !== "Unchanged" || !existing) {
      const fit = fitCrd(addon, plan.versions, budget);
      if (!fit.ok) return { outcome: { kind: "TooLarge", bytes: fit.bytes, limit: budget.maxCrdBytes } };
      try {
        await applyCrd(this.d.clients, fit.crd, HUB_MANAGER);
      } catch (err) {
        // a conversion the API server does not take is a bug to report, not a reason to retry forever
        if (err instanceof FlotillaError && err.code === "Invalid") return { outcome: { kind: "Refused", message: errorMessage(err) } };
        throw err;
      }
      established = isEstablished(await readCrd(this.d.clients, crdName));
    }
    const served = plan.versions.map((v) => v.name);
    if (established) await this.values.watch(addon, served, plan.newest);
    return {
      outcome: { kind: "Generated", crdName, kindName: names.kind, versions: served, newest: plan.newest, change: plan.change, widened: conversion.widened },
      recheck: !established,
    };
  }
}
