import { KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { errorMessage, FlotillaError, httpStatusOf, isNotFound, kubeErrorMessage } from "@flotilla/shared";
import { INSTALL_MANAGER } from "../../api/names.js";
import { INSTALLED_SELECTOR } from "./manifests.js";
import type { KubeObject } from "./rbac.js";

export type SpokeFailure = "KubeconfigInvalid" | "SpokeUnreachable" | "ApplyFailed";

/** A write on a managed cluster that failed, with the `AgentInstalled` reason it stands for (retried with backoff). */
export class SpokeError extends FlotillaError {
  constructor(
    readonly reason: SpokeFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super("Retryable", message, options);
  }
}

/**
 * What the installer removes, in this order: the workload first (so no agent runs without its
 * rights), cluster-scoped grants, then the namespace (which takes the agent's own credentials and
 * the addons' ServiceAccounts with it).
 */
const INSTALLED_KINDS: readonly [apiVersion: string, kind: string][] = [
  ["apps/v1", "Deployment"],
  ["v1", "Secret"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding"],
  ["rbac.authorization.k8s.io/v1", "Role"],
  ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
  ["rbac.authorization.k8s.io/v1", "ClusterRole"],
  ["v1", "ServiceAccount"],
  ["v1", "Namespace"],
];

/** The managed cluster's API server, as the kubeconfig of `spec.agentInstall` reaches it. */
export class Spoke {
  private constructor(private readonly api: KubernetesObjectApi) {}

  /** Throws SpokeError(KubeconfigInvalid) when the text is no kubeconfig with a current context. */
  static fromKubeconfig(text: string): Spoke {
    const kc = new KubeConfig();
    try {
      kc.loadFromString(text);
    } catch (err) {
      throw new SpokeError("KubeconfigInvalid", `the kubeconfig does not parse: ${errorMessage(err)}`, { cause: err });
    }
    if (!kc.getCurrentCluster()) throw new SpokeError("KubeconfigInvalid", "the kubeconfig has no current context with a cluster");
    return new Spoke(KubernetesObjectApi.makeApiClient(kc));
  }

  /** Server-side applies each object in order (the namespace before what lives in it), forcing ownership. */
  async apply(objects: readonly KubeObject[]): Promise<void> {
    for (const o of objects) {
      await this.api.patch(o as KubernetesObject, undefined, undefined, INSTALL_MANAGER, true, PatchStrategy.ServerSideApply).catch((err: unknown) => {
        throw failure(err, `applying ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`);
      });
    }
  }

  /** Deletes everything carrying the installer's label; returns how many objects were deleted. */
  async removeInstalled(): Promise<number> {
    let n = 0;
    for (const [apiVersion, kind] of INSTALLED_KINDS) {
      const list = await this.api.list(apiVersion, kind, undefined, undefined, undefined, undefined, undefined, INSTALLED_SELECTOR).catch((err: unknown) => {
        throw failure(err, `listing ${kind}s`);
      });
      for (const o of list.items) {
        await this.api.delete({ apiVersion, kind, metadata: { name: o.metadata?.name ?? "", ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) } }).then(
          () => n++,
          (err: unknown) => {
            if (!isNotFound(err)) throw failure(err, `deleting ${kind} ${o.metadata?.name ?? ""}`);
          },
        );
      }
    }
    return n;
  }
}

/** No HTTP status: the server was not reached (refused, reset, DNS, TLS); with one, it refused the write. */
function failure(err: unknown, doing: string): SpokeError {
  const status = httpStatusOf(err);
  return status === undefined
    ? new SpokeError("SpokeUnreachable", `${doing}: ${errorMessage(err)}`, { cause: err })
    : new SpokeError("ApplyFailed", `${doing}: ${status} ${kubeErrorMessage(err)}`, { cause: err });
}
