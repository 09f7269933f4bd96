import { spawn } from "node:child_process";
import { delimiter, join } from "node:path";
import { isExecutable } from "./binaries.js";
import { BinaryNotFoundError } from "./errors.js";

/** How Debian's browser is installed; the error names it when the harness may not run it itself. */
export const CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium";

export interface ChromiumWhere {
  /** TEST_ASSET_CHROMIUM. */
  fromEnv: string | undefined;
  /** `chromium` found on PATH. */
  onPath: string | undefined;
  /** Running as root with apt-get there. */
  canInstall: boolean;
}

export type ChromiumChoice = { use: string } | { install: true } | { fail: string };

/** Which Chromium to use, or to install it, or why not. Pure. */
export function chooseChromium(w: ChromiumWhere): ChromiumChoice {
  if (w.fromEnv) return { use: w.fromEnv };
  if (w.onPath) return { use: w.onPath };
  if (w.canInstall) return { install: true };
  return { fail: `no Chromium for the browser tests: set TEST_ASSET_CHROMIUM to its binary, or install Debian's package as root: ${CHROMIUM_INSTALL}` };
}

/** The first executable `name` on PATH. */
export function onPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  return path.split(delimiter).filter(Boolean).map((d) => join(d, name)).find(isExecutable);
}

function runShown(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // progress shown: apt's output goes to this process's stderr as it comes
    const child = spawn("sh", ["-c", command], { stdio: ["ignore", process.stderr, process.stderr] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new BinaryNotFoundError(`${command} exited with ${code}`))));
  });
}

/**
 * The headless browser of the browser tests: TEST_ASSET_CHROMIUM, else `chromium` on PATH, else (as
 * root, with apt-get) Debian's `chromium` installed now, else a BinaryNotFoundError naming the install
 * line. Never a browser downloaded by a tool of its own.
 */
export async function ensureChromium(): Promise<string> {
  const fromEnv = process.env.TEST_ASSET_CHROMIUM;
  if (fromEnv && !isExecutable(fromEnv)) throw new BinaryNotFoundError(`TEST_ASSET_CHROMIUM=${fromEnv} is not an executable file`);
  const choice = chooseChromium({ fromEnv, onPath: onPath("chromium"), canInstall: process.getuid?.() === 0 && onPath("apt-get") !== undefined });
  if ("use" in choice) return choice.use;
  if ("fail" in choice) throw new BinaryNotFoundError(choice.fail);
  process.stderr.write(`chromium not found: installing Debian's package (${CHROMIUM_INSTALL})\n`);
  await runShown(`${CHROMIUM_INSTALL}`);
  const installed = onPath("chromium");
  if (!installed) throw new BinaryNotFoundError(`${CHROMIUM_INSTALL} finished but no chromium is on PATH`);
  return installed;
}
