import { readFile, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, isAddressInUse } from "./ports.js";
import { pidAlive, readTail, spawnProcess, stopPid } from "./processes.js";
import { harnessRunId, HARNESS_RUN_ENV } from "./run.js";
import { makeTempDir, removeDir, tempDirPrefix } from "./tmp.js";

// ignores SIGTERM, has no children of its own to orphan
const STUBBORN = "process.on('SIGTERM', () => {}); console.log('trapped'); setInterval(() => {}, 1000);";

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

  it("escalates to SIGKILL after the grace", async () => {
    const logFile = join(dir, "stubborn.log");
    const proc = await spawnProcess({ name: "stubborn", command: process.execPath, args: ["-e", STUBBORN], logFile });
    for (let i = 0; i < 100 && !(await readFile(logFile, "utf8")).includes("trapped"); i++) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    expect((await proc.stop(300)).signal).toBe("SIGKILL");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it("rejects a missing binary", async () => {
    await expect(spawnProcess({ name: "nope", command: "/nonexistent/bin", args: [], logFile: join(dir, "nope.log") })).rejects.toThrow(/cannot start/);
  });
});

describe("stopPid", () => {
  it("stops a pid it did not spawn and reports a missing one", async () => {
    const proc = await spawnProcess({ name: "sleep", command: "sleep", args: ["30"], logFile: join(dir, "sleep2.log") });
    expect(await stopPid(proc.pid, 1000)).toBe(true);
    await proc.exited;
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
