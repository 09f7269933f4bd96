/**
 * Values a schema marks sensitive (`x-flotilla-secret: true`) (pure). They may come only from
 * `valuesFrom` Secrets: set inline (CMA, placement, MCA, config object) they would sit in clear in those
 * objects and in every AddOnRevision, so such a value is refused with its path. An addon whose schema
 * has any is published only sealed to the cluster's agent.
 */
import { isPlainObject } from "./values.js";

export const SECRET_MARK = "x-flotilla-secret";

/** Dotted paths of the properties marked secret, following `properties` (nested objects) only. */
export function secretPaths(schema: unknown, prefix = "", depth = 0): string[] {
  if (!isPlainObject(schema) || depth > 32) return [];
  const out: string[] = [];
  if (schema[SECRET_MARK] === true && prefix) out.push(prefix);
  const props = schema.properties;
  if (isPlainObject(props)) {
    for (const [k, sub] of Object.entries(props)) out.push(...secretPaths(sub, prefix ? `${prefix}.${k}` : k, depth + 1));
  }
  return out;
}

/** The secret paths `values` sets (any value, even null: the layer names it). */
export function secretPathsSet(values: unknown, paths: readonly string[]): string[] {
  return paths.filter((p) => {
    let v: unknown = values;
    for (const k of p.split(".")) {
      if (!isPlainObject(v) || !Object.hasOwn(v, k)) return false;
      v = v[k];
    }
    return true;
  });
}

/** Why inline layers may not carry these values; undefined when none does. */
export function inlineSecretsMessage(schema: unknown, layers: readonly { where: string; values: unknown }[]): string | undefined {
  const paths = secretPaths(schema);
  if (!paths.length) return undefined;
  for (const l of layers) {
    const set = secretPathsSet(l.values, paths);
    if (set.length) return `${l.where} sets ${set.map((p) => `values.${p}`).join(", ")}, marked ${SECRET_MARK}: take ${set.length > 1 ? "them" : "it"} from a Secret through valuesFrom, so ${set.length > 1 ? "they stay" : "it stays"} out of the addon's objects and revisions`;
  }
  return undefined;
}
