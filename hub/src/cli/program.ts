import { Command } from "commander";
import { agentCommand } from "./commands/agent.js";
import { devCommand } from "./commands/dev.js";
import { getCommand } from "./commands/get.js";
import { hubCommand } from "./commands/hub.js";
import { FLOTILLA_VERSION } from "./version.js";

export function buildProgram(): Command {
  const program = new Command("flotilla")
    .description("Flotilla: multi-cluster addon manager for Kubernetes (hub, agent, dev fleet and admin commands).\nEvery flag can also be set through a FLOTILLA_* environment variable (e.g. --nats-creds ← FLOTILLA_NATS_CREDS).")
    .version(FLOTILLA_VERSION)
    .showHelpAfterError();
  program.addCommand(hubCommand());
  program.addCommand(agentCommand());
  program.addCommand(devCommand());
  program.addCommand(getCommand());
  return program;
}
