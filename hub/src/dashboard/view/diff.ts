import { stringify } from "yaml";
import type { AddOnRevision } from "@flotilla/shared";
import type { DiffLine } from "./types.js";

/** Above this many cells the middle of a diff is shown as removed-then-added rather than aligned. */
const MAX_CELLS = 4_000_000;

/** What a revision holds, as YAML with sorted keys, so two revisions compare line by line. Pure. */
export function revisionText(rev: AddOnRevision): string {
  const { revision: _n, ...content } = rev.spec;
  return stringify(content, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * A line diff of `a` to `b` (longest common subsequence), common prefix and suffix trimmed first so the
 * usual small change in a large spec costs little; a middle too large to align (MAX_CELLS) is shown as
 * removed then added. Pure.
 */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a.split("\n");
  const y = b.split("\n");
  if (x.at(-1) === "" && y.at(-1) === "") {
    x.pop();
    y.pop();
  }
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  const mx = x.slice(pre, x.length - suf);
  const my = y.slice(pre, y.length - suf);
  const same = (t: string): DiffLine => ({ op: " ", text: t });
  return [...x.slice(0, pre).map(same), ...alignMiddle(mx, my), ...x.slice(x.length - suf).map(same)];
}

function alignMiddle(x: readonly string[], y: readonly string[]): DiffLine[] {
  const removed = (t: string): DiffLine => ({ op: "-", text: t });
  const added = (t: string): DiffLine => ({ op: "+", text: t });
  if (x.length === 0 || y.length === 0 || x.length * y.length > MAX_CELLS) return [...x.map(removed), ...y.map(added)];
  // lcs[i][j]: length of the LCS of x[i..] and y[j..]
  const w = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      out.push({ op: " ", text: x[i++]! });
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) out.push(removed(x[i++]!));
    else out.push(added(y[j++]!));
  }
  return [...out, ...x.slice(i).map(removed), ...y.slice(j).map(added)];
}

/** Only the changes with `context` unchanged lines around each; longer unchanged runs become one `…` line. Pure. */
export function withContext(lines: readonly DiffLine[], context = 3): DiffLine[] {
  const changed = lines.map((l) => l.op !== " ");
  const near = (i: number) => changed.slice(Math.max(0, i - context), i + context + 1).some(Boolean);
  const out: DiffLine[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (near(i)) {
      if (skipped) out.push({ op: "…", text: `${skipped} unchanged line(s)` });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped) out.push({ op: "…", text: `${skipped} unchanged line(s)` });
  return out;
}
