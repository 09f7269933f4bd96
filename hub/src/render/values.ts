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
  for (const [k, v] of Object.entries(override ?? {})) {
    if (v === null) {
      delete out[k];
    } else if (isPlainObject(v) && isPlainObject(out[k])) {
      out[k] = mergeValues(out[k] as Values, v);
    } else {
      out[k] = structuredClone(v);
    }
  }
  return out;
}

/** Merges layers left to right: later layers win. */
export const mergeAll = (...layers: (Values | undefined)[]): Values =>
  layers.reduce<Values>((acc, layer) => mergeValues(acc, layer), {});
