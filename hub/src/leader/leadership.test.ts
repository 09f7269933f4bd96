import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock, type Logger } from "@flotilla/shared";
import { AbortedError } from "../kube/abort.js";
import type { Session } from "../session/session.js";
import { Leadership } from "./leadership.js";

const logger = { info: () => {}, error: () => {}, warn: () => {}, debug: () => {}, child: () => logger } as unknown as Logger;
const session = (): Session & { stop: ReturnType<typeof vi.fn> } => ({ caches: {} as Session["caches"], stop: vi.fn(async () => {}) });

describe("Leadership", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("retries a failed start with backoff until it starts", async () => {
    const s = session();
    const start = vi.fn<(signal: AbortSignal) => Promise<Session>>().mockRejectedValueOnce(new Error("no bus")).mockRejectedValueOnce(new Error("no bus")).mockResolvedValue(s);
    const leading: boolean[] = [];
    const l = new Leadership({ startSession: start, onLeading: (b) => leading.push(b), clock: systemClock, logger, random: () => 0 });
    l.start();
    expect(l.isLeading()).toBe(true);
    await vi.advanceTimersByTimeAsync(1999);
    expect(start).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(start).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4000);
    expect(start).toHaveBeenCalledTimes(3);
    expect(l.current).toBe(s);
    await l.stop();
    expect(s.stop).toHaveBeenCalledOnce();
    expect(l.current).toBeUndefined();
    expect(leading).toEqual([true, false]);
  });

  it("stop cancels a start in flight", async () => {
    const start = vi.fn((signal: AbortSignal) => new Promise<Session>((_, reject) => signal.addEventListener("abort", () => reject(new AbortedError()))));
    const l = new Leadership({ startSession: start, onLeading: () => {}, clock: systemClock, logger });
    l.start();
    await l.stop();
    expect(l.current).toBeUndefined();
    expect(l.isLeading()).toBe(false);
    expect(start).toHaveBeenCalledOnce();
  });
});
