/**
 * JSON from the bus, parsed only once it is known to be small and shallow enough: the byte size is
 * checked before anything is decoded, and the nesting depth by one pass over the bytes before
 * JSON.parse. V8 parses a million nested arrays, but JSON.stringify, structuredClone and every
 * recursive walk after it overflow the stack on them, so the depth is refused here, at the edge.
 * Pure: no I/O, never throws.
 */

/** Deepest nesting accepted. Kubernetes objects, CRD schemas included, stay far below it. */
export const MAX_NESTING_DEPTH = 128;

/** Why bytes were refused before validation; each is a label of `flotilla_bus_messages_invalid_total`. */
export type ParseFailureReason = "TooLarge" | "TooDeep" | "NotJSON";
export type ParseResult = { ok: true; value: unknown } | { ok: false; reason: ParseFailureReason; error: string };

export interface ParseLimits {
  maxBytes: number;
  maxDepth?: number;
}

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The deepest nesting of `{`/`[` outside strings, stopping as soon as it passes `limit`. Works on the
 * UTF-8 bytes: no byte of a multi-byte character is ASCII, so a quote or bracket byte is always one.
 * Malformed input gets some number; JSON.parse judges the rest.
 */
export function nestingDepth(data: Uint8Array, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) depth--;
  }
  return max;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Bytes → a JSON value, or why not (too large, too deep, not UTF-8 JSON). */
export function parseBoundedJson(data: Uint8Array, limits: ParseLimits): ParseResult {
  if (data.byteLength > limits.maxBytes) {
    return { ok: false, reason: "TooLarge", error: `message of ${data.byteLength} bytes exceeds ${limits.maxBytes}` };
  }
  const maxDepth = limits.maxDepth ?? MAX_NESTING_DEPTH;
  if (nestingDepth(data, maxDepth) > maxDepth) return { ok: false, reason: "TooDeep", error: `nested deeper than ${maxDepth}` };
  try {
    return { ok: true, value: JSON.parse(decoder.decode(data)) };
  } catch (err) {
    return { ok: false, reason: "NotJSON", error: clip((err as Error).message) };
  }
}

/** Errors may quote the input (a key, a value): keep what reaches a log line short. */
export const clip = (s: string, max = 300): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
