import { ADDON_NAME_LABEL, applyStatus, isConflict, isNotFound, kubeErrorMessage, resources, type KubeClients, type Logger } from "@flotilla/shared";
import type { AddOnRevision, ClusterManagementAddOn, ClusterManagementAddOnSpec } from "../../api/types.js";
import { CHANGE_CAUSE_ANNOTATION, HUB_MANAGER } from "../../api/names.js";
import { revisionContent } from "../../revision/hash.js";

const REV = resources.addOnRevisions;
const CMA = resources.clusterManagementAddOns;

/** Which revisions to delete: beyond `limit`, oldest first, never the current or update one (pure). */
export function revisionsToPrune(revs: readonly { name: string; revision: number }[], keep: ReadonlySet<string>, limit: number): string[] {
  const others = revs.filter((r) => !keep.has(r.name)).sort((a, b) => b.revision - a.revision);
  return others.slice(Math.max(0, limit)).map((r) => r.name);
}

export interface RevisionPlan {
  /** The number to record the update revision under; absent when it is recorded already. */
  create?: number;
  /** Old revisions to delete, including any whose delete failed before (they are still listed). */
  prune: string[];
}

/**
 * What to do with an addon's history (pure): record `name` (numbered after the highest) unless it is
 * there, and prune beyond `limit`, never `name` or those in `keep` (the current, last good, revision
 * and any a cluster is still held on). It is planned from the listed
 * revisions, so one whose delete failed last time is planned again until it is gone.
 */
export function planRevisions(revs: readonly { name: string; revision: number }[], name: string, keep: readonly string[], limit: number): RevisionPlan {
  const recorded = revs.some((r) => r.name === name);
  const next = Math.max(0, ...revs.map((r) => r.revision)) + 1;
  const all = recorded ? revs : [...revs, { name, revision: next }];
  const prune = revisionsToPrune(all, new Set([name, ...keep]), limit);
  return recorded ? { prune } : { create: next, prune };
}

/**
 * Records every update revision as an immutable AddOnRevision (owned by its CMA, numbered in order)
 * and prunes old ones beyond `spec.revisionHistoryLimit`. History only: a failure here (recording or
 * pruning) is logged and `ensure` answers false, so the caller looks again later; it never holds up a
 * rollout.
 */
export class RevisionRecorder {
  /** Update revisions recorded with their history pruned; nothing left to do for them. */
  private readonly known = new Set<string>();
  constructor(
    private readonly clients: KubeClients,
    private readonly logger: Logger,
  ) {}

  /**
   * Records `name` and prunes the history, keeping `keep` (the current revision and those clusters are
   * held on). False when it could not (the caller looks again later).
   */
  async ensure(cma: ClusterManagementAddOn, content: ClusterManagementAddOnSpec, name: string, keep: readonly string[]): Promise<boolean> {
    if (this.known.has(name)) return true;
    const addon = cma.metadata?.name ?? "";
    try {
      const list = (await this.clients.custom.listClusterCustomObject({
        group: REV.group,
        version: REV.version,
        plural: REV.plural,
        labelSelector: `${ADDON_NAME_LABEL}=${addon}`,
      })) as { items?: AddOnRevision[] };
      const revs = (list.items ?? []).map((r) => ({ name: r.metadata?.name ?? "", revision: r.spec.revision }));
      const plan = planRevisions(revs, name, keep, cma.spec.revisionHistoryLimit ?? 10);
      if (plan.create !== undefined) await this.record(cma, content, name, plan.create);
      const failed = await this.prune(plan.prune);
      if (failed.length) {
        this.logger.warn({ addon, failed: failed.map((f) => f.name), err: kubeErrorMessage(failed[0]?.err) }, "could not prune old revisions; will retry");
        return false;
      }
      this.known.add(name);
      return true;
    } catch (err) {
      this.logger.warn({ addon, revision: name, err: kubeErrorMessage(err) }, "could not record the revision; will retry");
      return false;
    }
  }

  /**
   * Marks a revision `Bad` (an automatic rollback abandoned it), or not bad once it has rolled out
   * everywhere (a later retry of the same content succeeded). History only, like `ensure`: a failure is
   * logged and answered false; `status.rollout.failedRevision` on the CMA is what the rollout obeys.
   */
  async markBad(name: string, message: string, now: Date, bad = true): Promise<boolean> {
    const condition = { type: "Bad", status: bad ? "True" : "False", reason: bad ? "RolledBack" : "RolledOut", message: message.slice(0, 32_768), lastTransitionTime: now.toISOString() };
    try {
      await applyStatus(this.clients, REV, name, undefined, { conditions: [condition] }, HUB_MANAGER);
      return true;
    } catch (err) {
      if (isNotFound(err)) return true;
      this.logger.warn({ revision: name, err: kubeErrorMessage(err) }, "could not mark the revision bad; will retry");
      return false;
    }
  }

  /** `content`: the spec the revision is made of (a helm source pinned to its resolved chart). */
  private async record(cma: ClusterManagementAddOn, content: ClusterManagementAddOnSpec, name: string, revision: number): Promise<void> {
    const addon = cma.metadata?.name ?? "";
    const cause = cma.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const body: AddOnRevision = {
      apiVersion: `${REV.group}/${REV.version}`,
      kind: REV.kind,
      metadata: {
        name,
        labels: { [ADDON_NAME_LABEL]: addon },
        ...(cause ? { annotations: { [CHANGE_CAUSE_ANNOTATION]: cause } } : {}),
        ownerReferences: [{ apiVersion: `${CMA.group}/${CMA.version}`, kind: CMA.kind, name: addon, uid: cma.metadata?.uid ?? "" }],
      },
      spec: { addon, revision, ...revisionContent(content) },
    };
    try {
      await this.clients.custom.createClusterCustomObject({ group: REV.group, version: REV.version, plural: REV.plural, body });
      this.logger.info({ addon, revision: name, number: revision }, "recorded revision");
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }

  /** Deletes each; returns those that failed for another reason than being gone already. */
  private async prune(names: readonly string[]): Promise<{ name: string; err: unknown }[]> {
    const failed: { name: string; err: unknown }[] = [];
    for (const name of names) {
      try {
        await this.clients.custom.deleteClusterCustomObject({ group: REV.group, version: REV.version, plural: REV.plural, name });
      } catch (err) {
        if (!isNotFound(err)) failed.push({ name, err });
      }
    }
    return failed;
  }
}
