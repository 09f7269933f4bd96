import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { applyStatus, classifyKubeError, resources, type KubeClients } from "@flotilla/shared";
import { CREDENTIALS_FINALIZER, CREDENTIALS_MANAGER } from "../api/names.js";
import type { ManagedClusterStatus } from "../api/types.js";

const MC = resources.managedClusters;
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const apply = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** What the credentials manager owns on a ManagedCluster: applied whole, so what it leaves out goes. */
export type CredentialFields = Pick<ManagedClusterStatus, "credentials" | "registration">;

/** The Kubernetes writes of registration and revocation, each a single request, errors classified. */
export class RegistrationWrites {
  constructor(private readonly clients: KubeClients) {}

  async createCluster(name: string, labels: Record<string, string>, accept: boolean): Promise<void> {
    await this.clients.custom
      .createClusterCustomObject({
        group: MC.group, version: MC.version, plural: MC.plural,
        body: { apiVersion: `${MC.group}/${MC.version}`, kind: MC.kind, metadata: { name, labels }, spec: { hubAcceptsClient: accept } },
      })
      .catch(fail);
  }

  /** An auto-accept token was spent on a cluster not accepted yet. */
  async accept(name: string): Promise<void> {
    await this.clients.custom.patchClusterCustomObject({ group: MC.group, version: MC.version, plural: MC.plural, name, body: { spec: { hubAcceptsClient: true } } }, merge).catch(fail);
  }

  /**
   * With `resourceVersion`, only onto the ManagedCluster as it was read (else Conflict): a grant decided
   * on a stale view must not undo a revocation made meanwhile, nor the other way round.
   */
  async applyCredentials(name: string, fields: CredentialFields, resourceVersion?: string): Promise<void> {
    if (!resourceVersion) return applyStatus(this.clients, MC, name, undefined, fields, CREDENTIALS_MANAGER).catch(fail);
    const body = { apiVersion: `${MC.group}/${MC.version}`, kind: MC.kind, metadata: { name, resourceVersion }, status: fields };
    await this.clients.custom
      .patchClusterCustomObjectStatus({ group: MC.group, version: MC.version, plural: MC.plural, name, body, fieldManager: CREDENTIALS_MANAGER, force: true }, apply)
      .catch(fail);
  }

  /** Holds (or releases) the cluster's deletion until its credentials are revoked. */
  async finalizer(name: string, hold: boolean): Promise<void> {
    const body = { apiVersion: `${MC.group}/${MC.version}`, kind: MC.kind, metadata: { name, finalizers: hold ? [CREDENTIALS_FINALIZER] : [] } };
    await this.clients.custom.patchClusterCustomObject({ group: MC.group, version: MC.version, plural: MC.plural, name, body, fieldManager: CREDENTIALS_MANAGER, force: true }, apply).catch(fail);
  }

  /** With `resourceVersion`, only if the Secret is still that version (else Conflict: look again). */
  async patchToken(namespace: string, name: string, data: Record<string, string>, resourceVersion?: string): Promise<void> {
    const body = { ...(resourceVersion ? { metadata: { resourceVersion } } : {}), data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) };
    await this.clients.core.patchNamespacedSecret({ namespace, name, body }, merge).catch(fail);
  }

  async deleteToken(namespace: string, name: string): Promise<void> {
    await this.clients.core.deleteNamespacedSecret({ namespace, name }).catch(fail);
  }
}

const fail = (err: unknown): never => {
  throw classifyKubeError(err);
};
