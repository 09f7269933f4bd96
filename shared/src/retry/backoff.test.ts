import { describe, expect, it } from "vitest";
import { Backoff, backoffDelay, type BackoffPolicy } from "./backoff.js";

const policy: BackoffPolicy = { baseMs: 100, maxMs: 1_000, factor: 2, jitter: 0.5 };

describe("backoffDelay", () => {
  it.each([
    // attempt, random, expected
    [1, 0, 100],
    [2, 0, 200],
    [3, 0, 400],
    [4, 0, 800],
    [5, 0, 1_000],
    [500, 0, 1_000],
    [1, 0.999999, 50],
    [4, 0.5, 600],
    [0, 0, 100],
  ])("attempt %i with random %f waits %i ms", (attempt, random, expected) => {
    expect(backoffDelay(policy, attempt, () => random)).toBe(expected);
  });

  it("never exceeds the cap or falls below (1 - jitter) of the undithered delay", () => {
    for (let attempt = 1; attempt < 80; attempt++) {
      for (const r of [0, 0.25, 0.5, 0.75, 0.999]) {
        const d = backoffDelay(policy, attempt, () => r);
        expect(d).toBeLessThanOrEqual(1_000);
        expect(d).toBeGreaterThanOrEqual(Math.min(1_000, 100 * 2 ** (attempt - 1)) * 0.5 - 1);
      }
    }
  });

  it("without jitter it is exact", () => {
    expect(backoffDelay({ baseMs: 10, maxMs: 50, jitter: 0 }, 3, () => 0.9)).toBe(40);
  });
});

describe("Backoff", () => {
  it("grows with consecutive failures and starts over after reset", () => {
    const b = new Backoff({ ...policy, jitter: 0 }, () => 0);
    expect([b.next(), b.next(), b.next()]).toEqual([100, 200, 400]);
    expect(b.attempts).toBe(3);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(100);
  });
});
