/**
 * Finds `{{ … }}` placeholders exactly as the regular expression `/\{\{-?\s*(.*?)\s*-?\}\}/g` would,
 * in time linear in the string. The expression itself backtracks: from every `{{` it scans to the end
 * of the line for a `}}`, so one line of 40,000 `{{` held the hub's event loop for 22 s (quadratic).
 * Here every position is looked at a constant number of times, from tables built in one pass each.
 */
export interface PlaceholderMatch {
  /** Index of the opening `{{`. */
  start: number;
  /** Index just past the closing `}}`. */
  end: number;
  /** The expression between the braces, without the trim markers and white space around it. */
  expr: string;
}

/** What `.` does not match (no `s` flag). */
const isLineTerminator = (c: number) => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
/** What `\s` matches (a UTF-16 code unit). */
export const isWhite = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const DASH = 0x2d; // -

export function findPlaceholders(s: string): PlaceholderMatch[] {
  const n = s.length;
  // closeAt[i]: the first index >= i where `}}` starts (n when none)
  const closeAt = new Int32Array(n + 1).fill(n);
  for (let i = n - 2; i >= 0; i--) closeAt[i] = s.charCodeAt(i) === CLOSE && s.charCodeAt(i + 1) === CLOSE ? i : closeAt[i + 1]!;
  // nonWhiteAt[i]: the first index >= i that is not white space; whiteRunFrom[i]: start of the white run ending at i
  const nonWhiteAt = new Int32Array(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) nonWhiteAt[i] = isWhite(s.charCodeAt(i)) ? nonWhiteAt[i + 1]! : i;
  const whiteRunFrom = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) whiteRunFrom[i] = i > 0 && isWhite(s.charCodeAt(i - 1)) ? whiteRunFrom[i - 1]! : i;
  // terminators[i]: line terminators in s[0, i)
  const terminators = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) terminators[i + 1] = terminators[i]! + (isLineTerminator(s.charCodeAt(i)) ? 1 : 0);

  const out: PlaceholderMatch[] = [];
  let i = 0;
  while (i + 1 < n) {
    if (s.charCodeAt(i) !== OPEN || s.charCodeAt(i + 1) !== OPEN) {
      i++;
      continue;
    }
    // The lazy body ends at the first `}}`: a later one only adds to a body that already failed.
    const close = closeAt[i + 2] ?? n;
    if (close >= n) break; // no `}}` after this `{{`, so none after any later one either
    let from = i + 2;
    if (from < close && s.charCodeAt(from) === DASH) from++;
    from = Math.min(nonWhiteAt[from]!, close);
    let to = close;
    if (to > from && s.charCodeAt(to - 1) === DASH) to--;
    to = Math.max(whiteRunFrom[to]!, from);
    if (terminators[to]! - terminators[from]! === 0) {
      out.push({ start: i, end: close + 2, expr: s.slice(from, to) });
      i = close + 2;
    } else i++;
  }
  return out;
}

/** `s` with each placeholder replaced by what `replace` returns for it (String.replace with the regex, linear). */
export function replacePlaceholders(s: string, matches: readonly PlaceholderMatch[], replace: (expr: string) => string): string {
  let out = "";
  let at = 0;
  for (const m of matches) {
    out += s.slice(at, m.start) + replace(m.expr);
    at = m.end;
  }
  return out + s.slice(at);
}
