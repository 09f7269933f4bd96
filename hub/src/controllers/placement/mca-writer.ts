import { ADDON_NAME_LABEL, CLUSTER_NAME_LABEL, applyStatus, classifyKubeError, isConflict, resources, type KubeClients } from "@flotilla/shared";
import { ROLLOUT_MANAGER } from "../../api/names.js";
import type { ClusterManagementAddOn, ManagedClusterAddOn } from "../../api/types.js";
import type { NamespaceEnsurer } from "../../kube/namespaces.js";
import { deleteMca } from "../../kube/resources.js";

const MCA = resources.managedClusterAddOns;
const CMA = resources.clusterManagementAddOns;

/** The placement controller's writes to MCAs: create (owned by the CMA), delete, set the desired revision. */
export class McaWriter {
  constructor(
    private readonly clients: KubeClients,
    private readonly namespaces: NamespaceEnsurer,
  ) {}

  async create(cma: ClusterManagementAddOn, cluster: string): Promise<void> {
    const addon = cma.metadata?.name ?? "";
    await this.namespaces.ensure(cluster);
    const body: ManagedClusterAddOn = {
      apiVersion: `${MCA.group}/${MCA.version}`,
      kind: MCA.kind,
      metadata: {
        name: addon,
        namespace: cluster,
        labels: { [ADDON_NAME_LABEL]: addon, [CLUSTER_NAME_LABEL]: cluster },
        ownerReferences: [{ apiVersion: `${CMA.group}/${CMA.version}`, kind: CMA.kind, name: addon, uid: cma.metadata?.uid ?? "", controller: true }],
      },
      spec: {},
    };
    try {
      await this.clients.custom.createNamespacedCustomObject({ group: MCA.group, version: MCA.version, plural: MCA.plural, namespace: cluster, body });
    } catch (err) {
      if (isConflict(err)) return;
      this.namespaces.forget(cluster);
      throw classifyKubeError(err);
    }
  }

  delete(addon: string, cluster: string): Promise<void> {
    return deleteMca(this.clients, cluster, addon);
  }

  /** The rollout's decision for one cluster, with when it was made (its progressDeadline and minSuccessTime count from then). */
  async setDesiredRevision(addon: string, cluster: string, revision: string, at: Date): Promise<void> {
    await applyStatus(this.clients, MCA, addon, cluster, { desiredRevision: revision, desiredRevisionTime: at.toISOString() }, ROLLOUT_MANAGER).catch((err: unknown) => {
      throw classifyKubeError(err);
    });
  }
}
