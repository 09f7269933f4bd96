import { afterEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import { runUntilSignal, signalAction, stopWithin } from "./signals.js";
import { systemClock } from "../time/clock.js";

const logger = pino({ level: "silent" });

describe("signalAction", () => {
  it.each([
    [undefined, 0, "stop"],
    [1_000, 1_000, "ignore"],
    [1_000, 1_999, "ignore"],
    [1_000, 2_000, "force"],
    [1_000, 60_000, "force"],
  ] as const)("first at %s, now %i → %s", (firstAt, now, expected) => {
    expect(signalAction(firstAt, now)).toBe(expected);
  });
});

describe("stopWithin", () => {
  afterEach(() => vi.useRealTimers());

  it("returns true when stop finishes before the deadline", async () => {
    vi.useFakeTimers();
    const done = stopWithin(() => systemClock.sleep(100), 1_000, logger);
    await vi.advanceTimersByTimeAsync(100);
    await expect(done).resolves.toBe(true);
  });

  it("gives up at the deadline when stop hangs", async () => {
    vi.useFakeTimers();
    const done = stopWithin(() => new Promise<void>(() => {}), 1_000, logger);
    await vi.advanceTimersByTimeAsync(999);
    let settled = false;
    void done.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBe(false);
  });

  it("counts a failing stop as finished", async () => {
    await expect(stopWithin(() => Promise.reject(new Error("bus gone")), 1_000, logger)).resolves.toBe(true);
  });
});

describe("runUntilSignal", () => {
  it("starts, runs until SIGTERM, then stops", async () => {
    const steps: string[] = [];
    const done = runUntilSignal(
      async () => {
        steps.push("started");
        return { stop: async () => void steps.push("stopped") };
      },
      { logger, deadlineMs: 1_000, force: () => steps.push("forced") },
    );
    await vi.waitFor(() => expect(steps).toEqual(["started"]));
    process.emit("SIGTERM");
    await done;
    expect(steps).toEqual(["started", "stopped"]);
  });

  it("rejects when start fails, stopping nothing", async () => {
    await expect(runUntilSignal(() => Promise.reject(new Error("no kubeconfig")), { logger, deadlineMs: 1_000, force: () => {} })).rejects.toThrow("no kubeconfig");
  });
});
