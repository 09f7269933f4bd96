import { describe, expect, it } from "vitest";
import { LruCache } from "./lru.js";

type Op = ["set", string, number] | ["get", string];

const run = (limits: { maxEntries: number; maxBytes: number }, ops: Op[]) => {
  const c = new LruCache<string>(limits);
  for (const op of ops) {
    if (op[0] === "set") c.set(op[1], op[1], op[2]);
    else c.get(op[1]);
  }
  return { keys: ["a", "b", "c", "d"].filter((k) => c.get(k) !== undefined), size: c.size, bytes: c.bytes };
};

describe("LruCache", () => {
  it.each<[string, { maxEntries: number; maxBytes: number }, Op[], string[], number]>([
    ["keeps what fits", { maxEntries: 3, maxBytes: 100 }, [["set", "a", 1], ["set", "b", 1], ["set", "c", 1]], ["a", "b", "c"], 3],
    ["drops the least recently set over the entry bound", { maxEntries: 2, maxBytes: 100 }, [["set", "a", 1], ["set", "b", 1], ["set", "c", 1]], ["b", "c"], 2],
    ["a read makes an entry recent", { maxEntries: 2, maxBytes: 100 }, [["set", "a", 1], ["set", "b", 1], ["get", "a"], ["set", "c", 1]], ["a", "c"], 2],
    ["drops by bytes too", { maxEntries: 10, maxBytes: 10 }, [["set", "a", 4], ["set", "b", 4], ["set", "c", 4]], ["b", "c"], 8],
    ["one heavier than the budget is not kept", { maxEntries: 10, maxBytes: 10 }, [["set", "a", 4], ["set", "b", 11]], ["a"], 4],
    ["setting a key again replaces its weight", { maxEntries: 10, maxBytes: 10 }, [["set", "a", 4], ["set", "a", 6], ["set", "b", 4]], ["a", "b"], 10],
    ["zero entries keeps nothing", { maxEntries: 0, maxBytes: 10 }, [["set", "a", 1]], [], 0],
  ])("%s", (_name, limits, ops, keys, bytes) => {
    const got = run(limits, ops);
    expect(got.keys).toEqual(keys);
    expect(got.bytes).toBe(bytes);
  });
});
