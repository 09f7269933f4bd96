import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { classifyKubeError, isNotFound, type KubeClients } from "@flotilla/shared";
import type { ConfigCrd } from "../../configcrd/index.js";

const CRDS = { group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions" } as const;

/**
 * Reads and server-side applies CRDs as raw JSON through CustomObjectsApi: the typed apiextensions
 * models rename wire keys (`x-kubernetes-*`), so the CRD as read keeps them and the CRD as applied
 * loses none.
 */
export async function readCrd(clients: KubeClients, name: string): Promise<unknown> {
  try {
    return await clients.custom.getClusterCustomObject({ ...CRDS, name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw classifyKubeError(err);
  }
}

export async function applyCrd(clients: KubeClients, crd: ConfigCrd, fieldManager: string): Promise<void> {
  await clients.custom
    .patchClusterCustomObject({ ...CRDS, name: crd.metadata.name, body: crd, fieldManager, force: true }, setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply))
    .catch((err: unknown) => {
      throw classifyKubeError(err);
    });
}

/** True once the API server serves the CRD's versions (the Established condition). */
export function isEstablished(crd: unknown): boolean {
  const conds = (crd as { status?: { conditions?: { type?: string; status?: string }[] } } | undefined)?.status?.conditions;
  return conds?.some((c) => c.type === "Established" && c.status === "True") ?? false;
}
