import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A path in the repository, from test/dist/fleet or test/src/fleet (both three levels below its root). */
export const repoRoot = (rel = ""): string => fileURLToPath(new URL(`../../../${rel}`, import.meta.url));

function built(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`the ${what} is not built (${path} is missing): run npm run build`);
  return path;
}

/**
 * Path of the `flotilla` CLI's entry (hub/bin/flotilla.js, which loads hub/dist). The fleet runs the
 * hub as a real process of the real binary; this package does not import the hub. `FLOTILLA_CLI`
 * points elsewhere (an installed copy).
 */
export function flotillaCliPath(): string {
  const fromEnv = process.env.FLOTILLA_CLI;
  if (fromEnv) return fromEnv;
  built(repoRoot("hub/dist/cli/main.js"), "flotilla CLI");
  return repoRoot("hub/bin/flotilla.js");
}

/**
 * Path of the agent's lean entry (agent/bin/flotilla-agent.js): what the agent image runs, so the dev
 * fleet's agents load only agent and shared code. `FLOTILLA_AGENT` points elsewhere.
 */
export function agentEntryPath(): string {
  const fromEnv = process.env.FLOTILLA_AGENT;
  if (fromEnv) return fromEnv;
  built(repoRoot("agent/dist/main.js"), "agent");
  return repoRoot("agent/bin/flotilla-agent.js");
}

/**
 * The Node flags the agent's entry runs with (from its `#!/usr/bin/env -S node ...` line), for starting
 * it as `node <flags> <entry>` with this process's Node, exactly as running the file itself would.
 */
export function agentNodeFlags(entry = agentEntryPath()): string[] {
  const first = readFileSync(entry, "utf8").split("\n", 1)[0] ?? "";
  const m = /^#!\S*env -S node\s+(.*)$/.exec(first);
  return m?.[1] ? m[1].trim().split(/\s+/) : [];
}
