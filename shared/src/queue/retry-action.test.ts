import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../errors.js";
import { NO_FAILURES, retryAction, type KeyFailures, type RetryPolicy } from "./retry-action.js";

const policy: RetryPolicy = { backoff: { baseMs: 100, maxMs: 1_000, jitter: 0 }, maxImmediateConflicts: 2 };
const at = (backoffs: number, conflicts: number): KeyFailures => ({ backoffs, conflicts });

describe("retryAction", () => {
  it.each<[ErrorCode, KeyFailures, string, KeyFailures]>([
    ["Terminal", NO_FAILURES, "drop", NO_FAILURES],
    ["Terminal", at(4, 1), "drop", NO_FAILURES],
    ["Invalid", at(1, 0), "drop", NO_FAILURES],
    ["Conflict", NO_FAILURES, "requeue", at(0, 1)],
    ["Conflict", at(0, 1), "requeue", at(0, 2)],
    ["Conflict", at(0, 2), "backoff 100", at(1, 0)],
    ["Conflict", at(1, 0), "requeue", at(1, 1)],
    ["Conflict", at(1, 2), "backoff 200", at(2, 0)],
    ["Retryable", NO_FAILURES, "backoff 100", at(1, 0)],
    ["Retryable", at(1, 1), "backoff 200", at(2, 0)],
    ["Retryable", at(9, 0), "backoff 1000", at(10, 0)],
    ["NotFound", NO_FAILURES, "backoff 100", at(1, 0)],
    ["Gone", NO_FAILURES, "backoff 100", at(1, 0)],
    ["Forbidden", at(2, 0), "backoff 400", at(3, 0)],
  ])("%s after %j → %s", (code, prior, want, next) => {
    const r = retryAction(code, prior, policy, () => 0);
    expect(r.action.kind === "backoff" ? `backoff ${r.action.delayMs}` : r.action.kind).toBe(want);
    expect(r.next).toEqual(next);
  });

  it("cannot requeue at once forever: conflicts in a row always reach a backoff", () => {
    let state = NO_FAILURES;
    const kinds: string[] = [];
    for (let i = 0; i < 9; i++) {
      const r = retryAction("Conflict", state, policy, () => 0);
      kinds.push(r.action.kind);
      state = r.next;
    }
    expect(kinds).toEqual(["requeue", "requeue", "backoff", "requeue", "requeue", "backoff", "requeue", "requeue", "backoff"]);
  });
});
