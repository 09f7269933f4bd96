import { existsSync } from "node:fs";
import { join } from "node:path";
import { ensureBinaries } from "../harness/binaries.js";
import type { FleetFile } from "../fleet/fleet-file.js";

/** `kubectl` when it is on PATH, else the one built with the control-plane binaries. */
export async function kubectlCommand(): Promise<string> {
  const onPath = (process.env.PATH ?? "").split(":").some((d) => d && existsSync(join(d, "kubectl")));
  if (onPath) return "kubectl";
  return (await ensureBinaries()).kubectl ?? "kubectl";
}

/** What `dev up` prints once the fleet is ready. Pure. */
export function usage(dir: string, file: FleetFile, sample: boolean, kubectl: string): string {
  const lines = [
    "",
    `Flotilla dev fleet is up (${file.clusters.length} managed cluster${file.clusters.length === 1 ? "" : "s"}). State and logs: ${dir}`,
    `  fleet:    ${join(dir, "fleet.json")}`,
    `  NATS:     ${file.nats.url}${file.nats.creds ? ` (per-cluster credentials; the hub's: ${file.nats.creds})` : ""}`,
    `  hub:      export KUBECONFIG=${file.hub.kubeconfig}`,
    ...file.clusters.map((c) => `  ${c.name.padEnd(9)} ${kubectl} --kubeconfig ${c.kubeconfig} get appliedaddons`),
    "",
    "Try:",
    `  ${kubectl} --kubeconfig ${file.hub.kubeconfig} get managedclusters,clustermanagementaddons`,
    `  ${kubectl} --kubeconfig ${file.hub.kubeconfig} get managedclusteraddons -A`,
    `  npx flotilla get addons --kubeconfig ${file.hub.kubeconfig}`,
    ...(sample ? [`  ${kubectl} --kubeconfig ${file.clusters[0]?.kubeconfig ?? ""} -n hello-fleet get configmap hello-config -o yaml`] : []),
    "",
  ];
  return lines.join("\n") + "\n";
}
