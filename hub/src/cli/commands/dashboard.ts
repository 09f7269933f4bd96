import { Command } from "commander";
import { envOption } from "../options.js";
import type { DashboardCommandOptions } from "../actions/dashboard.js";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be 0-65535, got ${JSON.stringify(value)}`);
  return n;
}

const HELP = `
Serves a web dashboard on loopback until interrupted and prints its URL: the fleet (clusters by
condition, addons by rollout phase), each addon's rollout step by step with every cluster's state,
live (Kubernetes watches pushed to the page), its revision history with a diff between two revisions,
and the buttons promote, pause, resume and undo. It acts with your kubeconfig's current context, so
your RBAC decides what you see and do; a refusal is shown on the page. Writes are accepted only from
its own page (Origin and a token the page is served with).`;

/** `flotilla dashboard [--kubeconfig FILE] [--port N] [--address 127.0.0.1]`. */
export function dashboardCommand(): Command {
  return new Command("dashboard")
    .description("Serve a web dashboard of the fleet and its rollouts on loopback, with your own credentials")
    .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster, current context (default: KUBECONFIG or ~/.kube/config)"))
    .addOption(envOption("--port <n>", "port to listen on; 0 picks a free one").default(0).argParser(port))
    .addOption(envOption("--address <ip>", "loopback address to listen on (127.0.0.1, ::1)").default("127.0.0.1"))
    .addOption(envOption("--log-level <level>", "log level of warnings on stderr (watch failures)").default("warn"))
    .addHelpText("after", HELP)
    .action(async (o: DashboardCommandOptions) => (await import("../actions/dashboard.js")).runDashboard(o));
}
