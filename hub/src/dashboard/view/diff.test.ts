import { describe, expect, it } from "vitest";
import type { AddOnRevision } from "@flotilla/shared";
import { diffLines, revisionText } from "./diff.js";

const show = (a: string, b: string) => diffLines(a, b).map((l) => `${l.op}${l.text}`);

describe("diffLines", () => {
  it.each([
    ["equal", "a\nb\n", "a\nb\n", [" a", " b"]],
    ["one line changed", "a\nb\nc\n", "a\nB\nc\n", [" a", "-b", "+B", " c"]],
    ["added at the end", "a\n", "a\nb\n", [" a", "+b"]],
    ["removed at the start", "x\na\n", "a\n", ["-x", " a"]],
    ["aligned around a moved line", "a\nb\nc\nd\n", "a\nc\nd\nb\n", [" a", "-b", " c", " d", "+b"]],
    ["from nothing", "", "a\n", ["+a"]],
  ])("%s", (_name, a, b, want) => {
    expect(show(a, b)).toEqual(want);
  });

  it("shows a middle too large to align as removed then added, still complete", () => {
    const a = Array.from({ length: 2100 }, (_, i) => `a${i}`).join("\n");
    const b = Array.from({ length: 2100 }, (_, i) => `b${i}`).join("\n");
    const d = diffLines(a, b);
    expect(d.filter((l) => l.op === "-")).toHaveLength(2100);
    expect(d.filter((l) => l.op === "+")).toHaveLength(2100);
    expect(d[0]).toEqual({ op: "-", text: "a0" });
  });
});

describe("revisionText", () => {
  it("is the revision's content as YAML with sorted keys, without its number", () => {
    const rev = { metadata: { name: "m-1" }, spec: { revision: 3, addon: "m", values: { z: 1, a: 2 }, source: { manifests: [] } } } as unknown as AddOnRevision;
    expect(revisionText(rev)).toBe("addon: m\nsource:\n  manifests: []\nvalues:\n  a: 2\n  z: 1\n");
  });
});
