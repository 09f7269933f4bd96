import { Command, Option } from "commander";
import { envOption } from "../options.js";

const HELP = `
The hub's version is read from its leader Lease (<namespace>/flotilla-hub, annotation
flotilla.dev/hub-version, written by the leader at every renew), the agents' from each ManagedCluster's
status.agent.version (what the agent last reported). Needs only the kubeconfig: get on that Lease and
list on managedclusters. Exits 1, after printing the client's version, when the hub cluster cannot be read.`;

/** `flotilla version [-o json|yaml] [--client]`. */
export function versionCommand(): Command {
  return new Command("version")
    .description("Print the versions of this CLI, the hub and the agent of each managed cluster")
    .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster (default: KUBECONFIG or in-cluster)"))
    .addOption(envOption("--namespace <name>", "the hub's namespace (where its leader Lease is)").default("flotilla-system"))
    .addOption(new Option("--client", "print the CLI's version only (no hub needed)"))
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json", "yaml"]).default("text"))
    .addHelpText("after", HELP)
    .action(async (o: { kubeconfig?: string; namespace: string; client?: boolean; output: "text" | "json" | "yaml" }) =>
      (await import("../actions/version.js")).version({ ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), namespace: o.namespace, client: o.client === true, output: o.output }));
}
