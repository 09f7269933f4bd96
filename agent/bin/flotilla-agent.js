#!/usr/bin/env -S node --max-semi-space-size=1
// The agent's lean entry point. Committed (not built) so that npm links it at install time and it keeps
// its run bit across rebuilds. It runs the bundle `npm run build` makes (dist/bundle/flotilla-agent.mjs:
// one file, far less memory than dist/ loaded module by module; agent/README.md, "Memory"), and falls
// back to dist/main.js, saying so, when only `tsc` has run.
// The V8 flags on the first line are part of the entry: they apply when this file is run as a program
// (the image, npm's bin link); whoever starts it as `node <this file>` passes them itself, as the dev
// fleet does (test/src/fleet/cli-path.ts reads them from this line). V8 reads them only at start-up.
const BUNDLE = "../dist/bundle/flotilla-agent.mjs";
const UNBUNDLED = "../dist/main.js";

const notFound = (err, file) => err?.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes(file.slice(3));

let agent;
try {
  agent = await import(BUNDLE);
} catch (err) {
  if (!notFound(err, BUNDLE)) throw err;
  try {
    agent = await import(UNBUNDLED);
  } catch (err2) {
    if (!notFound(err2, UNBUNDLED)) throw err2;
    process.stderr.write("flotilla-agent: the agent is not built yet; run `npm run build` in the repository first\n");
    process.exit(1);
  }
  process.stderr.write(
    "flotilla-agent: no bundle (agent/dist/bundle/flotilla-agent.mjs); running the unbundled agent from dist/, " +
      "which takes about 30 MiB more memory. `npm run build` makes the bundle.\n",
  );
}
process.exit(await agent.main(process.argv.slice(2), "flotilla-agent"));
