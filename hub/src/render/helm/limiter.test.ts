import { describe, expect, it } from "vitest";
import { AbortedError } from "../../kube/abort.js";
import { Limiter } from "./limiter.js";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("Limiter", () => {
  it("runs at most `limit` tasks at once, the rest in arrival order", async () => {
    const l = new Limiter(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) => l.run(async () => { started.push(i); await g.promise; return i; }));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(l.queued).toBe(1);
    gates[1]?.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
  });

  it("a waiter whose signal aborts leaves the queue and never runs", async () => {
    const l = new Limiter(1);
    const gate = deferred();
    const first = l.run(() => gate.promise);
    const ac = new AbortController();
    let ran = false;
    const second = l.run(async () => { ran = true; }, ac.signal);
    ac.abort();
    await expect(second).rejects.toBeInstanceOf(AbortedError);
    expect(l.queued).toBe(0);
    gate.resolve();
    await first;
    expect(ran).toBe(false);
    await l.run(async () => undefined); // the slot came back
  });

  it("frees the slot when a task throws", async () => {
    const l = new Limiter(1);
    await expect(l.run(() => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await l.run(() => Promise.resolve(1))).toBe(1);
  });

  it("refuses a limit below 1", () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});
