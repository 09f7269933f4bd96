import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HarnessLeakError } from "./errors.js";
import { stopPid } from "./processes.js";
import { HARNESS_RUN_ENV } from "./run.js";
import { removeDir, tempDirPrefix } from "./tmp.js";

/** What hygiene needs to know about a running process. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Resolved executable, when readable. */
  exe: string | undefined;
  /** Command line, space-joined, for messages. */
  command: string;
  /** Its `FLOTILLA_HARNESS_RUN`, if it has one. */
  runId: string | undefined;
}

export interface Self {
  pid: number;
  /** Resolved path of this Node binary. */
  execPath: string;
}

export interface Leaks {
  processes: ProcessInfo[];
  dirs: string[];
}

/**
 * Processes of run `runId` that should be gone. This process and its own Node children (the test
 * runner's workers, which inherit the run id from the environment) are not leaks; everything else
 * carrying the id is, including processes orphaned by a worker that died.
 */
export function findLeakedProcesses(processes: readonly ProcessInfo[], runId: string, self: Self): ProcessInfo[] {
  return processes.filter(
    (p) => p.runId === runId && p.pid !== self.pid && !(p.ppid === self.pid && p.exe === self.execPath),
  );
}

/** Entries of the temp dir that belong to run `runId` (`flotilla-<runId>-*`), as absolute paths. */
export function findLeakedDirs(entries: readonly string[], runId: string, dir: string): string[] {
  const prefix = tempDirPrefix(runId);
  return entries.filter((name) => name.startsWith(prefix)).map((name) => join(dir, name));
}

/** Parses `/proc/<pid>/environ` (NUL-separated) for the harness run id. */
export function runIdFromEnviron(environ: string): string | undefined {
  const prefix = `${HARNESS_RUN_ENV}=`;
  const entry = environ.split("\0").find((e) => e.startsWith(prefix));
  return entry?.slice(prefix.length);
}

/** Parent pid from `/proc/<pid>/stat` (the command name in parentheses may contain anything). */
export function ppidFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[1]);
}

/** All processes this user can inspect, from /proc (empty where there is no procfs). */
export function listProcesses(): ProcessInfo[] {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const name of pids) {
    const pid = Number(name);
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, "latin1");
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z") continue;
      out.push({
        pid,
        ppid: ppidFromStat(stat),
        exe: readExe(pid),
        command: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim(),
        runId: runIdFromEnviron(environ),
      });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

/** Finds what run `runId` left behind, kills and removes it, and returns what it found. */
export async function cleanUpRun(runId: string, options: { tmpDir?: string; self?: Self } = {}): Promise<Leaks> {
  const dir = options.tmpDir ?? tmpdir();
  const self = options.self ?? { pid: process.pid, execPath: realpathSync(process.execPath) };
  const processes = findLeakedProcesses(listProcesses(), runId, self);
  await Promise.all(processes.map((p) => stopPid(p.pid, 2000)));
  const dirs = findLeakedDirs(await readdir(dir).catch(() => []), runId, dir);
  await Promise.all(dirs.map((d) => removeDir(d)));
  return { processes, dirs };
}

/** A one-paragraph account of leaks, for the error that fails the run. */
export function describeLeaks(runId: string, leaks: Leaks): string {
  const lines = [
    ...leaks.processes.map((p) => `  process ${p.pid}: ${p.command.slice(0, 200)}`),
    ...leaks.dirs.map((d) => `  dir ${d}`),
  ];
  return `harness run ${runId} left ${leaks.processes.length} process(es) and ${leaks.dirs.length} temp dir(s) behind (now killed/removed); a test is missing a stop()/dispose():\n${lines.join("\n")}`;
}

/** Cleans up run `runId` and throws `HarnessLeakError` if anything was left. */
export async function assertRunClean(runId: string, options: { tmpDir?: string; self?: Self } = {}): Promise<void> {
  const leaks = await cleanUpRun(runId, options);
  if (leaks.processes.length > 0 || leaks.dirs.length > 0) throw new HarnessLeakError(describeLeaks(runId, leaks));
}

function readExe(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}
