import { describe, expect, it } from "vitest";
import type { AddOnRevision } from "@flotilla/shared";
import { diffLines, revisionText, withContext } from "./diff.js";

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

describe("withContext", () => {
  const text = (n: number, change: number) => Array.from({ length: n }, (_, i) => (i === change ? "changed" : `l${i}`)).join("\n");
  it.each([
    ["no change: all left out", text(10, -1), text(10, -1), ["…10 unchanged line(s)"]],
    ["a change in the middle: 1 line of context each side", text(10, -1), text(10, 5), ["…4 unchanged line(s)", " l4", "-l5", "+changed", " l6", "…3 unchanged line(s)"]],
    ["a change at the start", text(5, -1), text(5, 0), ["-l0", "+changed", " l1", "…3 unchanged line(s)"]],
  ])("%s", (_n, a, b, want) => {
    expect(withContext(diffLines(a, b), 1).map((l) => `${l.op}${l.text}`)).toEqual(want);
  });
});
