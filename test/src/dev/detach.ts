import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { FleetFile } from "../fleet/fleet-file.js";
import { readTail } from "../harness/processes.js";
import { devFiles } from "./files.js";
import { kubectlCommand, usage } from "./usage.js";

/** Copies the build script's progress lines from the daemon's log to stderr; returns the offset read to. */
async function echoBuildProgress(logFile: string, from: number): Promise<number> {
  const text = await readFile(logFile, "utf8").catch(() => "");
  const end = text.lastIndexOf("\n") + 1;
  if (end <= from) return from;
  for (const line of text.slice(from, end).split("\n")) {
    if (line.startsWith("[flotilla build") || line.startsWith("flotilla: another process is building")) process.stderr.write(line + "\n");
  }
  return end;
}

/** Re-runs `dev up` in the foreground as a detached daemon, waits for its ready file, prints usage. */
export async function detach(dir: string, o: { clusters: number; sample: boolean; logLevel: string; cli: string }): Promise<void> {
  const f = devFiles(dir);
  await mkdir(dir, { recursive: true });
  await rm(f.ready, { force: true });
  const fd = openSync(f.log, "a");
  const args = [o.cli, "dev", "up", "--dir", dir, "--clusters", String(o.clusters), "--log-level", o.logLevel, ...(o.sample ? [] : ["--no-sample"])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", fd, fd], cwd: dirname(dir) });
  closeSync(fd);
  child.unref();
  process.stderr.write(`starting the dev fleet in the background (log: ${f.log}); the first run builds the control-plane binaries...\n`);
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  let shown = 0;
  for (;;) {
    shown = await echoBuildProgress(f.log, shown);
    if (existsSync(f.ready)) break;
    if (exited !== undefined) throw new Error(`dev fleet failed to start (exit ${exited}):\n${await readTail(f.log, 30)}`);
    await sleep(250);
  }
  const file = JSON.parse(await readFile(f.fleet, "utf8")) as FleetFile;
  process.stdout.write(usage(dir, file, o.sample, await kubectlCommand()));
  process.stdout.write(`Stop it with: npx flotilla dev down --dir ${dir}\n`);
}
