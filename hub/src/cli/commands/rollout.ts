import { Command, Option } from "commander";
import { parseDuration } from "../../rollout/quantity.js";
import { envOption, positiveInt } from "../options.js";

const kubeconfig = () => envOption("--kubeconfig <file>", "kubeconfig of the hub cluster (default: KUBECONFIG or in-cluster)");
const actions = () => import("../actions/rollout.js");

function duration(name: string): (value: string) => number {
  return (value: string) => {
    const ms = parseDuration(value, "0s");
    if (ms <= 0) throw new Error(`${name} must be a positive duration, got ${JSON.stringify(value)}`);
    return ms;
  };
}

const STATUS_HELP = `
Exit codes:
  0  the rollout Succeeded
  1  it Failed, is RollingBack or RolledBack; with --watch: it Failed or RolledBack, or --timeout
     passed; also any error (the addon not found, the API server unreachable)
  3  it is still in progress (Pending, Progressing, Paused), or the hub has not yet acted on the
     addon's latest spec (status.observedGeneration < metadata.generation)
Without --watch it prints once. With --watch it follows the addon, its ManagedClusterAddOns and the
ManagedClusters, redraws on every change (in place on a terminal, as a new block otherwise) and exits
when the rollout ends.`;

const PROMOTE_HELP = `
Writes the approval into the addon's annotation addon.flotilla.dev/promote, a comma-separated list of
<revision>/<step> (or <revision>/* for every pause of the revision). GitOps users can commit the same
annotation instead, e.g.  addon.flotilla.dev/promote: "metrics-agent-81be330c2d/2".
Fails, saying what the rollout is doing, when no pause waits for approval.`;

/** `flotilla rollout status|promote|pause|resume|history|undo ADDON`. */
export function rolloutCommand(): Command {
  const cmd = new Command("rollout").description("Manage the rollout of an addon's revisions");
  cmd.addCommand(
    new Command("pause").argument("<addon>").description("Stop new clusters from starting on the update revision (in-flight ones finish)").addOption(kubeconfig())
      .action(async (addon: string, o: { kubeconfig?: string }) => (await actions()).setPaused(addon, true, o)),
  );
  cmd.addCommand(
    new Command("resume").argument("<addon>").description("Let a paused rollout go on").addOption(kubeconfig())
      .action(async (addon: string, o: { kubeconfig?: string }) => (await actions()).setPaused(addon, false, o)),
  );
  cmd.addCommand(
    new Command("history").argument("<addon>").description("List the addon's revisions, what became of each, and why each was made (kubernetes.io/change-cause)")
      .addOption(kubeconfig())
      .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json", "yaml"]).default("table"))
      .action(async (addon: string, o: { kubeconfig?: string; output: "table" | "json" | "yaml" }) => (await actions()).history(addon, o)),
  );
  cmd.addCommand(
    new Command("undo").argument("<addon>").description("Copy an earlier revision's content back into the addon (default: the one before the current)")
      .addOption(kubeconfig())
      .addOption(new Option("--to-revision <n>", "the revision number to go back to (see rollout history)").argParser(positiveInt("--to-revision")))
      .action(async (addon: string, o: { kubeconfig?: string; toRevision?: number }) => (await actions()).undo(addon, o)),
  );
  cmd.addCommand(
    new Command("status").argument("<addon>").description("Show the rollout of the addon's update revision: phase, each canary step with its progress, the summary")
      .addOption(kubeconfig())
      .addOption(new Option("-w, --watch", "redraw on every change (driven by watches) until the rollout ends"))
      .addOption(new Option("--timeout <duration>", "with --watch: give up after this long (Go duration: 90s, 10m, 1h); default: no limit").argParser(duration("--timeout")))
      .addHelpText("after", STATUS_HELP)
      .action(async (addon: string, o: { kubeconfig?: string; watch?: boolean; timeout?: number }) =>
        (await import("../actions/rollout-status.js")).status(addon, { ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), watch: o.watch === true, ...(o.timeout !== undefined ? { timeoutMs: o.timeout } : {}) })),
  );
  cmd.addCommand(
    new Command("promote").argument("<addon>").description("Approve the canary pause step the rollout waits at (or --step N of the update revision)")
      .addOption(kubeconfig())
      .addOption(new Option("--step <n>", "approve this pause step (1-based index in the canary's steps) of the update revision, waiting or not").argParser(positiveInt("--step")))
      .addHelpText("after", PROMOTE_HELP)
      .action(async (addon: string, o: { kubeconfig?: string; step?: number }) => (await actions()).promote(addon, o)),
  );
  return cmd;
}
