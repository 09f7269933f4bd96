import { KubernetesObjectApi, PatchStrategy, setHeaderOptions, type KubernetesObject } from "@kubernetes/client-node";
import type { KubeClients } from "./clients.js";

/**
 * KubernetesObjectApi sends bodies through client-node's typed models, which drop every field they do
 * not know and rename others (`x-kubernetes-*` in CRDs, `$ref`, …). An applier must send exactly what
 * it was given, so this sends the object's own JSON and keeps only the URL resolution (discovery).
 */
export class RawObjectApi extends KubernetesObjectApi {
  async apply<T extends KubernetesObject>(obj: T, fieldManager: string, opts: { force?: boolean; dryRun?: boolean } = {}): Promise<T> {
    const path = await this.specUriPath(obj, "patch");
    const ctx = this.configuration.baseServer.makeRequestContext(path, "PATCH" as never);
    ctx.setHeaderParam("Accept", "application/json");
    ctx.setHeaderParam("Content-Type", PatchStrategy.ServerSideApply);
    ctx.setQueryParam("fieldManager", fieldManager);
    ctx.setQueryParam("fieldValidation", "Strict");
    if (opts.force ?? true) ctx.setQueryParam("force", "true");
    if (opts.dryRun) ctx.setQueryParam("dryRun", "All");
    ctx.setBody(JSON.stringify(obj));
    return this.requestPromise<T>(ctx);
  }
}

/**
 * Server-side apply of a whole object, sent verbatim (creates it when missing). Unknown fields are
 * refused by the server (`fieldValidation=Strict`) rather than dropped on the way.
 */
export async function serverSideApply<T extends KubernetesObject>(
  clients: KubeClients,
  obj: T,
  fieldManager: string,
  opts: { force?: boolean; dryRun?: boolean } = {},
): Promise<T> {
  return clients.raw.apply(obj, fieldManager, opts);
}

/**
 * Server-side apply of the status subresource of a custom resource. `status` is the full status this
 * manager owns; fields it omits that it set before are removed.
 */
export async function applyStatus(
  clients: KubeClients,
  r: { group: string; version: string; plural: string; kind: string },
  name: string,
  namespace: string | undefined,
  status: unknown,
  fieldManager: string,
): Promise<void> {
  const body = { apiVersion: `${r.group}/${r.version}`, kind: r.kind, metadata: { name, ...(namespace ? { namespace } : {}) }, status };
  const options = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
  if (namespace) {
    await clients.custom.patchNamespacedCustomObjectStatus(
      { group: r.group, version: r.version, plural: r.plural, namespace, name, body, fieldManager, force: true },
      options,
    );
  } else {
    await clients.custom.patchClusterCustomObjectStatus(
      { group: r.group, version: r.version, plural: r.plural, name, body, fieldManager, force: true },
      options,
    );
  }
}
