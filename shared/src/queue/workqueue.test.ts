import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import { FlotillaError } from "../errors.js";
import { WorkQueue, type WorkQueueOptions } from "./workqueue.js";

const logger = pino({ level: "silent" });
const backoff = { baseMs: 100, maxMs: 1_000, jitter: 0 };
const queue = (o: Partial<WorkQueueOptions> & Pick<WorkQueueOptions, "reconcile">) => new WorkQueue({ name: "t", logger, backoff, ...o });

/** A reconcile that fails with the given errors in turn, then succeeds; records when it ran. */
function failing(errors: unknown[]) {
  const runs: number[] = [];
  const reconcile = async () => {
    runs.push(Date.now());
    const err = errors[runs.length - 1];
    if (err) throw err;
  };
  return { runs, reconcile, since: () => runs.map((t) => t - runs[0]!) };
}

describe("WorkQueue", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs a key once however often it is added while waiting", async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = queue({ concurrency: 1, reconcile: async (k) => { runs.push(k); if (k === "block") await gate; } });
    q.add("block");
    await vi.advanceTimersByTimeAsync(0);
    q.add("a"); q.add("a"); q.add("b"); q.add("a");
    expect(q.depth).toBe(2);
    release();
    await q.onIdle();
    expect(runs).toEqual(["block", "a", "b"]);
  });

  it("never runs a key twice at once, and reruns it if added while running", async () => {
    let running = 0, maxRunning = 0, runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = queue({ concurrency: 4, reconcile: async () => {
      running++; runs++; maxRunning = Math.max(maxRunning, running);
      if (runs === 1) await gate;
      running--;
    } });
    q.add("k");
    await vi.advanceTimersByTimeAsync(0);
    q.add("k"); q.add("k");
    release();
    await vi.advanceTimersByTimeAsync(0);
    await q.onIdle();
    expect(maxRunning).toBe(1);
    expect(runs).toBe(2);
  });

  it("backs off a Retryable (or unknown) failure per key with the shared policy", async () => {
    const f = failing([new Error("ECONNRESET"), new FlotillaError("Retryable", "503"), new Error("again")]);
    const q = queue({ reconcile: f.reconcile });
    q.add("k");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(f.since()).toEqual([0, 100, 300, 700]);
    await q.stop();
  });

  it("does not retry a Terminal or Invalid error, and counts it by code", async () => {
    const registry = new Registry();
    for (const code of ["Terminal", "Invalid"] as const) {
      const f = failing([new FlotillaError(code, "cannot ever work")]);
      const q = queue({ reconcile: f.reconcile, registry, name: code });
      q.add("k");
      await vi.advanceTimersByTimeAsync(60_000);
      expect(f.runs).toHaveLength(1);
      await q.stop();
    }
    const metric = await registry.getSingleMetric("flotilla_reconcile_errors_total")!.get();
    expect(metric.values.map((v) => v.labels)).toEqual([{ queue: "Terminal", code: "Terminal" }, { queue: "Invalid", code: "Invalid" }]);
  });

  it("requeues a Conflict at once, a few times in a row, then backs off", async () => {
    const conflict = new FlotillaError("Conflict", "the object has been modified");
    const f = failing([conflict, conflict, conflict, conflict, conflict]);
    const q = queue({ reconcile: f.reconcile, maxImmediateConflicts: 3 });
    q.add("k");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(f.since()).toEqual([0, 0, 0, 0, 100, 100]);
    await q.stop();
  });

  it("a success resets the backoff", async () => {
    let fail = true;
    const runs: number[] = [];
    const q = queue({ reconcile: async () => { runs.push(Date.now()); if (fail) throw new Error("down"); } });
    q.add("k");
    await vi.advanceTimersByTimeAsync(350); // runs at 0, 100, 300
    fail = false;
    await vi.advanceTimersByTimeAsync(1_000); // 700 succeeds
    fail = true;
    const t = Date.now();
    q.add("k");
    await vi.advanceTimersByTimeAsync(150);
    expect(runs.filter((r) => r >= t).map((r) => r - t)).toEqual([0, 100]);
    await q.stop();
  });

  it("honours requeueAfterMs and stop() cancels pending timers", async () => {
    let calls = 0;
    const q = queue({ reconcile: async () => { calls++; return { requeueAfterMs: 10 }; } });
    q.add("k");
    await vi.advanceTimersByTimeAsync(25);
    expect(calls).toBe(3);
    await q.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(3);
  });

  it("takes time from an injected clock", async () => {
    vi.useRealTimers();
    const timers: { fn: () => void; ms: number }[] = [];
    const clock = { now: () => 0, sleep: async () => undefined, setTimer: (fn: () => void, ms: number) => (timers.push({ fn, ms }), { cancel: () => undefined }) };
    const f = failing([new Error("down")]);
    const q = queue({ reconcile: f.reconcile, clock });
    q.add("k");
    await q.onIdle();
    expect(timers.map((t) => t.ms)).toEqual([100]);
    timers[0]!.fn();
    await q.onIdle();
    expect(f.runs).toHaveLength(2);
  });
});
