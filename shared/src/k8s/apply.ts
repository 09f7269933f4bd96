import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { KubeClients } from "./clients.js";

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
