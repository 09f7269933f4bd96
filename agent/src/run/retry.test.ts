import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock, type Logger } from "@flotilla/shared";
import { retryUntilDone } from "./retry.js";

const warn = vi.fn();
const logger = { warn, info: () => {}, debug: () => {}, error: () => {}, child: () => logger } as unknown as Logger;

describe("retryUntilDone", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("backs off between failures and returns the first success", async () => {
    const fn = vi.fn<() => Promise<string>>().mockRejectedValueOnce(new Error("down")).mockRejectedValueOnce(new Error("down")).mockResolvedValue("ok");
    const p = retryUntilDone(fn, "do it", { logger, signal: new AbortController().signal, clock: systemClock, policy: { baseMs: 100, maxMs: 1000, jitter: 0 } });
    await vi.advanceTimersByTimeAsync(99);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    await expect(p).resolves.toBe("ok");
    expect(warn.mock.calls.map((c) => (c[0] as { retryInMs: number }).retryInMs)).toEqual([100, 200]);
  });

  it("rejects once aborted", async () => {
    const abort = new AbortController();
    const p = retryUntilDone(() => Promise.reject(new Error("down")), "do it", { logger, signal: abort.signal, clock: systemClock });
    const settled = expect(p).rejects.toBeDefined();
    await vi.advanceTimersByTimeAsync(10);
    abort.abort();
    await settled;
  });
});
