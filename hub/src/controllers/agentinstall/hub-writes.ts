import { PatchStrategy, setHeaderOptions, type V1Secret } from "@kubernetes/client-node";
import { applyStatus, classifyKubeError, isNotFound, resources, type Condition, type KubeClients } from "@flotilla/shared";
import { AGENT_INSTALL_FINALIZER, INSTALL_MANAGER } from "../../api/names.js";
import { BOOTSTRAP_TOKEN_TYPE } from "../registration/token.js";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./manifests.js";

const MC = resources.managedClusters;
const apply = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);

/** The installer's requests to the hub's API server, each a single request, errors classified. */
export class InstallWrites {
  constructor(private readonly clients: KubeClients) {}

  /** A Secret, or undefined when it does not exist. */
  async secret(namespace: string, name: string): Promise<V1Secret | undefined> {
    return this.clients.core.readNamespacedSecret({ namespace, name }).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw classifyKubeError(err);
    });
  }

  /** A bootstrap token for `cluster` that the hub mints creds into; not auto-accepting (the cluster is accepted already). */
  async createToken(namespace: string, name: string, cluster: string): Promise<void> {
    const body = { metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } }, type: BOOTSTRAP_TOKEN_TYPE, stringData: { cluster, "auto-accept": "false" } };
    await this.clients.core.createNamespacedSecret({ namespace, body }).catch(fail);
  }

  async deleteToken(namespace: string, name: string): Promise<void> {
    await this.clients.core.deleteNamespacedSecret({ namespace, name }).catch((err: unknown) => {
      if (!isNotFound(err)) fail(err);
    });
  }

  /** `AgentInstalled` alone, under the installer's field manager; `undefined` removes it. */
  async condition(cluster: string, c: Condition | undefined): Promise<void> {
    await applyStatus(this.clients, MC, cluster, undefined, { conditions: c ? [c] : [] }, INSTALL_MANAGER).catch(fail);
  }

  /** Holds (or releases) the cluster's deletion until what was installed on it is removed. */
  async finalizer(cluster: string, hold: boolean): Promise<void> {
    const body = { apiVersion: `${MC.group}/${MC.version}`, kind: MC.kind, metadata: { name: cluster, finalizers: hold ? [AGENT_INSTALL_FINALIZER] : [] } };
    await this.clients.custom.patchClusterCustomObject({ group: MC.group, version: MC.version, plural: MC.plural, name: cluster, body, fieldManager: INSTALL_MANAGER, force: true }, apply).catch(fail);
  }
}


const fail = (err: unknown): never => {
  throw classifyKubeError(err);
};
