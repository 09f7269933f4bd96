// The agent's lean entry as it ran before the bundle (agent/dist/main.js loaded module by module, no
// Node flags): the comparison the agent-idle benchmark measures the bin against, in the same run.
import { main } from "@flotilla/agent/main";

process.exit(await main(process.argv.slice(2), "flotilla-agent"));
