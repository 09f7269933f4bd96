import { describe, expect, it } from "vitest";
import { RateLimiter, takeEach, type LimitDecision } from "./limiter.js";

describe("RateLimiter", () => {
  it("keeps a bucket per key", () => {
    const l = new RateLimiter("source", { capacity: 1, perSecond: 1 });
    expect(l.take("a", 0)).toEqual({ allowed: true });
    expect(l.take("a", 0)).toEqual({ allowed: false, retryAfterMs: 1000, limitedBy: "source" });
    expect(l.take("b", 0)).toEqual({ allowed: true });
    expect(l.take("a", 1000)).toEqual({ allowed: true });
  });

  it("peek changes nothing", () => {
    const l = new RateLimiter("source", { capacity: 1, perSecond: 1 });
    expect(l.peek("a", 0)).toEqual({ allowed: true });
    expect(l.peek("a", 0)).toEqual({ allowed: true });
    expect(l.size).toBe(0);
  });

  it.each([
    ["full buckets go first", [["a", 0], ["b", 0], ["c", 5000]], ["c"]],
    ["then the least recently used", [["a", 0], ["b", 0], ["c", 0]], ["b", "c"]],
  ] as const)("is bounded by maxKeys: %s", (_n, takes, kept) => {
    // capacity 2: one take leaves a bucket that is full again a second later
    const l = new RateLimiter("source", { capacity: 2, perSecond: 1, maxKeys: 2 });
    for (const [k, t] of takes) l.take(k, t);
    expect(l.size).toBe(kept.length);
    // a kept key still has its bucket (one token left), a forgotten one a full bucket again
    const now = takes.at(-1)![1];
    for (const k of kept) expect(l.take(k, now, 2).allowed).toBe(false);
  });
});

describe("takeEach (per source and overall)", () => {
  const setup = () => ({
    perSource: new RateLimiter("source", { capacity: 2, perSecond: 1 }),
    overall: new RateLimiter("overall", { capacity: 3, perSecond: 10 }),
  });
  const register = (l: ReturnType<typeof setup>, source: string, now: number): LimitDecision =>
    takeEach(now, [{ limiter: l.perSource, key: source }, { limiter: l.overall, key: "all" }]);

  it.each<[string, [string, number][], LimitDecision[]]>([
    ["one source is held to its own rate", [["a", 0], ["a", 0], ["a", 0]], [{ allowed: true }, { allowed: true }, { allowed: false, retryAfterMs: 1000, limitedBy: "source" }]],
    ["many sources are held to the overall rate", [["a", 0], ["b", 0], ["c", 0], ["d", 0]], [{ allowed: true }, { allowed: true }, { allowed: true }, { allowed: false, retryAfterMs: 100, limitedBy: "overall" }]],
    [
      "a refusal by one limiter takes nothing from the other",
      // a's third try is refused per source and must not eat the overall token b then gets
      [["a", 0], ["a", 0], ["a", 0], ["b", 0]],
      [{ allowed: true }, { allowed: true }, { allowed: false, retryAfterMs: 1000, limitedBy: "source" }, { allowed: true }],
    ],
    ["refused by both: waits for the slower", [["a", 0], ["a", 0], ["b", 0], ["a", 0]], [{ allowed: true }, { allowed: true }, { allowed: true }, { allowed: false, retryAfterMs: 1000, limitedBy: "source" }]],
  ])("%s", (_n, calls, want) => {
    const l = setup();
    expect(calls.map(([s, t]) => register(l, s, t))).toEqual(want);
  });
});
