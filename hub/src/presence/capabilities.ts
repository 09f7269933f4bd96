import type { ManagedCluster } from "../api/types.js";
import type { PresenceStore } from "./store.js";

/** What helm is told about a cluster: its version and served API versions, as its agent reported them. */
export function clusterCapabilities(presence: PresenceStore, mc: ManagedCluster | undefined, name: string): { kubeVersion: string | undefined; apiVersions: readonly string[] } {
  const info = presence.get(name)?.info;
  return { kubeVersion: info?.kubernetesVersion ?? mc?.status?.kubernetesVersion, apiVersions: info?.apiVersions ?? [] };
}
