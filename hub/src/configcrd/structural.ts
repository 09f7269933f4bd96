import type { StructuralSchema } from "./types.js";

const SCALARS = new Set(["string", "integer", "number", "boolean"]);
const FORBIDDEN_IN_VALUE_VALIDATION = ["type", "description", "default", "nullable", "additionalProperties", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-list-type", "x-kubernetes-validations"] as const;

/**
 * The rules of "Specifying a structural schema" (Kubernetes docs) that a conversion could break, as
 * a list of problems (empty: structural). Checked on every conversion's output, so a bug in the
 * converter becomes a rejection with a reason rather than a CRD the API server refuses.
 */
export function structuralProblems(root: StructuralSchema): string[] {
  const problems: string[] = [];
  if (root.type !== "object") problems.push(". must be of type object");
  walk(root, ".", problems);
  return problems;
}

function walk(n: StructuralSchema, path: string, problems: string[]): void {
  if (!n.type && !n["x-kubernetes-preserve-unknown-fields"] && !n["x-kubernetes-int-or-string"]) problems.push(`${path}: no type`);
  if (n.properties && n.additionalProperties) problems.push(`${path}: both properties and additionalProperties`);
  if ((n as Record<string, unknown>).$ref !== undefined) problems.push(`${path}: $ref`);
  if ((n as Record<string, unknown>).uniqueItems === true) problems.push(`${path}: uniqueItems`);
  if (n.type === "array" && !n.items) problems.push(`${path}: array without items`);
  if (n["x-kubernetes-list-type"] === "set" && !(n.items?.type && SCALARS.has(n.items.type))) problems.push(`${path}: list-type set of non-scalars`);
  for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, `${path}.${k}`, problems);
  if (n.additionalProperties) walk(n.additionalProperties, `${path}.*`, problems);
  if (n.items) walk(n.items, `${path}[*]`, problems);
  for (const key of ["allOf", "anyOf", "oneOf"] as const) for (const b of n[key] ?? []) valueValidation(b, n, `${path}.${key}`, problems);
  if (n.not) valueValidation(n.not, n, `${path}.not`, problems);
}

function valueValidation(b: StructuralSchema, outer: StructuralSchema, path: string, problems: string[]): void {
  for (const k of FORBIDDEN_IN_VALUE_VALIDATION) if ((b as Record<string, unknown>)[k] !== undefined) problems.push(`${path}: ${k} inside a value validation`);
  for (const [k, v] of Object.entries(b.properties ?? {})) {
    const o = outer.properties?.[k];
    if (!o) problems.push(`${path}: field ${k} not specified outside`);
    else valueValidation(v, o, `${path}.${k}`, problems);
  }
  if (b.items) {
    if (!outer.items) problems.push(`${path}: items not specified outside`);
    else valueValidation(b.items, outer.items, `${path}[*]`, problems);
  }
  for (const key of ["allOf", "anyOf", "oneOf"] as const) for (const x of b[key] ?? []) valueValidation(x, outer, `${path}.${key}`, problems);
  if (b.not) valueValidation(b.not, outer, `${path}.not`, problems);
}
