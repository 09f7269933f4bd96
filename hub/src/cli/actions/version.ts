import { stringify } from "yaml";
import { classifyKubeError, isNotFound, loadKubeConfig, makeClients, resources, type KubeClients, type ManagedCluster } from "@flotilla/shared";
import { HUB_VERSION_ANNOTATION } from "../../api/names.js";
import { HUB_LEASE_NAME } from "../../options.js";
import { FLOTILLA_VERSION } from "../version.js";
import { agentVersions, formatVersion, hubVersion, type VersionReport } from "../version-report.js";

export interface VersionOptions {
  kubeconfig?: string;
  namespace: string;
  client: boolean;
  output: "text" | "json" | "yaml";
}

async function readHub(clients: KubeClients, namespace: string): Promise<Required<Omit<VersionReport, "clientVersion">>> {
  const MC = resources.managedClusters;
  const [lease, clusters] = await Promise.all([
    clients.coordination.readNamespacedLease({ namespace, name: HUB_LEASE_NAME }).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    }),
    clients.custom.listClusterCustomObject({ group: MC.group, version: MC.version, plural: MC.plural }) as Promise<{ items: ManagedCluster[] }>,
  ]);
  return {
    hub: hubVersion(`${namespace}/${HUB_LEASE_NAME}`, lease && { holderIdentity: lease.spec?.holderIdentity, version: lease.metadata?.annotations?.[HUB_VERSION_ANNOTATION] }),
    agents: agentVersions(clusters.items),
  };
}

function print(report: VersionReport, output: VersionOptions["output"]): void {
  process.stdout.write(output === "json" ? JSON.stringify(report, null, 2) + "\n" : output === "yaml" ? stringify(report) : formatVersion(report));
}

/**
 * `flotilla version`: this CLI's version, the hub's and each cluster's agent's, read with the kubeconfig
 * only. When the hub cluster cannot be read the client's version is still printed, then the error
 * (thrown: exit 1), as `kubectl version` does.
 */
export async function version(o: VersionOptions): Promise<void> {
  const client = { clientVersion: FLOTILLA_VERSION };
  if (o.client) return print(client, o.output);
  let hub: Awaited<ReturnType<typeof readHub>>;
  try {
    hub = await readHub(makeClients(loadKubeConfig(o.kubeconfig)), o.namespace);
  } catch (err) {
    if (o.output === "text") print(client, o.output);
    throw classifyKubeError(err);
  }
  print({ ...client, ...hub }, o.output);
}
