import { classifyKubeError, isNotFound, resources, type KubeClients } from "@flotilla/shared";

const mca = resources.managedClusterAddOns;

/** Deletes an MCA; already gone is fine. */
export async function deleteMca(clients: KubeClients, namespace: string, name: string): Promise<void> {
  try {
    await clients.custom.deleteNamespacedCustomObject({ group: mca.group, version: mca.version, plural: mca.plural, namespace, name });
  } catch (err) {
    if (!isNotFound(err)) throw classifyKubeError(err);
  }
}

export const isDeleting = (o: { metadata?: { deletionTimestamp?: unknown } }): boolean => Boolean(o.metadata?.deletionTimestamp);
export const labelsOf = (o: { metadata?: { labels?: Record<string, string> } }): Record<string, string> => o.metadata?.labels ?? {};
