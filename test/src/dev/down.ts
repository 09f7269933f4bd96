import { readFile, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { stopPid } from "../harness/processes.js";
import { devFiles } from "./files.js";

/** Longest wait for a detached fleet to stop by itself (it needs ~10 s) before it is killed. */
const DOWN_GRACE_MS = 30_000;

/** `flotilla dev down`: stops a fleet started with `dev up --detach` (SIGTERM, then it stops in order). */
export async function devDown(o: { dir: string }): Promise<void> {
  const dir = resolve(o.dir);
  const f = devFiles(dir);
  const pidText = await readFile(f.pid, "utf8").catch(() => undefined);
  if (!pidText) throw new Error(`no dev fleet is running from ${dir} (${f.pid} not found)`);
  const pid = Number(pidText.trim());
  process.stderr.write(`stopping the dev fleet (pid ${pid})...\n`);
  await stopPid(pid, DOWN_GRACE_MS);
  await rm(f.pid, { force: true });
  process.stderr.write("dev fleet stopped\n");
}
