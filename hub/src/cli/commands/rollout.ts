import { Command, Option } from "commander";
import { envOption, positiveInt } from "../options.js";

const kubeconfig = () => envOption("--kubeconfig <file>", "kubeconfig of the hub cluster (default: KUBECONFIG or in-cluster)");
const actions = () => import("../actions/rollout.js");

/**
 * A command of the CLI contract that is not built yet: it says so and fails, rather than be missing
 * (an "unknown command" would read as a typo) or pretend.
 */
function notBuiltYet(name: string, what: string, meanwhile: string): Command {
  return new Command(name).argument("<addon>").description(`${what} (not built yet)`).allowUnknownOption().allowExcessArguments()
    .action(() => {
      throw new Error(`flotilla rollout ${name} is not built yet: it comes with the rollout controller (Rolling and Canary); meanwhile ${meanwhile}`);
    });
}

/** `flotilla rollout pause|resume|history|undo ADDON`; `status` and `promote` say they are not built yet. */
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
  cmd.addCommand(notBuiltYet("status", "Show the rollout's steps and progress; exit non-zero when it failed", "see `flotilla get addons ADDON` and the CMA's status.rollout"));
  cmd.addCommand(notBuiltYet("promote", "Approve a canary pause step", "a Canary placement goes out like All, with nothing to promote"));
  return cmd;
}
