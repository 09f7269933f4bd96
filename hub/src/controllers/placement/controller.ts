import {
  ADDON_NAME_LABEL,
  CLUSTER_NAME_LABEL,
  applyStatus,
  classifyKubeError,
  findCondition,
  isConditionTrue,
  isConflict,
  resources,
  type ReconcileResult,
  type ValuesValidator,
} from "@flotilla/shared";
import { HUB_MANAGER, ROLLOUT_MANAGER, VALUES_VALID_CONDITION } from "../../api/names.js";
import type { ClusterManagementAddOn, ManagedClusterAddOn } from "../../api/types.js";
import { forEachLimit } from "../../kube/abort.js";
import { differsIgnoring } from "../../kube/diff.js";
import { deleteMca, isDeleting, labelsOf } from "../../kube/resources.js";
import { revisionName } from "../../revision/hash.js";
import type { ControllerDeps } from "../../session/context.js";
import type { RevisionRecorder } from "./revisions.js";
import { planRollout } from "./rollout.js";
import { cmaStatus } from "./status.js";
import { summarize, type SummaryTarget } from "./summary.js";
import { planTargets, type ClusterFacts } from "./targets.js";
import { valuesCondition, type InvalidClusterValues } from "./values.js";

const MCA = resources.managedClusterAddOns;
const CMA = resources.clusterManagementAddOns;
const WRITES_IN_FLIGHT = 16;
const REVISION_RETRY_MS = 5000;

/**
 * Key = addon (CMA) name. CMA × accepted clusters → one MCA per target cluster; the rollout decision
 * → each MCA's `status.desiredRevision`; MCAs + clusters → the CMA's status.
 */
export class PlacementController {
  constructor(private readonly d: ControllerDeps & { revisions: RevisionRecorder; validator: ValuesValidator }) {}

  async reconcile(addon: string): Promise<ReconcileResult | void> {
    const { caches } = this.d;
    const log = this.d.logger.child({ addon });
    const cma = caches.cmas.get(addon);
    const mcas = caches.mcas.list().filter((m) => m.metadata?.name === addon);
    if (!cma || isDeleting(cma)) {
      const owned = mcas.filter((m) => labelsOf(m)[ADDON_NAME_LABEL] === addon && !isDeleting(m));
      await forEachLimit(owned, WRITES_IN_FLIGHT, (m) => deleteMca(this.d.clients, m.metadata?.namespace ?? "", addon));
      if (owned.length) log.info({ count: owned.length }, "addon gone: deleted its MCAs");
      return;
    }
    const spec = cma.spec ?? {};
    const clusters: ClusterFacts[] = caches.clusters.list().map((c) => ({
      name: c.metadata?.name ?? "",
      labels: labelsOf(c),
      accepted: c.spec?.hubAcceptsClient === true && !isDeleting(c),
    }));
    const plan = planTargets(
      spec,
      clusters,
      mcas.map((m) => ({ cluster: m.metadata?.namespace ?? "", managed: labelsOf(m)[ADDON_NAME_LABEL] === addon, deleting: isDeleting(m) })),
    );
    await forEachLimit(plan.create, WRITES_IN_FLIGHT, (c) => this.createMca(cma, c));
    await forEachLimit(plan.delete, WRITES_IN_FLIGHT, (c) => deleteMca(this.d.clients, c, addon));
    for (const c of plan.create) log.info({ cluster: c }, "created MCA");
    for (const c of plan.delete) log.info({ cluster: c }, "deleted MCA: cluster no longer targeted");

    const updateRevision = revisionName(addon, spec);
    const recorded = await this.d.revisions.ensure(cma, updateRevision, cma.status?.currentRevision);
    const byCluster = new Map(mcas.map((m) => [m.metadata?.namespace ?? "", m] as const));
    const statusOf = (c: string) => byCluster.get(c)?.status;
    const decision = planRollout({
      updateRevision,
      paused: spec.paused === true,
      targets: plan.targets.map((c) => ({ cluster: c, desiredRevision: statusOf(c)?.desiredRevision })),
    });
    await forEachLimit([...decision.desired], WRITES_IN_FLIGHT, ([c, rev]) =>
      applyStatus(this.d.clients, MCA, addon, c, { desiredRevision: rev }, ROLLOUT_MANAGER).catch((err: unknown) => {
        throw classifyKubeError(err);
      }),
    );
    if (decision.desired.size) log.info({ revision: updateRevision, clusters: decision.desired.size }, "set desired revision");

    const reachable = new Set(caches.clusters.list().filter((c) => isConditionTrue(c.status?.conditions, "Available")).map((c) => c.metadata?.name));
    const targets: SummaryTarget[] = plan.targets.map((c) => {
      const status = statusOf(c);
      const rev = decision.desired.get(c);
      return { cluster: c, reachable: reachable.has(c), status: rev ? { ...status, desiredRevision: rev } : status };
    });
    const result = summarize(updateRevision, targets);
    const invalidClusters: InvalidClusterValues[] = [];
    for (const c of plan.targets) {
      const v = findCondition(statusOf(c)?.conditions, VALUES_VALID_CONDITION);
      if (v?.status === "False") invalidClusters.push({ cluster: c, message: v.message });
    }
    const valuesValid = valuesCondition({ spec, validate: (schema, values) => this.d.validator.validate(schema, values), invalidClusters });
    const status = cmaStatus({
      spec,
      generation: cma.metadata?.generation,
      previous: cma.status,
      updateRevision,
      result,
      held: decision.held.length,
      valuesValid,
      now: new Date(this.d.now()),
    });
    if (differsIgnoring(status, cma.status)) {
      await applyStatus(this.d.clients, CMA, addon, undefined, status, HUB_MANAGER).catch((err: unknown) => {
        throw classifyKubeError(err);
      });
      const ref = { ...cma, apiVersion: `${CMA.group}/${CMA.version}`, kind: CMA.kind };
      if (status.updateRevision !== cma.status?.updateRevision) {
        log.info({ revision: updateRevision }, "new update revision");
        this.d.events.emit(ref, "Normal", "RolloutStarted", `rolling out ${updateRevision} to ${plan.targets.length} clusters (strategy All)`);
      }
      if (status.currentRevision !== cma.status?.currentRevision) {
        log.info({ revision: status.currentRevision }, "rollout complete");
        this.d.events.emit(ref, "Normal", "RolloutSucceeded", `${status.currentRevision} is available on every reachable cluster`);
      }
      const wasValid = findCondition(cma.status?.conditions, VALUES_VALID_CONDITION);
      if (valuesValid.status === "False" && (wasValid?.status !== "False" || wasValid.reason !== valuesValid.reason)) {
        log.warn({ reason: valuesValid.reason, error: valuesValid.message }, "values fail valuesSchema");
        this.d.events.emit(ref, "Warning", valuesValid.reason, valuesValid.message);
      }
      if (status.rollout?.phase === "Failed" && cma.status?.rollout?.phase !== "Failed") {
        this.d.events.emit(ref, "Warning", "RolloutFailed", findCondition(status.conditions, "Degraded")?.message ?? "clusters failed");
      }
    }
    return recorded ? undefined : { requeueAfterMs: REVISION_RETRY_MS };
  }

  private async createMca(cma: ClusterManagementAddOn, cluster: string): Promise<void> {
    const addon = cma.metadata?.name ?? "";
    await this.d.namespaces.ensure(cluster);
    const body: ManagedClusterAddOn = {
      apiVersion: `${MCA.group}/${MCA.version}`,
      kind: MCA.kind,
      metadata: {
        name: addon,
        namespace: cluster,
        labels: { [ADDON_NAME_LABEL]: addon, [CLUSTER_NAME_LABEL]: cluster },
        ownerReferences: [
          { apiVersion: `${CMA.group}/${CMA.version}`, kind: CMA.kind, name: addon, uid: cma.metadata?.uid ?? "", controller: true },
        ],
      },
      spec: {},
    };
    try {
      await this.d.clients.custom.createNamespacedCustomObject({ group: MCA.group, version: MCA.version, plural: MCA.plural, namespace: cluster, body });
    } catch (err) {
      if (isConflict(err)) return;
      this.d.namespaces.forget(cluster);
      throw classifyKubeError(err);
    }
  }
}
