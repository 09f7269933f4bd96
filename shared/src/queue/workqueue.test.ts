import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { WorkQueue } from "./workqueue.js";

const logger = pino({ level: "silent" });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe("WorkQueue", () => {
  it("runs a key once however often it is added while waiting", async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new WorkQueue({ name: "t", logger, concurrency: 1, reconcile: async (k) => { runs.push(k); if (k === "block") await gate; } });
    q.add("block");
    await tick();
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
    const q = new WorkQueue({ name: "t", logger, concurrency: 4, reconcile: async () => {
      running++; runs++; maxRunning = Math.max(maxRunning, running);
      if (runs === 1) await gate;
      running--;
    } });
    q.add("k");
    await tick();
    q.add("k"); q.add("k");
    release();
    await q.onIdle();
    await tick();
    await q.onIdle();
    expect(maxRunning).toBe(1);
    expect(runs).toBe(2);
  });

  it("retries a failing key with backoff until it succeeds", async () => {
    let calls = 0;
    const q = new WorkQueue({ name: "t", logger, backoffBaseMs: 5, reconcile: async () => { if (++calls < 3) throw new Error("boom"); } });
    q.add("k");
    for (let i = 0; i < 100 && calls < 3; i++) await tick();
    expect(calls).toBe(3);
    await q.stop();
  });

  it("honours requeueAfterMs and stop() cancels pending timers", async () => {
    let calls = 0;
    const q = new WorkQueue({ name: "t", logger, reconcile: async () => { calls++; return { requeueAfterMs: 10 }; } });
    q.add("k");
    for (let i = 0; i < 100 && calls < 2; i++) await tick();
    expect(calls).toBeGreaterThanOrEqual(2);
    await q.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toBe(after);
  });
});
