import { Command, Option } from "commander";
import { parseDuration } from "../../rollout/quantity.js";
import { envOption } from "../options.js";

const HELP = `
Shows what the addon's update revision (or --revision, a name or number from \`rollout history\`)
would change on one cluster. The bundle is the one published for the cluster when it is desired on
that revision, else rendered here from the hub's objects; the cluster's agent dry-runs it on its API
server (server-side apply, dryRun=All: nothing changes) and answers over NATS on flotilla.diff.<cluster>.
  + created   ~ changed (each field: path: before → after)   - pruned   ! refused by the API server
status, managedFields, resourceVersion, generation, uid and timestamps are not compared.
Exit codes (as kubectl diff):
  0  no differences
  1  differences
  2  an error: the addon, cluster or revision not found, NATS unreachable, no agent answering
     (stopped, or not connected) or no answer within --timeout, or an object the API server refuses`;

function duration(value: string): number {
  const ms = parseDuration(value, "0s");
  if (ms <= 0) throw new Error(`--timeout must be a positive duration, got ${JSON.stringify(value)}`);
  return ms;
}

/** `flotilla diff ADDON --cluster NAME`. Usage errors exit 2, like every other error of this command. */
export function diffCommand(): Command {
  return new Command("diff")
    .argument("<addon>")
    .description("Show what an addon revision would change on one cluster (dry run by its agent)")
    .addOption(envOption("--cluster <cluster>", "the managed cluster").makeOptionMandatory())
    .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster (default: KUBECONFIG or in-cluster)"))
    .addOption(envOption("--nats <url>", "NATS URL(s), comma-separated").makeOptionMandatory())
    .addOption(envOption("--nats-creds <file>", "NATS credentials file"))
    .addOption(new Option("--revision <revision>", "the revision to compare (name or number; default: the update revision)"))
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(new Option("--timeout <duration>", "how long to wait for the agent (Go duration)").default(30_000, "30s").argParser(duration))
    .addHelpText("after", HELP)
    // commander exits 1 on a usage error; here 1 means "differences". Help (0) goes on to exit 0.
    .exitOverride((err) => {
      if (err.exitCode !== 0) process.exit(2);
    })
    .action(async (addon: string, o: { cluster: string; kubeconfig?: string; nats: string; natsCreds?: string; revision?: string; output: "text" | "json"; timeout: number }) =>
      (await import("../actions/diff.js")).diff(addon, {
        cluster: o.cluster, nats: o.nats, output: o.output, timeoutMs: o.timeout,
        ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), ...(o.natsCreds ? { natsCreds: o.natsCreds } : {}), ...(o.revision ? { revision: o.revision } : {}),
      }));
}
