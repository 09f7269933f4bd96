import { describe, expect, it } from "vitest";
import { refill, takeTokens, type BucketState, type RateDecision } from "./token-bucket.js";

const policy = { capacity: 3, perSecond: 2 };

describe("takeTokens", () => {
  it.each<[string, BucketState | undefined, number, number, RateDecision]>([
    ["a new bucket starts full", undefined, 1000, 1, { allowed: true, state: { tokens: 2, at: 1000 } }],
    ["the last token", { tokens: 1, at: 1000 }, 1000, 1, { allowed: true, state: { tokens: 0, at: 1000 } }],
    ["empty: refused, with when to retry", { tokens: 0, at: 1000 }, 1000, 1, { allowed: false, state: { tokens: 0, at: 1000 }, retryAfterMs: 500 }],
    ["half a token refills in 250 ms at 2/s", { tokens: 0, at: 1000 }, 1250, 1, { allowed: false, state: { tokens: 0.5, at: 1250 }, retryAfterMs: 250 }],
    ["refilled after 500 ms", { tokens: 0, at: 1000 }, 1500, 1, { allowed: true, state: { tokens: 0, at: 1500 } }],
    ["never above capacity", { tokens: 0, at: 0 }, 60_000, 1, { allowed: true, state: { tokens: 2, at: 60_000 } }],
    ["a cost of several tokens", { tokens: 3, at: 0 }, 0, 3, { allowed: true, state: { tokens: 0, at: 0 } }],
    ["a cost above capacity never passes", undefined, 0, 4, { allowed: false, state: { tokens: 3, at: 0 }, retryAfterMs: Infinity }],
    ["a clock gone back mints nothing and restarts from now", { tokens: 1, at: 5000 }, 1000, 1, { allowed: true, state: { tokens: 0, at: 1000 } }],
  ])("%s", (_n, state, now, cost, want) => {
    expect(takeTokens(policy, state, now, cost)).toEqual(want);
  });

  it("a bucket that does not refill refuses for good once empty", () => {
    expect(takeTokens({ capacity: 1, perSecond: 0 }, { tokens: 0, at: 0 }, 1e9)).toMatchObject({ allowed: false, retryAfterMs: Infinity });
  });

  it("a steady stream passes at the rate after the burst", () => {
    let state: BucketState | undefined;
    const passed: number[] = [];
    for (let t = 0; t < 2000; t += 100) {
      const d = takeTokens(policy, state, t);
      state = d.state;
      if (d.allowed) passed.push(t);
    }
    // the burst of 3, then one every 500 ms
    expect(passed).toEqual([0, 100, 200, 500, 1000, 1500]);
  });

  it("refill does not change the state it is given", () => {
    const s = { tokens: 0, at: 0 };
    refill(policy, s, 1000);
    expect(s).toEqual({ tokens: 0, at: 0 });
  });
});
