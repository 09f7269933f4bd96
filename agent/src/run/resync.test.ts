import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "@flotilla/shared";
import { ResyncTimer } from "./resync.js";

describe("ResyncTimer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("ticks every period, jittered, until stopped", async () => {
    const tick = vi.fn();
    // random 0 → the shortest spread: 80% of the period
    const t = new ResyncTimer({ clock: systemClock, periodMs: 10_000, tick, random: () => 0 });
    t.start();
    await vi.advanceTimersByTimeAsync(7_999);
    expect(tick).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(8_000);
    expect(tick).toHaveBeenCalledTimes(2);
    t.stop();
    await vi.advanceTimersByTimeAsync(100_000);
    expect(tick).toHaveBeenCalledTimes(2);
  });
});
