import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BusCodec, busMetrics, createLogger, createRegistry, type AddonReport } from "@flotilla/shared";
import { StatusWriter } from "./status-writer.js";

const report = (addon: string, revision: string, observedAt = "2026-01-01T00:00:00.000Z"): AddonReport => ({
  version: 1, kind: "AddonReport", cluster: "c1", addon, revision, conditions: [], resources: [], observedAt,
});

/** An in-memory stand-in for the status bucket that can be switched off like a lost connection. */
function fakeKv() {
  const puts: { key: string; revision: string }[] = [];
  const attempts: number[] = [];
  const deletes: string[] = [];
  let up = true;
  return {
    puts, deletes, attempts,
    setUp: (v: boolean) => (up = v),
    kv: {
      put: async (key: string, data: Uint8Array) => {
        attempts.push(Date.now());
        if (!up) throw new Error("disconnected");
        puts.push({ key, revision: (JSON.parse(new TextDecoder().decode(data)) as AddonReport).revision });
        return puts.length;
      },
      delete: async (key: string) => {
        if (!up) throw new Error("disconnected");
        deletes.push(key);
      },
    },
  };
}

const writer = () => new StatusWriter({ cluster: "c1", codec: new BusCodec(), metrics: busMetrics(createRegistry("test")), logger: createLogger({ level: "silent" }), backoff: { baseMs: 100, maxMs: 1_000, jitter: 0 } });

describe("StatusWriter", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("skips a report whose content did not change, unless forced", async () => {
    const w = writer();
    const f = fakeKv();
    w.attach(f.kv as never);
    w.putReport(report("a", "r1"));
    await w.idle();
    w.putReport(report("a", "r1", "2026-01-01T00:00:05.000Z"));
    await w.idle();
    expect(f.puts).toHaveLength(1);
    w.putReport(report("a", "r1"), true);
    await w.idle();
    expect(f.puts).toHaveLength(2);
  });

  it("keeps only the latest report per addon while the bus is down, and sends it when back", async () => {
    const w = writer();
    const f = fakeKv();
    w.attach(undefined);
    w.putReport(report("a", "r1"));
    w.putReport(report("a", "r2"));
    w.putReport(report("b", "r1"));
    expect(w.pendingCount).toBe(2);
    w.attach(f.kv as never);
    await w.idle();
    await w.idle();
    expect(f.puts.map((p) => `${p.key}@${p.revision}`).sort()).toEqual(["c1.a@r2", "c1.b@r1"]);
    w.stop();
  });

  it("retries a failed put with growing backoff, and new reports wait for the retry", async () => {
    const w = writer();
    const f = fakeKv();
    f.setUp(false);
    const t0 = Date.now();
    w.attach(f.kv as never);
    w.putReport(report("a", "r1"));
    await vi.advanceTimersByTimeAsync(350);
    w.putReport(report("a", "r2")); // no extra attempt: the retry at 700 sends it
    await vi.advanceTimersByTimeAsync(10);
    expect(f.attempts.map((t) => t - t0)).toEqual([0, 100, 300]);
    f.setUp(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.attempts.map((t) => t - t0)).toEqual([0, 100, 300, 700]);
    expect(f.puts.map((p) => p.revision)).toEqual(["r2"]);
    expect(w.pendingCount).toBe(0);
    w.stop();
  });

  it("a delete replaces a pending put and forgets what was sent", async () => {
    const w = writer();
    const f = fakeKv();
    w.attach(f.kv as never);
    w.putReport(report("a", "r1"));
    await w.idle();
    w.deleteReport("a");
    await w.idle();
    expect(f.deletes).toEqual(["c1.a"]);
    w.putReport(report("a", "r1"));
    await w.idle();
    expect(f.puts).toHaveLength(2);
  });

  it("does not wait for a put stuck on a dead connection once reconnected", async () => {
    const w = writer();
    const puts: string[] = [];
    let first = true;
    w.attach({
      put: (key: string) => {
        if (first) {
          first = false;
          return new Promise<number>(() => undefined); // never answered
        }
        puts.push(key);
        return Promise.resolve(1);
      },
      delete: async () => undefined,
    } as never);
    w.putReport(report("a", "r1"));
    w.setConnected(false);
    w.putReport(report("a", "r2"));
    w.setConnected(true);
    await vi.advanceTimersByTimeAsync(1_000); // and no second put follows
    expect(puts).toEqual(["c1.a"]);
    expect(w.pendingCount).toBe(0);
    w.stop();
  });
});
