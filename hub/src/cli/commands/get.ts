import { Command, Option } from "commander";
import { envOption } from "../options.js";
import type { GetOptions } from "../actions/get.js";

const HELP = `
Output: a table (-o wide adds, for clusters, the agent's version, when the hub last recorded it
(refreshed every few minutes; AVAILABLE is the live presence) and the labels; for addons the rollout
strategy, phase, canary step, current revision and unreachable clusters), or -o json|yaml.
With -w/--watch it prints the table, then a row each time an object changes what its row shows (or is
deleted), like kubectl get -w, until interrupted; with -o json|yaml, each changed object.`;

export function getCommand(): Command {
  const cmd = new Command("get").description("List managed clusters or addons on the hub");
  const common = (c: Command) =>
    c
      .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster (default: KUBECONFIG or in-cluster)"))
      .addOption(new Option("-o, --output <format>", "output format").choices(["table", "wide", "json", "yaml"]).default("table"))
      .addOption(new Option("-w, --watch", "after listing, print each change until interrupted"))
      .addHelpText("after", HELP);

  cmd.addCommand(
    common(new Command("clusters").alias("cluster").argument("[cluster]", "one cluster").description("List ManagedClusters with their conditions"))
      .action(async (name: string | undefined, o: GetOptions) => (await import("../actions/get.js")).getClusters(name, o)),
  );
  cmd.addCommand(
    common(new Command("addons").alias("addon").argument("[addon]", "one addon").description("List ClusterManagementAddOns with their rollout summary"))
      .action(async (name: string | undefined, o: GetOptions) => (await import("../actions/get.js")).getAddons(name, o)),
  );
  return cmd;
}
