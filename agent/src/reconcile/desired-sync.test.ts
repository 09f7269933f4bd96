import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import { busMetrics, type DesiredIndex } from "@flotilla/shared";
import type { DesiredReader } from "../bus/desired-reader.js";
import { DesiredSync } from "./desired-sync.js";
import { AgentState } from "./state.js";

const index = (digest: string): DesiredIndex => ({ version: 1, kind: "DesiredIndex", cluster: "c1", addons: { demo: { revision: `demo-${digest}`, digest } } });

/** A reader that serves the given index reads in turn (the last one repeats); an Error is thrown. */
function fakeReader(reads: ({ revision: number; digest: string } | Error)[]) {
  let i = 0;
  const reader = {
    calls: 0,
    at: [] as number[],
    async readIndex() {
      reader.calls++;
      reader.at.push(Date.now());
      const r = reads[Math.min(i++, reads.length - 1)]!;
      if (r instanceof Error) throw r;
      return { kind: "ok" as const, index: index(r.digest), revision: r.revision };
    },
  };
  return reader;
}

function setup(reads: ({ revision: number; digest: string } | Error)[]) {
  const state = new AgentState();
  const added: string[] = [];
  const reader = fakeReader(reads);
  const sync = new DesiredSync({
    state,
    reader: () => reader as unknown as DesiredReader,
    queue: { add: (k: string) => void added.push(k) },
    metrics: busMetrics(new Registry()),
    logger: pino({ level: "silent" }),
    backoff: { baseMs: 100, maxMs: 1_000, jitter: 0 },
  });
  return { state, added, reader, sync };
}

describe("DesiredSync", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it("re-reads after a hint whose read still saw the previous index (the hint outran the store)", async () => {
    const { state, added, reader, sync } = setup([{ revision: 1, digest: "a" }, { revision: 1, digest: "a" }, { revision: 2, digest: "b" }]);
    sync.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.indexRevision).toBe(1);
    expect(added).toEqual(["demo"]);
    sync.request(true); // hint: reads revision 1 again, then re-reads and finds 2
    await vi.advanceTimersByTimeAsync(50);
    expect(state.indexRevision).toBe(2);
    expect(state.index?.addons.demo?.digest).toBe("b");
    expect(reader.calls).toBe(3);
    expect(added.at(-1)).toBe("demo"); // the new digest is planned
    sync.stop();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads again with growing backoff after failed reads, and keeps what it had meanwhile", async () => {
    const down = new Error("TIMEOUT");
    const { state, reader, sync } = setup([down, down, down, { revision: 3, digest: "c" }]);
    const t0 = Date.now();
    sync.request();
    await vi.advanceTimersByTimeAsync(250);
    expect(state.index).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reader.at.map((t) => t - t0)).toEqual([0, 100, 300, 700]);
    expect(state.indexRevision).toBe(3);
    sync.stop();
  });

  it("gives up re-reading after a few tries when the index really did not move", async () => {
    const { reader, sync } = setup([{ revision: 1, digest: "a" }]);
    sync.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(reader.calls).toBe(1);
    sync.request(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reader.calls).toBe(5); // the first read, the hint's read, and three re-reads
    sync.stop();
  });

  it("does not re-read after a plain (non-hint) request that saw nothing new", async () => {
    const { reader, sync } = setup([{ revision: 1, digest: "a" }]);
    sync.request();
    await vi.advanceTimersByTimeAsync(0);
    sync.request();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reader.calls).toBe(2);
    sync.stop();
  });
});
