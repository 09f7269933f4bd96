import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { flotillaCliPath } from "../fleet/cli-path.js";
import type { Fleet } from "../fleet/fleet.js";
import { writeTokenKubeconfig } from "../harness/kubeconfig.js";
import { spawnProcess, type ManagedProcess } from "../harness/processes.js";
import { waitFor } from "./support.js";

export interface DashboardProcess {
  proc: ManagedProcess;
  url: string;
}

/** Runs `flotilla dashboard --kubeconfig FILE` (port 0) as its own process; resolves with the URL it printed. */
export async function startDashboard(dir: string, name: string, kubeconfig: string): Promise<DashboardProcess> {
  const proc = await spawnProcess({ name, command: process.execPath, args: [flotillaCliPath(), "dashboard", "--kubeconfig", kubeconfig], logFile: join(dir, `${name}.log`) });
  const url = await waitFor(`${name} to print its URL`, async () => {
    const st = proc.exitStatus();
    if (st) throw new Error(`${name} exited (${st.code ?? st.signal}): ${await readFile(proc.logFile, "utf8")}`);
    return /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(await readFile(proc.logFile, "utf8"))?.[1];
  }, 30_000);
  return { proc, url };
}

/**
 * A hub user who may read addons, their MCAs and revisions, and nothing else (not ManagedClusters, no
 * writes): a ServiceAccount with a ClusterRole to match, its kubeconfig written to `path`.
 */
export async function viewerKubeconfig(fleet: Fleet, path: string): Promise<string> {
  const kc = fleet.hubKubeConfig;
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const namespace = "default";
  const name = "addon-viewer";
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  await rbac.createClusterRole({ body: { metadata: { name }, rules: [{ apiGroups: ["addon.flotilla.dev"], resources: ["clustermanagementaddons", "managedclusteraddons", "addonrevisions"], verbs: ["get", "list", "watch"] }] } });
  await rbac.createClusterRoleBinding({ body: { metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name }, subjects: [{ kind: "ServiceAccount", name, namespace }] } });
  const token = (await core.createNamespacedServiceAccountToken({ name, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } })).status?.token ?? "";
  await writeTokenKubeconfig(path, { clusterName: fleet.hub.name, server: fleet.hub.url, caPem: fleet.hub.caPem, user: name, token });
  return path;
}
