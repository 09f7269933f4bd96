import { watch } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, isAddressInUse } from "./ports.js";
import { pidAlive, readTail, spawnProcess, stopPid } from "./processes.js";
import { harnessRunId, HARNESS_RUN_ENV } from "./run.js";
import { makeTempDir, removeDir, tempDirPrefix } from "./tmp.js";

// ignores SIGTERM (and says so), has no children of its own to orphan
const STUBBORN = "process.on('SIGTERM', () => console.log('ignored SIGTERM')); console.log('trapped'); setInterval(() => {}, 1000);";

/** Resolves once `file` contains `text`: woken by the file's changes, never by a timer. */
function untilLogged(file: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(file); // before the first read, so no write falls between the two
    const check = () =>
      readFile(file, "utf8").then(
        (log) => {
          if (!log.includes(text)) return;
          watcher.close();
          resolve();
        },
        (err: unknown) => {
          watcher.close();
          reject(err);
        },
      );
    watcher.on("change", () => void check());
    watcher.on("error", reject);
    void check();
  });
}

// The processes are real; the grace and poll timers of the code under test are fake, so no test here
// waits on the clock: each waits on what the process did (its exit, a line in its log), then moves the
// clock (processes.ts times through the shared Clock, which follows fake timers).
const fakeClock = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
afterEach(() => {
  vi.useRealTimers();
});

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir("unit");
});
afterAll(async () => {
  await removeDir(dir);
});

describe("spawnProcess", () => {
  it("passes the run id and writes output to the log file", async () => {
    const logFile = join(dir, "echo.log");
    const proc = await spawnProcess({ name: "echo", command: "sh", args: ["-c", `echo "run=$${HARNESS_RUN_ENV}"; echo err >&2`], logFile });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const log = await readFile(logFile, "utf8");
    expect(log).toContain(`run=${harnessRunId()}`);
    expect(log).toContain("err");
  });

  it("stops with SIGTERM", async () => {
    const proc = await spawnProcess({ name: "sleep", command: "sleep", args: ["30"], logFile: join(dir, "sleep.log") });
    expect(pidAlive(proc.pid)).toBe(true);
    expect(await proc.stop()).toEqual({ code: null, signal: "SIGTERM" });
    expect(pidAlive(proc.pid)).toBe(false);
    expect(await proc.stop()).toEqual({ code: null, signal: "SIGTERM" }); // idempotent
  });

  it("kills with SIGKILL at once, even a process that traps SIGTERM", async () => {
    const logFile = join(dir, "killed.log");
    const proc = await spawnProcess({ name: "stubborn", command: process.execPath, args: ["-e", STUBBORN], logFile });
    try {
      await untilLogged(logFile, "trapped");
      expect(await proc.kill()).toEqual({ code: null, signal: "SIGKILL" });
      expect(pidAlive(proc.pid)).toBe(false);
      expect(await proc.kill()).toEqual({ code: null, signal: "SIGKILL" }); // idempotent
    } finally {
      if (pidAlive(proc.pid)) process.kill(proc.pid, "SIGKILL");
    }
  });

  it("escalates to SIGKILL when the grace is over, not before", async () => {
    fakeClock();
    const logFile = join(dir, "stubborn.log");
    const proc = await spawnProcess({ name: "stubborn", command: process.execPath, args: ["-e", STUBBORN], logFile });
    try {
      await untilLogged(logFile, "trapped");
      let settled = false;
      const stopped = proc.stop(60_000).finally(() => (settled = true));
      await untilLogged(logFile, "ignored SIGTERM");
      expect(pidAlive(proc.pid)).toBe(true); // it heard SIGTERM and lives on: the grace is running
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(await stopped).toEqual({ code: null, signal: "SIGKILL" });
      expect(pidAlive(proc.pid)).toBe(false);
    } finally {
      if (pidAlive(proc.pid)) process.kill(proc.pid, "SIGKILL"); // a failed run leaves nothing behind
    }
  });

  it("rejects a missing binary", async () => {
    await expect(spawnProcess({ name: "nope", command: "/nonexistent/bin", args: [], logFile: join(dir, "nope.log") })).rejects.toThrow(/cannot start/);
  });
});

describe("stopPid", () => {
  it("stops a pid it did not spawn and reports a missing one", async () => {
    const proc = await spawnProcess({ name: "sleep", command: "sleep", args: ["30"], logFile: join(dir, "sleep2.log") });
    fakeClock();
    const stopped = stopPid(proc.pid, 1000);
    expect(await proc.exited).toEqual({ code: null, signal: "SIGTERM" });
    await vi.advanceTimersByTimeAsync(50); // its next look at the pid
    expect(await stopped).toBe(true);
    expect(pidAlive(proc.pid)).toBe(false);
    expect(await stopPid(proc.pid, 1000)).toBe(false);
  });
});

describe("readTail", () => {
  it("returns the last lines, or nothing for a missing file", async () => {
    const file = join(dir, "tail.txt");
    await writeFile(file, Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n") + "\n");
    expect((await readTail(file, 3)).split("\n")).toEqual(["line 97", "line 98", "line 99"]);
    expect(await readTail(join(dir, "missing"))).toBe("");
  });
});

describe("ports and temp dirs", () => {
  it("finds distinct free ports", async () => {
    const [a, b] = await Promise.all([freePort(), freePort()]);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });

  it.each([
    ["listen tcp 127.0.0.1:2379: bind: address already in use", true],
    ["Error: listen EADDRINUSE: address already in use", true],
    ["ready", false],
  ])("isAddressInUse(%j) → %s", (log, clash) => {
    expect(isAddressInUse(log)).toBe(clash);
  });

  it("names temp dirs flotilla-<runId>-<label>-", async () => {
    expect(basename(dir).startsWith(`${tempDirPrefix()}unit-`)).toBe(true);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});
