import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FlotillaError } from "../errors.js";
import { isTransient, retryUntil } from "./retry.js";

const policy = { baseMs: 100, maxMs: 1_000, jitter: 0 };

describe("retryUntil", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("tries again after the policy's delays until it succeeds", async () => {
    const tries: number[] = [];
    const delays: number[] = [];
    const p = retryUntil(
      async (attempt) => {
        tries.push(Date.now());
        if (attempt < 4) throw new Error("ECONNREFUSED");
        return "ok";
      },
      { policy, onRetry: (_e, _a, ms) => delays.push(ms) },
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(p).resolves.toBe("ok");
    expect(delays).toEqual([100, 200, 400]);
    expect(tries.map((t) => t - tries[0]!)).toEqual([0, 100, 300, 700]);
  });

  it("does not retry an error that says trying again cannot help", async () => {
    let calls = 0;
    const err = new FlotillaError("Invalid", "spec.replicas: Invalid value");
    const p = retryUntil(async () => {
      calls++;
      throw err;
    }, { policy });
    await expect(p).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  it("gives up after maxAttempts with the last error", async () => {
    let calls = 0;
    const p = retryUntil(async () => {
      throw new Error(`try ${++calls}`);
    }, { policy, maxAttempts: 3 });
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(((await settled) as Error).message).toBe("try 3");
  });

  it("rejects with the abort reason while waiting", async () => {
    const ac = new AbortController();
    const p = retryUntil(async () => {
      throw new Error("down");
    }, { policy, signal: ac.signal });
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    ac.abort(new Error("stopping"));
    expect(((await settled) as Error).message).toBe("stopping");
  });
});

describe("isTransient", () => {
  it.each([
    [new Error("socket hang up"), true],
    [new FlotillaError("Retryable", "x"), true],
    [new FlotillaError("Conflict", "x"), true],
    [new FlotillaError("Forbidden", "x"), true],
    [new FlotillaError("Terminal", "x"), false],
    [new FlotillaError("Invalid", "x"), false],
    [{ code: 422, body: { message: "invalid" } }, false],
  ])("%s → %s", (err, want) => {
    expect(isTransient(err)).toBe(want);
  });
});
