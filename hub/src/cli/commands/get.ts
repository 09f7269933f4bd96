import { Command, Option } from "commander";
import { stringify } from "yaml";
import {
  findCondition,
  loadKubeConfig,
  makeClients,
  resources,
  type ClusterManagementAddOn,
  type ManagedCluster,
} from "@flotilla/shared";
import { envOption } from "../options.js";
import { formatAge, formatTable } from "../table.js";

type Output = "table" | "json" | "yaml";

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

export function getCommand(): Command {
  const cmd = new Command("get").description("List managed clusters or addons on the hub");
  const common = (c: Command) =>
    c
      .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster"))
      .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json", "yaml"]).default("table"));

  cmd.addCommand(
    common(new Command("clusters").alias("cluster").argument("[name]", "one cluster").description("List ManagedClusters with their conditions"))
      .action(async (name: string | undefined, o: { kubeconfig?: string; output: Output }) => {
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
      }),
  );
  cmd.addCommand(
    common(new Command("addons").alias("addon").argument("[name]", "one addon").description("List ClusterManagementAddOns with their rollout summary"))
      .action(async (name: string | undefined, o: { kubeconfig?: string; output: Output }) => {
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
      }),
  );
  return cmd;
}
