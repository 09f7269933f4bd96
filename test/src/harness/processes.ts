import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { systemClock, type Clock } from "@flotilla/shared";
import { ProcessStartError } from "./errors.js";
import { HARNESS_RUN_ENV, harnessRunId } from "./run.js";

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Short name for messages, e.g. "etcd". */
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  cwd?: string;
  /** Added to the parent's environment; `FLOTILLA_HARNESS_RUN` is always set on top. */
  env?: NodeJS.ProcessEnv;
  /**
   * Do not keep this Node process alive for it, so it can outlive the caller (`flotilla dev up
   * --detach`); stop it later with `stopPid`.
   */
  detached?: boolean;
  /** Times the stop grace (default: the real clock; tests pass fake timers through it). */
  clock?: Clock;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** The exit, once it happened. */
  exitStatus(): ProcessExit | undefined;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5000); resolves once the process is gone. */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** SIGKILL at once, as a crash would end it (no shutdown of its own); resolves once it is gone. */
  kill(): Promise<ProcessExit>;
}

export const DEFAULT_STOP_GRACE_MS = 5000;

/** Spawns a process that carries the harness run id, with its output in `logFile`. */
export async function spawnProcess(options: SpawnOptions): Promise<ManagedProcess> {
  const clock = options.clock ?? systemClock;
  const fd = openSync(options.logFile, "a");
  let child;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, [HARNESS_RUN_ENV]: harnessRunId() },
      stdio: ["ignore", fd, fd],
      // Always its own process group: a terminal's Ctrl-C goes to the foreground group only, so the
      // child hears only its parent, which stops everything in order (DESIGN §8).
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (err) =>
      reject(new ProcessStartError(`${options.name}: cannot start ${options.command}: ${err.message}`, { cause: err })),
    );
  });
  const pid = child.pid;
  if (pid === undefined) throw new ProcessStartError(`${options.name}: no pid after spawn`);
  if (options.detached === true) child.unref();

  let status: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("exit", (code, signal) => {
      status = { code, signal };
      resolve(status);
    });
  });

  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    exitStatus: () => status,
    async stop(graceMs = DEFAULT_STOP_GRACE_MS) {
      if (status) return status;
      signalGroup(pid, "SIGTERM");
      let timer: { cancel(): void } | undefined;
      const late = new Promise<"timeout">((resolve) => (timer = clock.setTimer(() => resolve("timeout"), graceMs)));
      if ((await Promise.race([exited, late])) === "timeout") signalGroup(pid, "SIGKILL");
      timer?.cancel();
      return exited;
    },
    async kill() {
      if (!status) signalGroup(pid, "SIGKILL");
      return exited;
    },
  };
}

/** Whether a process with this pid is running; a zombie (exited, not yet reaped) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    // no procfs (or it vanished just now): trust kill(0)
    return process.platform !== "linux";
  }
}

/**
 * Stops a process that is not (or no longer) our child, e.g. one left by `dev up --detach`: SIGTERM,
 * SIGKILL after `graceMs`, then waits until the pid is gone. Returns false if it was not running.
 */
export async function stopPid(pid: number, graceMs = DEFAULT_STOP_GRACE_MS, clock: Clock = systemClock): Promise<boolean> {
  if (!signal(pid, "SIGTERM")) return false;
  const deadline = clock.now() + graceMs;
  while (pidAlive(pid) && clock.now() < deadline) await clock.sleep(50);
  if (pidAlive(pid)) signal(pid, "SIGKILL");
  const killDeadline = clock.now() + 10_000;
  while (pidAlive(pid) && clock.now() < killDeadline) await clock.sleep(20);
  return true;
}

/** Signals the process group led by `pid` (every harness process leads its own), else the process. */
function signalGroup(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return signal(pid, sig);
  }
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** The last `maxLines` lines of a (log) file, at most the last 64 KiB; "" if it does not exist. */
export async function readTail(file: string, maxLines = 40): Promise<string> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch {
    return "";
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString("utf8").split("\n").slice(-maxLines - 1).join("\n").trimEnd();
  } finally {
    await handle.close();
  }
}
