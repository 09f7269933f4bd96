import { re2Pattern } from "@flotilla/shared";
import { bound, isNonNegInt } from "./keywords.js";
import { ANNOTATIONS, isSchemaObject, type JsonSchema } from "./refs.js";
import type { StructuralSchema } from "./types.js";

/**
 * A branch of allOf/anyOf/oneOf/not that only validates values (`oneOf: [{required: [a]}, {required:
 * [b]}]`), which a structural schema may carry as it is: no type, no description, no default, nothing
 * but value checks, and only on fields the node itself lists (checked by the caller with `fitsNode`).
 */
export function valueOnly(s: JsonSchema): { ok: true; schema: StructuralSchema } | { ok: false } {
  const out: StructuralSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (ANNOTATIONS.has(k)) continue;
    switch (k) {
      case "required":
        if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return { ok: false };
        out.required = v as string[];
        break;
      case "enum":
        if (!Array.isArray(v)) return { ok: false };
        out.enum = v;
        break;
      case "const":
        out.enum = [v];
        break;
      case "minimum":
      case "exclusiveMinimum":
        Object.assign(out, bound(s, "min"));
        break;
      case "maximum":
      case "exclusiveMaximum":
        Object.assign(out, bound(s, "max"));
        break;
      case "multipleOf":
        if (typeof v !== "number" || v <= 0) return { ok: false };
        out.multipleOf = v;
        break;
      case "minLength":
      case "maxLength":
      case "minItems":
      case "maxItems":
      case "minProperties":
      case "maxProperties":
        if (!isNonNegInt(v)) return { ok: false };
        out[k] = v;
        break;
      case "pattern": {
        const p = typeof v === "string" ? re2Pattern(v) : undefined;
        if (!p?.ok) return { ok: false };
        out.pattern = p.pattern;
        break;
      }
      case "properties": {
        if (!isSchemaObject(v)) return { ok: false };
        const props: Record<string, StructuralSchema> = {};
        for (const [name, sub] of Object.entries(v)) {
          const r = isSchemaObject(sub) ? valueOnly(sub) : { ok: false as const };
          if (!r.ok) return { ok: false };
          props[name] = r.schema;
        }
        out.properties = props;
        break;
      }
      case "items": {
        const r = isSchemaObject(v) ? valueOnly(v) : { ok: false as const };
        if (!r.ok) return { ok: false };
        out.items = r.schema;
        break;
      }
      case "not": {
        const r = isSchemaObject(v) ? valueOnly(v) : { ok: false as const };
        if (!r.ok) return { ok: false };
        out.not = r.schema;
        break;
      }
      case "allOf":
      case "anyOf":
      case "oneOf": {
        if (!Array.isArray(v)) return { ok: false };
        const list: StructuralSchema[] = [];
        for (const b of v) {
          const r = isSchemaObject(b) ? valueOnly(b) : { ok: false as const };
          if (!r.ok) return { ok: false };
          list.push(r.schema);
        }
        out[k] = list;
        break;
      }
      default:
        return { ok: false };
    }
  }
  return { ok: true, schema: out };
}

/** Whether every field and item a value-only branch names is one the node itself specifies. */
export function fitsNode(branch: StructuralSchema, n: StructuralSchema): boolean {
  for (const [name, sub] of Object.entries(branch.properties ?? {})) {
    const outer = n.properties?.[name];
    if (!outer || !fitsNode(sub, outer)) return false;
  }
  if (branch.items && (!n.items || !fitsNode(branch.items, n.items))) return false;
  for (const list of [branch.allOf, branch.anyOf, branch.oneOf]) if (list?.some((b) => !fitsNode(b, n))) return false;
  return !branch.not || fitsNode(branch.not, n);
}
