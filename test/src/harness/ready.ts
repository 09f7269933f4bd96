import { setTimeout as sleep } from "node:timers/promises";
import { ProcessStartError, ReadinessTimeoutError } from "./errors.js";
import { readTail, spawnProcess, type ManagedProcess, type SpawnOptions } from "./processes.js";

export interface WaitOptions {
  /** What is awaited, for messages: "kube-apiserver /readyz". */
  what: string;
  /** True when ready; a throw counts as not ready yet (the last one is reported on timeout). */
  check: () => Promise<boolean>;
  timeoutMs: number;
  intervalMs: number;
  /** When given, its early exit fails the wait at once, and errors carry the tail of its log. */
  process?: ManagedProcess;
}

/** Polls `check` until it passes; fails fast if `process` exits. */
export async function waitUntilReady(options: WaitOptions): Promise<void> {
  const { what, check, timeoutMs, intervalMs, process: proc } = options;
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    const exit = proc?.exitStatus();
    if (proc && exit) {
      const tail = await readTail(proc.logFile);
      throw new ProcessStartError(
        `${proc.name} exited (code ${exit.code}, signal ${exit.signal}) before ${what} passed; last lines of ${proc.logFile}:\n${tail}`,
      );
    }
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() - started >= timeoutMs) {
      const tail = proc ? `; last lines of ${proc.logFile}:\n${await readTail(proc.logFile)}` : "";
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new ReadinessTimeoutError(`${what} not ready after ${timeoutMs} ms${last}${tail}`, { cause: lastError });
    }
    await (proc ? Promise.race([sleep(intervalMs), proc.exited]) : sleep(intervalMs));
  }
}

/** Spawns a process and waits until `check` passes; stops it again if it never gets ready. */
export async function spawnUntilReady(spawn: SpawnOptions, wait: Omit<WaitOptions, "process">): Promise<ManagedProcess> {
  const proc = await spawnProcess(spawn);
  try {
    await waitUntilReady({ ...wait, process: proc });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}
