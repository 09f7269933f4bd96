import { describe, expect, it } from "vitest";
import { desiredBundleKey, desiredBundlePartKey, desiredHintSubjects, parseStatusKey } from "./keys.js";

describe("bus keys", () => {
  it("builds per-cluster keys and hint subjects", () => {
    expect(desiredBundleKey("c1", "metrics")).toBe("c1.metrics");
    expect(desiredBundlePartKey("c1", "metrics", 2)).toBe("c1.metrics.part.2");
    expect(desiredHintSubjects("c1")).toEqual(["$KV.flotilla_desired.c1", "$KV.flotilla_desired.c1.>"]);
  });
  it.each([
    ["c1", { cluster: "c1" }],
    ["c1.metrics", { cluster: "c1", addon: "metrics" }],
    ["c1.metrics.extra", undefined],
    ["", undefined],
    [".x", undefined],
  ])("parseStatusKey(%j)", (key, want) => expect(parseStatusKey(key)).toEqual(want));
});
