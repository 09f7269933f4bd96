#!/usr/bin/env node
// The agent's lean entry point. Committed (not built) so that npm links it at install time and it keeps
// its run bit across rebuilds; it loads the built agent from dist/.
let agent;
try {
  agent = await import("../dist/main.js");
} catch (err) {
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes("dist/main.js")) throw err;
  process.stderr.write("flotilla-agent: the agent is not built yet; run `npm run build` in the repository first\n");
  process.exit(1);
}
process.exit(await agent.main(process.argv.slice(2), "flotilla-agent"));
