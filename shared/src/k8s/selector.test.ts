import { describe, expect, it } from "vitest";
import type { LabelSelector, LabelSelectorOperator } from "../api/types.generated.js";
import { matchesSelector } from "./selector.js";

const labels = { env: "prod", region: "eu" };

describe("matchesSelector", () => {
  it.each<[string, LabelSelector | undefined, boolean]>([
    ["absent selector", undefined, true],
    ["empty selector", {}, true],
    ["matchLabels hit", { matchLabels: { env: "prod" } }, true],
    ["matchLabels miss", { matchLabels: { env: "dev" } }, false],
    ["matchLabels missing key", { matchLabels: { tier: "x" } }, false],
    ["In hit", { matchExpressions: [{ key: "region", operator: "In", values: ["eu", "us"] }] }, true],
    ["In miss", { matchExpressions: [{ key: "region", operator: "In", values: ["us"] }] }, false],
    ["NotIn on absent key", { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["a"] }] }, true],
    ["NotIn hit", { matchExpressions: [{ key: "env", operator: "NotIn", values: ["prod"] }] }, false],
    ["Exists", { matchExpressions: [{ key: "env", operator: "Exists" }] }, true],
    ["DoesNotExist", { matchExpressions: [{ key: "env", operator: "DoesNotExist" }] }, false],
    ["unknown operator", { matchExpressions: [{ key: "env", operator: "Gt" as string as LabelSelectorOperator, values: ["1"] }] }, false],
    ["labels and expressions together", { matchLabels: { env: "prod" }, matchExpressions: [{ key: "region", operator: "In", values: ["us"] }] }, false],
  ])("%s", (_n, sel, want) => expect(matchesSelector(sel, labels)).toBe(want));
});
