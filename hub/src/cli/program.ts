import { Command } from "commander";
import { agentCommand } from "./commands/agent.js";
import { completeCommand, completionCommand } from "./commands/completion.js";
import { dashboardCommand } from "./commands/dashboard.js";
import { devCommand } from "./commands/dev.js";
import { diffCommand } from "./commands/diff.js";
import { getCommand } from "./commands/get.js";
import { hubCommand } from "./commands/hub.js";
import { natsCommand } from "./commands/nats.js";
import { rolloutCommand } from "./commands/rollout.js";
import { versionCommand } from "./commands/version.js";
import { FLOTILLA_VERSION } from "./version.js";

/**
 * The command tree. Only the definitions load here (commander and option parsers); each action
 * imports its part when it runs, so `flotilla get` loads no controllers, the hub never loads the test
 * harness, and `flotilla agent` loads only the agent. `name` is what help shows (`kubectl flotilla` for
 * the plugin, see program-name.ts).
 */
export function buildProgram(name = "flotilla"): Command {
  const program = new Command(name)
    .description("Flotilla: multi-cluster addon manager for Kubernetes (hub, agent, dev fleet and admin commands).\nEvery flag can also be set through a FLOTILLA_* environment variable (e.g. --nats-creds ← FLOTILLA_NATS_CREDS).")
    .version(FLOTILLA_VERSION)
    .enablePositionalOptions()
    .showHelpAfterError();
  program.addCommand(hubCommand());
  program.addCommand(agentCommand());
  program.addCommand(devCommand());
  program.addCommand(getCommand());
  program.addCommand(rolloutCommand());
  program.addCommand(diffCommand());
  program.addCommand(dashboardCommand());
  program.addCommand(natsCommand());
  program.addCommand(versionCommand());
  program.addCommand(completionCommand());
  program.addCommand(completeCommand(), { hidden: true });
  return program;
}
