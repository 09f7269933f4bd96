import { getOwn, setOwn } from "@flotilla/shared";
import type { Values } from "../api/types.js";

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Deep merge with Helm's semantics: objects merge key by key, anything else (arrays included) in
 * `override` replaces what is in `base`, and `null` in `override` removes the key. Inputs are not
 * mutated.
 */
export function mergeValues(base: Values | undefined, override: Values | undefined): Values {
  const out: Values = { ...(base ?? {}) };
  // setOwn/getOwn: a key named `__proto__` is a value like any other (see shared/json/own.ts)
  for (const [k, v] of Object.entries(override ?? {})) {
    const mine = getOwn(out, k);
    if (v === null) {
      delete out[k];
    } else if (isPlainObject(v) && isPlainObject(mine)) {
      setOwn(out, k, mergeValues(mine as Values, v));
    } else {
      setOwn(out, k, structuredClone(v));
    }
  }
  return out;
}

/** Merges layers left to right: later layers win. */
export const mergeAll = (...layers: (Values | undefined)[]): Values =>
  layers.reduce<Values>((acc, layer) => mergeValues(acc, layer), {});
