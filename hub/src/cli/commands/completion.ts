import { Argument, Command, Option } from "commander";
import { completionScript, SHELLS, type Shell } from "../completion/script.js";
import { completionTree } from "../completion/tree.js";
import { envOption, positiveNumber } from "../options.js";

const HELP = `
Prints a script that completes commands, flags, flag values, and the hub's addon and cluster names
(read with the kubeconfig on the line, or FLOTILLA_KUBECONFIG / KUBECONFIG; nothing when the hub
does not answer within a second or two). Install:
  bash  source <(flotilla completion bash)            # in ~/.bashrc
  zsh   source <(flotilla completion zsh)             # in ~/.zshrc, after compinit
  fish  flotilla completion fish | source             # or > ~/.config/fish/completions/flotilla.fish`;

/** `flotilla completion bash|zsh|fish`: the script, generated from this very command tree. */
export function completionCommand(): Command {
  return new Command("completion")
    .description("Print a shell completion script (bash, zsh or fish)")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .addHelpText("after", HELP)
    .action((shell: Shell, _o: unknown, cmd: Command) => {
      const root = cmd.parent ?? cmd;
      process.stdout.write(completionScript(shell, completionTree(root), root.name()));
    });
}

/**
 * `flotilla __complete addons|clusters`, hidden: the names the scripts complete, one a line. Prints
 * nothing (and exits 0) when the hub cannot be read within --timeout: a prompt is no place for errors.
 */
export function completeCommand(): Command {
  return new Command("__complete")
    .description("List addon or cluster names for shell completion")
    .addArgument(new Argument("<kind>").choices(["addons", "clusters"]))
    .addOption(envOption("--kubeconfig <file>", "kubeconfig of the hub cluster (default: KUBECONFIG or in-cluster)"))
    .addOption(new Option("--timeout <seconds>", "give up after this long").default(2, "2").argParser(positiveNumber("--timeout")))
    .action(async (kind: "addons" | "clusters", o: { kubeconfig?: string; timeout: number }) =>
      (await import("../actions/complete.js")).completeNames(kind, { ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), timeoutMs: o.timeout * 1000 }));
}
