import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Path of the built `flotilla` CLI (hub/dist/cli/main.js). The fleet runs the hub and agents as real
 * processes of the real binary; this package does not import the hub (the hub imports this package).
 */
export function flotillaCliPath(): string {
  const fromEnv = process.env.FLOTILLA_CLI;
  if (fromEnv) return fromEnv;
  // test/dist/fleet/cli-path.js and test/src/fleet/cli-path.ts both sit three levels below the root
  const path = fileURLToPath(new URL("../../../hub/dist/cli/main.js", import.meta.url));
  if (!existsSync(path)) throw new Error(`the flotilla CLI is not built (${path} is missing): run npm run build`);
  return path;
}
