import { canonicalJson } from "@flotilla/shared";
import { isPlainObject } from "../render/values.js";

function strip(v: unknown, ignore: ReadonlySet<string>): unknown {
  if (Array.isArray(v)) return v.map((x) => strip(x, ignore));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!ignore.has(k) && x !== undefined) out[k] = strip(x, ignore);
    return out;
  }
  return v;
}

/**
 * True when two documents differ in anything but the named keys (at any depth). Status writes use it
 * so timestamps alone never cause a write.
 */
export function differsIgnoring(a: unknown, b: unknown, ignore: readonly string[] = ["lastTransitionTime"]): boolean {
  const set = new Set(ignore);
  return canonicalJson(strip(a ?? {}, set)) !== canonicalJson(strip(b ?? {}, set));
}
