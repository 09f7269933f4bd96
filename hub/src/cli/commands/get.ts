import { Command, Option } from "commander";
import { envOption } from "../options.js";
import type { GetOptions } from "../actions/get.js";

export function getCommand(): Command {
  const cmd = new Command("get").description("List managed clusters or addons on the hub");
  const common = (c: Command) =>
    c
      .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster"))
      .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json", "yaml"]).default("table"));

  cmd.addCommand(
    common(new Command("clusters").alias("cluster").argument("[name]", "one cluster").description("List ManagedClusters with their conditions"))
      .action(async (name: string | undefined, o: GetOptions) => (await import("../actions/get.js")).getClusters(name, o)),
  );
  cmd.addCommand(
    common(new Command("addons").alias("addon").argument("[name]", "one addon").description("List ClusterManagementAddOns with their rollout summary"))
      .action(async (name: string | undefined, o: GetOptions) => (await import("../actions/get.js")).getAddons(name, o)),
  );
  return cmd;
}
