import { applyStatus, classifyKubeError, findCondition, resources, type ReconcileResult } from "@flotilla/shared";
import { HUB_MANAGER, RENDER_MANAGER, RENDERED_CONDITION } from "../../api/names.js";
import type { ClusterManagementAddOn, ManagedCluster, ManagedClusterAddOn } from "../../api/types.js";
import type { DesiredStore } from "../../bus/desired-store.js";
import { isDeleting, labelsOf } from "../../kube/resources.js";
import type { PresenceStore } from "../../presence/store.js";
import { renderBundle } from "../../render/bundle.js";
import { canonicalJson, revisionName } from "../../revision/hash.js";
import type { ControllerDeps } from "../../session/context.js";
import { clusterStatus } from "./cluster-status.js";
import { bundleKeyValues, type AddonDesire } from "./publish-plan.js";
import type { Publisher } from "./publisher.js";
import type { RenderCache } from "./render-cache.js";

const MC = resources.managedClusters;
const MCA = resources.managedClusterAddOns;

export interface ClustersControllerDeps extends ControllerDeps {
  presence: PresenceStore;
  store: DesiredStore;
  publisher: Publisher;
  renderCache: RenderCache;
  graceSeconds: number;
  lastSeenRefreshSeconds: number;
}

type RenderOutcome = { desire: AddonDesire; failure?: { reason: string; message: string } };

/**
 * Key = cluster name. Accepted: hub namespace, status (Accepted/Joined/Available, agent facts), then
 * the cluster's desired state on the bus. Not accepted or gone: its desired state is withdrawn.
 */
export class ClustersController {
  constructor(private readonly d: ClustersControllerDeps) {}

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const mc = this.d.caches.clusters.get(name);
    const accepted = mc !== undefined && mc.spec?.hubAcceptsClient === true && !isDeleting(mc);
    const requeueAfterMs = mc ? await this.writeStatus(mc, accepted) : undefined;
    if (!accepted) {
      this.d.renderCache.forgetCluster(name);
      await this.d.publisher.publish(name, [], { deleteIndex: mc === undefined });
      return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
    }
    await this.d.namespaces.ensure(name);
    const desires: AddonDesire[] = [];
    for (const mca of this.d.caches.mcas.list(name)) {
      const addon = mca.metadata?.name ?? "";
      const cma = this.d.caches.cmas.get(addon);
      if (isDeleting(mca) || !cma || isDeleting(cma)) continue;
      const outcome = this.render(mc, cma, mca);
      desires.push(outcome.desire);
      await this.writeRendered(mca, outcome.failure);
    }
    await this.d.publisher.publish(name, desires);
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  private render(mc: ManagedCluster, cma: ClusterManagementAddOn, mca: ManagedClusterAddOn): RenderOutcome {
    const cluster = mc.metadata?.name ?? "";
    const addon = cma.metadata?.name ?? "";
    const keep: AddonDesire = { addon, action: "keep" };
    const desired = mca.status?.desiredRevision;
    const spec = cma.spec ?? {};
    const revision = revisionName(addon, spec);
    // The planner holds this cluster on another revision (or has not decided yet): leave what is published.
    if (!desired || desired !== revision) return { desire: keep };
    const labels = labelsOf(mc);
    const inputs = canonicalJson([revision, cma.metadata?.generation ?? cma.metadata?.resourceVersion, mca.metadata?.generation ?? mca.metadata?.resourceVersion, labels]);
    const published = this.d.store.indexEntry(cluster, addon);
    const hit = this.d.renderCache.lookup(cluster, addon, inputs);
    if (hit && published && published.revision === hit.revision && published.digest === hit.digest) return { desire: keep };

    const result = renderBundle({ addon, revision, spec, cluster: { name: cluster, labels }, clusterValues: mca.spec?.values });
    if (!result.ok) {
      this.d.logger.warn({ cluster, addon, revision, reason: result.reason, error: result.message }, "render failed; keeping what is published");
      return { desire: keep, failure: { reason: result.reason, message: result.message } };
    }
    const { digest, values } = bundleKeyValues(result.bundle);
    this.d.renderCache.remember(cluster, addon, inputs, revision, digest);
    return { desire: { addon, action: "publish", revision, digest, values } };
  }

  /** The Rendered condition exists only while rendering fails (one writer, its own field manager). */
  private async writeRendered(mca: ManagedClusterAddOn, failure: { reason: string; message: string } | undefined): Promise<void> {
    const prev = findCondition(mca.status?.conditions, RENDERED_CONDITION);
    const ns = mca.metadata?.namespace ?? "";
    const name = mca.metadata?.name ?? "";
    let status: Record<string, unknown> | undefined;
    if (failure && (prev?.status !== "False" || prev.reason !== failure.reason || prev.message !== failure.message)) {
      this.d.events.emit({ ...mca, apiVersion: `${MCA.group}/${MCA.version}`, kind: MCA.kind }, "Warning", failure.reason, failure.message);
      const condition = {
        type: RENDERED_CONDITION,
        status: "False",
        reason: failure.reason,
        message: failure.message.slice(0, 32_000),
        lastTransitionTime: prev?.status === "False" ? prev.lastTransitionTime : new Date(this.d.now()).toISOString(),
        ...(mca.metadata?.generation !== undefined ? { observedGeneration: mca.metadata.generation } : {}),
      };
      status = { conditions: [condition] };
    } else if (!failure && prev) {
      status = {};
    }
    if (!status) return;
    await applyStatus(this.d.clients, MCA, name, ns, status, RENDER_MANAGER).catch((err: unknown) => {
      throw classifyKubeError(err);
    });
  }

  private async writeStatus(mc: ManagedCluster, accepted: boolean): Promise<number | undefined> {
    const name = mc.metadata?.name ?? "";
    const r = clusterStatus({
      accepted,
      generation: mc.metadata?.generation,
      previous: mc.status,
      presence: this.d.presence.get(name),
      now: this.d.now(),
      graceSeconds: this.d.graceSeconds,
      lastSeenRefreshSeconds: this.d.lastSeenRefreshSeconds,
    });
    if (r.changed) {
      await applyStatus(this.d.clients, MC, name, undefined, r.status, HUB_MANAGER).catch((err: unknown) => {
        throw classifyKubeError(err);
      });
      const avail = findCondition(r.status.conditions, "Available");
      const was = findCondition(mc.status?.conditions, "Available");
      if (avail?.status !== was?.status) {
        this.d.logger.info({ cluster: name, available: avail?.status, reason: avail?.reason }, "cluster availability changed");
        // Only real transitions make an event, not the first status of a new cluster.
        if (was && avail) this.d.events.emit({ ...mc, apiVersion: `${MC.group}/${MC.version}`, kind: MC.kind }, avail.status === "True" ? "Normal" : "Warning", avail.reason, avail.message);
      }
    }
    return r.requeueAfterMs;
  }
}
