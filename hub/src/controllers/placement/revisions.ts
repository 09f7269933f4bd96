import { ADDON_NAME_LABEL, isConflict, kubeErrorMessage, resources, type KubeClients, type Logger } from "@flotilla/shared";
import type { AddOnRevision, ClusterManagementAddOn } from "../../api/types.js";
import { revisionContent } from "../../revision/hash.js";

const REV = resources.addOnRevisions;
const CMA = resources.clusterManagementAddOns;

/** Which revisions to delete: beyond `limit`, oldest first, never the current or update one (pure). */
export function revisionsToPrune(revs: readonly { name: string; revision: number }[], keep: ReadonlySet<string>, limit: number): string[] {
  const others = revs.filter((r) => !keep.has(r.name)).sort((a, b) => b.revision - a.revision);
  return others.slice(Math.max(0, limit)).map((r) => r.name);
}

/**
 * Records every update revision as an immutable AddOnRevision (owned by its CMA, numbered in order)
 * and prunes old ones beyond `spec.revisionHistoryLimit`. History only: a failure here is logged and
 * retried at the next reconcile, it never holds up a rollout.
 */
export class RevisionRecorder {
  private readonly known = new Set<string>();
  constructor(
    private readonly clients: KubeClients,
    private readonly logger: Logger,
  ) {}

  /** False when it could not (the caller looks again later). */
  async ensure(cma: ClusterManagementAddOn, name: string, currentRevision: string | undefined): Promise<boolean> {
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
      if (!revs.some((r) => r.name === name)) {
        const next = Math.max(0, ...revs.map((r) => r.revision)) + 1;
        const body: AddOnRevision = {
          apiVersion: `${REV.group}/${REV.version}`,
          kind: REV.kind,
          metadata: {
            name,
            labels: { [ADDON_NAME_LABEL]: addon },
            ownerReferences: [{ apiVersion: `${CMA.group}/${CMA.version}`, kind: CMA.kind, name: addon, uid: cma.metadata?.uid ?? "" }],
          },
          spec: { addon, revision: next, ...revisionContent(cma.spec) },
        };
        try {
          await this.clients.custom.createClusterCustomObject({ group: REV.group, version: REV.version, plural: REV.plural, body });
          this.logger.info({ addon, revision: name, number: next }, "recorded revision");
          revs.push({ name, revision: next });
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
      }
      const keep = new Set([name, ...(currentRevision ? [currentRevision] : [])]);
      for (const old of revisionsToPrune(revs, keep, cma.spec.revisionHistoryLimit ?? 10)) {
        await this.clients.custom.deleteClusterCustomObject({ group: REV.group, version: REV.version, plural: REV.plural, name: old }).catch(() => undefined);
      }
      this.known.add(name);
      return true;
    } catch (err) {
      this.logger.warn({ addon, revision: name, err: kubeErrorMessage(err) }, "could not record the revision; will retry");
      return false;
    }
  }
}
