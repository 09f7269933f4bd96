#!/usr/bin/env node
// The `flotilla` CLI (also `kubectl-flotilla`). Committed (not built) so that npm links it at install
// time and it keeps its run bit across rebuilds; it loads the built CLI from dist/.
let cli;
try {
  cli = await import("../dist/cli/main.js");
} catch (err) {
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes("dist/cli/main.js")) throw err;
  process.stderr.write("flotilla: the CLI is not built yet; run `npm run build` in the repository first\n");
  process.exit(1);
}
process.exit(await cli.main(process.argv));
