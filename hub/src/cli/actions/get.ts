import { stringify } from "yaml";
import {
  findCondition,
  loadKubeConfig,
  makeClients,
  resources,
  type ClusterManagementAddOn,
  type ManagedCluster,
} from "@flotilla/shared";
import { formatAge, formatTable } from "../table.js";

export type Output = "table" | "json" | "yaml";

function print(items: object[], output: Output, table: () => string): void {
  if (output === "json") process.stdout.write(JSON.stringify({ items }, null, 2) + "\n");
  else if (output === "yaml") process.stdout.write(stringify({ items }));
  else process.stdout.write(items.length ? table() : "No resources found.\n");
}

/** One named object, or all of them, of a cluster-scoped Flotilla resource on the hub. */
async function fetchItems<T>(kubeconfig: string | undefined, r: { group: string; version: string; plural: string }, name: string | undefined): Promise<T[]> {
  const { custom } = makeClients(loadKubeConfig(kubeconfig));
  const ref = { group: r.group, version: r.version, plural: r.plural };
  if (name) return [(await custom.getClusterCustomObject({ ...ref, name })) as T];
  return ((await custom.listClusterCustomObject(ref)) as { items: T[] }).items;
}

const cond = (conds: { type: string; status: string }[] | undefined, type: string) => findCondition(conds, type)?.status ?? "";

export interface GetOptions {
  kubeconfig?: string;
  output: Output;
}

/** `flotilla get clusters [NAME]`: ManagedClusters with their conditions. */
export async function getClusters(name: string | undefined, o: GetOptions): Promise<void> {
  const items = await fetchItems<ManagedCluster>(o.kubeconfig, resources.managedClusters, name);
  const now = new Date();
  print(items, o.output, () =>
    formatTable(
      ["name", "accepted", "joined", "available", "kubernetes", "age"],
      items.map((c) => [
        c.metadata?.name ?? "",
        String(c.spec?.hubAcceptsClient ?? false),
        cond(c.status?.conditions, "Joined"),
        cond(c.status?.conditions, "Available"),
        c.status?.kubernetesVersion ?? "",
        formatAge(c.metadata?.creationTimestamp, now),
      ]),
    ),
  );
}

/** `flotilla get addons [NAME]`: ClusterManagementAddOns with their rollout summary. */
export async function getAddons(name: string | undefined, o: GetOptions): Promise<void> {
  const items = await fetchItems<ClusterManagementAddOn>(o.kubeconfig, resources.clusterManagementAddOns, name);
  const now = new Date();
  print(items, o.output, () =>
    formatTable(
      ["name", "desired", "updated", "available", "failed", "revision", "age"],
      items.map((a) => {
        const s = a.status?.summary;
        return [
          a.metadata?.name ?? "",
          String(s?.desired ?? 0),
          String(s?.updated ?? 0),
          String(s?.available ?? 0),
          String(s?.failed ?? 0),
          a.status?.updateRevision ?? "",
          formatAge(a.metadata?.creationTimestamp, now),
        ];
      }),
    ),
  );
}
