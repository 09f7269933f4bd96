import { describe, expect, it } from "vitest";
import { planRollout, type RolloutTarget } from "./rollout.js";

describe("planRollout (All)", () => {
  const targets: RolloutTarget[] = [{ cluster: "a", desiredRevision: "r1" }, { cluster: "b", desiredRevision: "r2" }, { cluster: "c" }];
  it.each([
    ["moves every cluster not on the update revision", false, [["a", "r2"], ["c", "r2"]], []],
    ["paused: moves none, holds the rest", true, [], ["a", "c"]],
  ])("%s", (_n, paused, desired, held) => {
    const d = planRollout({ updateRevision: "r2", paused, targets });
    expect([...d.desired]).toEqual(desired);
    expect(d.held).toEqual(held);
  });

  it("holds a cluster whose dependencies are not Available there; one on the update revision stays", () => {
    const d = planRollout({ updateRevision: "r2", paused: false, targets, waiting: new Set(["a", "b"]) });
    expect([...d.desired]).toEqual([["c", "r2"]]);
    expect(d.held).toEqual(["a"]);
  });

  it("does nothing when everyone is on the update revision", () => {
    const d = planRollout({ updateRevision: "r1", paused: false, targets: [{ cluster: "a", desiredRevision: "r1" }] });
    expect(d.desired.size).toBe(0);
    expect(d.held).toEqual([]);
  });
});
