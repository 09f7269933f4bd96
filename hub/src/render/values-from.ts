/**
 * `spec.valuesFrom`: values from hub ConfigMaps and Secrets, read from the hub's watch of the labelled
 * ones (pure: the lookup is passed in). Merged in order; a missing object or key holds the cluster back
 * unless the reference is `optional`. Messages name the object and the key, never the data.
 */
import { parse as parseYaml } from "yaml";
import type { ValuesReference, Values } from "../api/types.js";
import { isPlainObject, mergeAll } from "./values.js";

/** The label a ConfigMap or Secret needs for the hub to watch it (and so to use it in `valuesFrom`). */
export const VALUES_LABEL = "addon.flotilla.dev/values";
export const DEFAULT_VALUES_KEY = "values.yaml";

/** The object as the watch has it: ConfigMap `data`, or a Secret's `data` (base64). */
export interface ValuesObject {
  data?: Record<string, string>;
}

export type ValuesLookup = (kind: ValuesReference["kind"], namespace: string, name: string) => ValuesObject | undefined;

export type ValuesFromResult = { ok: true; values: Values | undefined } | { ok: false; reason: "ValuesFromNotFound" | "ValuesFromInvalid"; message: string };

const describeRef = (r: ValuesReference): string => `${r.kind} ${r.namespace}/${r.name}`;

export function valuesFrom(refs: readonly ValuesReference[] | undefined, lookup: ValuesLookup): ValuesFromResult {
  if (!refs?.length) return { ok: true, values: undefined };
  const layers: Values[] = [];
  for (const [i, r] of refs.entries()) {
    const key = r.valuesKey ?? DEFAULT_VALUES_KEY;
    const where = `valuesFrom[${i}] (${describeRef(r)}, key ${key})`;
    const obj = lookup(r.kind, r.namespace, r.name);
    const raw = obj?.data?.[key];
    if (raw === undefined) {
      if (r.optional) continue;
      const why = obj ? `has no key ${key}` : `is not there (or lacks the label ${VALUES_LABEL}=true)`;
      return { ok: false, reason: "ValuesFromNotFound", message: `${where}: ${describeRef(r)} ${why}` };
    }
    const text = r.kind === "Secret" ? Buffer.from(raw, "base64").toString("utf8") : raw;
    let doc: unknown;
    try {
      doc = parseYaml(text, { version: "1.1" });
    } catch (err) {
      // the parser's message quotes no data beyond a line and column
      return { ok: false, reason: "ValuesFromInvalid", message: `${where}: not YAML (${(err as Error).message.split("\n")[0]})` };
    }
    if (doc === null || doc === undefined) continue;
    if (!isPlainObject(doc)) return { ok: false, reason: "ValuesFromInvalid", message: `${where}: not a map of values` };
    layers.push(doc);
  }
  return { ok: true, values: layers.length ? mergeAll(...layers) : undefined };
}
