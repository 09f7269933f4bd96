import { Command } from "commander";

/**
 * `flotilla agent …` hands its arguments to the agent's own entry point (the one its image runs), so the
 * agent's flags, help and environment variables have one definition, and the agent is loaded only now.
 */
export function agentCommand(): Command {
  return new Command("agent")
    .description("Run the agent in a managed cluster (flags: flotilla agent --help)")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument("[flags...]", "the agent's flags")
    .action(async (flags: string[], _o: unknown, cmd: Command) => {
      const { main } = await importAgent();
      // "kubectl flotilla agent" when run as the plugin
      process.exitCode = await main(flags, `${cmd.parent?.name() ?? "flotilla"} agent`);
    });
}

async function importAgent(): Promise<typeof import("@flotilla/agent/main")> {
  try {
    return await import("@flotilla/agent/main");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && String((err as Error).message).includes("@flotilla/agent")) {
      throw new Error("the agent is not installed beside this CLI (@flotilla/agent); use the flotilla-agent image or a source checkout", { cause: err });
    }
    throw err;
  }
}
