import { afterEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import { Registry } from "prom-client";
import { busMetrics, type DesiredIndex } from "@flotilla/shared";
import type { DesiredReader } from "../bus/desired-reader.js";
import { DesiredSync } from "./desired-sync.js";
import { AgentState } from "./state.js";

const index = (digest: string): DesiredIndex => ({ version: 1, kind: "DesiredIndex", cluster: "c1", addons: { demo: { revision: `demo-${digest}`, digest } } });

/** A reader that serves the given index reads in turn (the last one repeats). */
function fakeReader(reads: { revision: number; digest: string }[]) {
  let i = 0;
  const reader = {
    calls: 0,
    async readIndex() {
      reader.calls++;
      const r = reads[Math.min(i++, reads.length - 1)]!;
      return { kind: "ok" as const, index: index(r.digest), revision: r.revision };
    },
  };
  return reader;
}

function setup(reads: { revision: number; digest: string }[]) {
  const state = new AgentState();
  const added: string[] = [];
  const reader = fakeReader(reads);
  const sync = new DesiredSync({
    state,
    reader: () => reader as unknown as DesiredReader,
    queue: { add: (k: string) => void added.push(k) },
    metrics: busMetrics(new Registry()),
    logger: pino({ level: "silent" }),
  });
  return { state, added, reader, sync };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe("DesiredSync", () => {
  it("re-reads after a hint whose read still saw the previous index (the hint outran the store)", async () => {
    const { state, added, reader, sync } = setup([{ revision: 1, digest: "a" }, { revision: 1, digest: "a" }, { revision: 2, digest: "b" }]);
    sync.request();
    await until(() => state.indexRevision === 1);
    expect(added).toEqual(["demo"]);
    sync.request(true); // hint: reads revision 1 again, then re-reads and finds 2
    await until(() => state.indexRevision === 2);
    expect(state.index?.addons.demo?.digest).toBe("b");
    expect(reader.calls).toBe(3);
    expect(added.at(-1)).toBe("demo"); // the new digest is planned
    sync.stop();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives up re-reading after a few tries when the index really did not move", async () => {
    vi.useFakeTimers();
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
    vi.useFakeTimers();
    const { reader, sync } = setup([{ revision: 1, digest: "a" }]);
    sync.request();
    await vi.advanceTimersByTimeAsync(0);
    sync.request();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reader.calls).toBe(2);
    sync.stop();
  });
});
