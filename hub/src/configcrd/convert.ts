import { re2Pattern } from "@flotilla/shared";
import { DEFAULT_BUDGET, type Budget } from "./budget.js";
import { fitsNode, valueOnly } from "./combinators.js";
import { bound, describe, isNonNegInt, SHARED_FORMATS } from "./keywords.js";
import { mergeBranch } from "./merge.js";
import { itemsPath, mapPath, propPath, ROOT_PATH } from "./paths.js";
import { isSchemaObject, resolveTop, type JsonSchema } from "./refs.js";
import { structuralProblems } from "./structural.js";
import type { Conversion, StructuralSchema, Widening } from "./types.js";

const SCALARS = new Set(["string", "integer", "number", "boolean"]);
const ALL_TYPES = ["object", "array", "string", "integer", "number", "boolean"] as const;
type Kind = (typeof ALL_TYPES)[number];

/** Keywords with no structural form: the node keeps its type and loses the constraint. */
const WIDEN_ALWAYS = ["if", "then", "else", "dependencies", "dependentRequired", "dependentSchemas", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains", "minContains", "maxContains", "prefixItems", "additionalItems", "$dynamicRef", "$recursiveRef"];

interface Ctx {
  root: unknown;
  budget: Budget;
  nodes: number;
  kept: Set<string>;
  widened: Widening[];
}

/**
 * Converts a Helm values JSON Schema (draft-04 to 2020-12) into the structural OpenAPI v3 schema of a
 * CRD field. Whatever the CRD can check exactly is kept; whatever it cannot is widened (the CRD accepts
 * more there) and listed, so nothing is dropped unseen; the hub keeps checking the full JSON Schema
 * before it uses the values. Only a schema whose root cannot be an object (Helm values are a map) is
 * rejected. Pure: no I/O, no remote `$ref`s. docs/config-crd.md has the mapping with examples.
 */
export function convertSchema(jsonSchema: unknown, budget: Budget = DEFAULT_BUDGET): Conversion {
  const ctx: Ctx = { root: jsonSchema, budget, nodes: 0, kept: new Set(), widened: [] };
  const reject = (reason: NonNullable<Conversion["rejected"]>["reason"], message: string): Conversion => ({
    schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    kept: [],
    widened: [],
    rejected: { reason, message },
  });
  if (jsonSchema === false) return reject("NotAnObjectSchema", "the schema is `false`: no values are valid");
  if (jsonSchema !== true && !isSchemaObject(jsonSchema)) return reject("Invalid", "the schema is not a JSON object");
  const top = resolveTop(jsonSchema, jsonSchema, []);
  if (!top.ok) return reject("Unresolvable", `the root $ref ${top.ref} is ${top.why === "recursive" ? "recursive" : "not in the document"}`);
  const rootTypes = typesOf(isSchemaObject(top.schema) ? top.schema.type : undefined);
  if (rootTypes && !rootTypes.includes("object")) {
    return reject("NotAnObjectSchema", `the root allows type ${JSON.stringify(isSchemaObject(top.schema) ? top.schema.type : undefined)}, but Helm values are always an object`);
  }
  const schema = node(ctx, jsonSchema, ROOT_PATH, 0, [], true);
  const problems = structuralProblems(schema);
  if (problems.length) return reject("Invalid", `the converted schema is not structural (a conversion bug): ${problems.slice(0, 5).join("; ")}`);
  return { schema, kept: [...ctx.kept].sort(), widened: ctx.widened };
}

/** Any JSON value, null included (a node without nullable would have its nulls pruned, and a required one refused). */
const ANY: StructuralSchema = { nullable: true, "x-kubernetes-preserve-unknown-fields": true };
/** The root (and only the root) when anything goes: an object with any fields. */
const ANY_OBJECT: StructuralSchema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

function widen(ctx: Ctx, path: string, construct: string, why: string): void {
  ctx.widened.push({ path, construct, why });
}

function anyValue(s: JsonSchema | undefined): StructuralSchema {
  const d = s ? describe(s) : undefined;
  return { ...(d ? { description: d } : {}), ...ANY };
}

function typesOf(t: unknown): string[] | undefined {
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  return undefined;
}

/** One schema node at `path`. `refs` are the `$ref`s being expanded above (cycle guard). */
function node(ctx: Ctx, input: unknown, path: string, depth: number, refs: readonly string[], isRoot = false): StructuralSchema {
  ctx.nodes++;
  if (ctx.nodes > ctx.budget.maxNodes || depth > ctx.budget.maxDepth) {
    widen(ctx, path, "size", ctx.nodes > ctx.budget.maxNodes ? `more than ${ctx.budget.maxNodes} schema nodes (after inlining $refs)` : `nested deeper than ${ctx.budget.maxDepth} levels`);
    return isRoot ? ANY_OBJECT : ANY;
  }
  if (input === true) return isRoot ? ANY_OBJECT : ANY;
  if (input === false) {
    widen(ctx, path, "false", "a `false` schema (no value allowed) has no structural form");
    return ANY;
  }
  if (!isSchemaObject(input)) {
    widen(ctx, path, "not a schema", `${JSON.stringify(input)} is not a JSON Schema`);
    return ANY;
  }
  const top = resolveTop(ctx.root, input, refs);
  if (!top.ok) {
    widen(ctx, path, "$ref", top.why === "recursive" ? `${top.ref} refers to itself; the recursion is cut here` : `${top.ref} does not resolve inside the document (remote $refs are not fetched)`);
    return isRoot ? ANY_OBJECT : anyValue(input);
  }
  if (top.refs.length) ctx.kept.add("$ref");
  const seen = [...refs, ...top.refs];
  const s = flattenAllOf(ctx, top.schema, path, seen);
  if (!s) return anyValue(undefined);
  if (s.schema === true) return isRoot ? ANY_OBJECT : ANY;
  return typed(ctx, s.schema, s.valueOnly, path, depth, seen, isRoot);
}

/**
 * Folds `allOf` branches that carry structure into the node; branches that only validate values
 * (`required`, `enum`, bounds…) stay an `allOf`, which structural schemas allow.
 */
function flattenAllOf(ctx: Ctx, input: unknown, path: string, refs: readonly string[]): { schema: JsonSchema | true; valueOnly: StructuralSchema[] } | undefined {
  if (input === true) return { schema: true, valueOnly: [] };
  if (!isSchemaObject(input)) return undefined;
  const kept: StructuralSchema[] = [];
  let s: JsonSchema = input;
  for (let guard = 0; Array.isArray(s.allOf) && guard < 64; guard++) {
    const { allOf, ...rest } = s;
    s = rest;
    ctx.kept.add("allOf");
    for (const b of allOf as unknown[]) {
      const r = resolveTop(ctx.root, b, refs);
      if (!r.ok) {
        widen(ctx, path, "allOf/$ref", `${r.ref} ${r.why === "recursive" ? "refers to itself" : "does not resolve inside the document"}; that branch is not checked`);
        continue;
      }
      if (r.schema === true || !isSchemaObject(r.schema)) continue;
      const vo = valueOnly(r.schema);
      if (vo.ok) {
        kept.push(vo.schema);
        continue;
      }
      const { merged, dropped } = mergeBranch(s, r.schema);
      s = merged;
      for (const k of dropped) widen(ctx, path, `allOf: ${k}`, `two allOf branches set ${k} differently; neither is checked by the CRD`);
    }
  }
  return { schema: s, valueOnly: kept };
}

function typed(ctx: Ctx, s: JsonSchema, allOfValueOnly: StructuralSchema[], path: string, depth: number, refs: readonly string[], isRoot: boolean): StructuralSchema {
  for (const k of WIDEN_ALWAYS) if (k in s) widen(ctx, path, k, `${k} has no structural OpenAPI form; it is not checked by the CRD`);

  // Helm values are always a map: a root without a type, or with several, is an object.
  let types = isRoot ? ["object"] : typesOf(s.type);
  let open = false; // the object may hold fields the CRD does not list
  const combos: Pick<StructuralSchema, "anyOf" | "oneOf" | "not"> = {};
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = s[key];
    if (!Array.isArray(branches)) continue;
    const resolved = branches.map((b) => resolveTop(ctx.root, b, refs));
    const schemas = resolved.map((r) => (r.ok ? r.schema : true));
    const vos = schemas.map((b) => (isSchemaObject(b) ? valueOnly(b) : { ok: false as const }));
    if (vos.every((v) => v.ok)) {
      combos[key] = vos.map((v) => (v as { schema: StructuralSchema }).schema);
      ctx.kept.add(key);
      continue;
    }
    // Branches with structure: the node takes the union of their types and the branches' own
    // constraints are not checked, unless every branch is nothing but a type (`[{type: string}, {type: null}]`).
    const branchTypes = schemas.map((b) => (isSchemaObject(b) ? (typesOf(b.type) ?? [...ALL_TYPES, "null"]) : [...ALL_TYPES, "null"]));
    const union = [...new Set(branchTypes.flat())];
    if (!isRoot) types = types ? types.filter((t) => union.includes(t) || (t === "integer" && union.includes("number"))) : union;
    const typeOnly = schemas.every((b) => isSchemaObject(b) && typesOf(b.type) && Object.keys(b).every((k) => k === "type" || k === "description" || k === "title"));
    if (typeOnly) ctx.kept.add(`${key} of types`);
    else {
      widen(ctx, path, key, `${key} branches with their own structure cannot be told apart by a structural schema; the CRD checks only their types (${union.join(", ")})`);
      open = true;
    }
  }
  if (s.not !== undefined) {
    const vo = isSchemaObject(s.not) ? valueOnly(s.not) : { ok: false as const };
    if (vo.ok) {
      combos.not = vo.schema;
      ctx.kept.add("not");
    } else widen(ctx, path, "not", "`not` over a schema with structure has no structural form; it is not checked by the CRD");
  }

  const description = describe(s);
  const base: StructuralSchema = description ? { description } : {};
  if ("default" in s) ctx.kept.add("default (in description)");

  const nullable = types?.includes("null") ?? false;
  let kinds = (types ?? [...ALL_TYPES]).filter((t): t is Kind => (ALL_TYPES as readonly string[]).includes(t));
  if (kinds.includes("integer") && kinds.includes("number")) kinds = kinds.filter((k) => k !== "integer");
  // Value-only branches may name only fields the node lists; one that names others is not checked.
  const withCombos = (n: StructuralSchema): StructuralSchema => {
    const fit = (b: StructuralSchema, what: string): boolean => {
      if (fitsNode(b, n)) return true;
      widen(ctx, path, what, `the ${what} branch names fields the node does not list; a structural schema cannot check it`);
      return false;
    };
    const out: StructuralSchema = { ...n };
    const all = allOfValueOnly.filter((b) => fit(b, "allOf"));
    if (all.length) out.allOf = all;
    for (const key of ["anyOf", "oneOf"] as const) {
      const list = combos[key];
      // anyOf/oneOf stand or fall together: dropping one branch would change what the others mean
      if (list && list.every((b) => fit(b, key))) out[key] = list;
    }
    if (combos.not && fit(combos.not, "not")) out.not = combos.not;
    return out;
  };

  if (!types) {
    const constrained = Object.keys(s).some((k) => TYPE_SPECIFIC.has(k)) || allOfValueOnly.length > 0 || Object.keys(combos).length > 0;
    if (constrained) widen(ctx, path, "no type", "constraints without a `type` apply only to values of their type; a structural schema needs one type, so any value is accepted here");
    else ctx.kept.add("no type (any value)");
    return { ...base, ...ANY };
  }
  if (nullable && kinds.length) ctx.kept.add("type null (nullable)");
  if (kinds.length === 0) {
    widen(ctx, path, "type: null", "a value that can only be null has no structural form");
    return { ...base, ...ANY };
  }
  if (kinds.length === 2 && kinds.includes("integer") && kinds.includes("string")) {
    ctx.kept.add("type [integer, string] (int-or-string)");
    const e = enumOf(ctx, s, (v) => typeof v === "string" || Number.isInteger(v), nullable, path);
    for (const k of ["pattern", "minLength", "maxLength", "minimum", "maximum", "format"]) if (k in s) widen(ctx, path, k, `${k} on an int-or-string value is not checked by the CRD`);
    return withCombos({ ...base, "x-kubernetes-int-or-string": true, ...(nullable ? { nullable: true } : {}), ...e });
  }
  if (kinds.length > 1) {
    widen(ctx, path, `type: [${kinds.join(", ")}]`, "a structural schema has one type per field (int-or-string aside); any value is accepted here");
    return { ...base, ...ANY };
  }
  const kind = kinds[0]!;
  ctx.kept.add(`type ${kind}`);
  const n: StructuralSchema = { ...base, type: kind, ...(nullable ? { nullable: true } : {}) };
  if (SCALARS.has(kind)) return withCombos({ ...n, ...scalar(ctx, s, kind, nullable, path) });
  if ("enum" in s || "const" in s) widen(ctx, path, "enum" in s ? "enum" : "const", `an ${kind} enum is not checked by the CRD`);
  if (kind === "array") return withCombos({ ...n, ...array(ctx, s, path, depth, refs) });
  return withCombos(object(ctx, s, n, path, depth, refs, open));
}

const TYPE_SPECIFIC = new Set(["properties", "additionalProperties", "patternProperties", "required", "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minProperties", "maxProperties", "enum", "const"]);

function enumOf(ctx: Ctx, s: JsonSchema, fits: (v: unknown) => boolean, nullable: boolean, path: string): Pick<StructuralSchema, "enum"> {
  const raw = Array.isArray(s.enum) ? s.enum : "const" in s ? [s.const] : undefined;
  if (!raw) return {};
  const keyword = Array.isArray(s.enum) ? "enum" : "const";
  // Values of another type could never pass the type check: leaving them out changes nothing.
  const members = raw.filter((v) => (v === null ? nullable : fits(v)));
  if (!members.length) {
    widen(ctx, path, keyword, "no member fits the type, so no value is valid; Kubernetes has no empty enum");
    return {};
  }
  ctx.kept.add(keyword);
  return { enum: members };
}

function scalar(ctx: Ctx, s: JsonSchema, kind: string, nullable: boolean, path: string): StructuralSchema {
  const fits = (v: unknown) => (kind === "string" ? typeof v === "string" : kind === "boolean" ? typeof v === "boolean" : kind === "integer" ? Number.isInteger(v) : typeof v === "number");
  const out: StructuralSchema = { ...enumOf(ctx, s, fits, nullable, path) };
  if (kind === "string") {
    counts(ctx, s, out, "minLength");
    counts(ctx, s, out, "maxLength");
    if (typeof s.pattern === "string") {
      const p = re2Pattern(s.pattern);
      if (p.ok) {
        out.pattern = p.pattern;
        ctx.kept.add("pattern");
      } else widen(ctx, path, "pattern", `${JSON.stringify(s.pattern)}: ${p.why}`);
    }
  } else if (kind === "integer" || kind === "number") {
    Object.assign(out, bound(s, "min"), bound(s, "max"));
    if (out.minimum !== undefined) ctx.kept.add("minimum");
    if (out.maximum !== undefined) ctx.kept.add("maximum");
    if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
      out.multipleOf = s.multipleOf;
      ctx.kept.add("multipleOf");
    }
  }
  if (typeof s.format === "string" && kind !== "boolean") {
    if (SHARED_FORMATS.has(s.format)) {
      out.format = s.format;
      ctx.kept.add(`format ${s.format}`);
    } else widen(ctx, path, `format: ${s.format}`, "Kubernetes does not check this format the way JSON Schema does");
  }
  return out;
}

function array(ctx: Ctx, s: JsonSchema, path: string, depth: number, refs: readonly string[]): StructuralSchema {
  const out: StructuralSchema = {};
  counts(ctx, s, out, "minItems");
  counts(ctx, s, out, "maxItems");
  if (Array.isArray(s.items)) {
    widen(ctx, path, "items: [tuple]", "tuple items (one schema per position) have no structural form; any items are accepted");
    out.items = ANY;
  } else if (s.items === undefined) {
    ctx.kept.add("array without items");
    out.items = ANY;
  } else out.items = node(ctx, s.items, itemsPath(path), depth + 1, refs);
  if (s.uniqueItems === true) {
    const it = out.items;
    if (it.type && SCALARS.has(it.type) && !it.nullable) {
      out["x-kubernetes-list-type"] = "set";
      ctx.kept.add("uniqueItems (scalars: list-type set)");
    } else widen(ctx, path, "uniqueItems", "Kubernetes refuses uniqueItems and checks uniqueness only for lists of scalars (x-kubernetes-list-type: set)");
  }
  return out;
}

function object(ctx: Ctx, s: JsonSchema, n: StructuralSchema, path: string, depth: number, refs: readonly string[], open: boolean): StructuralSchema {
  const out: StructuralSchema = { ...n };
  const props = isSchemaObject(s.properties) ? s.properties : undefined;
  const ap = s.additionalProperties;
  if (props && Object.keys(props).length) {
    ctx.kept.add("properties");
    out.properties = {};
    for (const [k, v] of Object.entries(props)) out.properties[k] = node(ctx, v, propPath(path, k), depth + 1, refs);
  }
  if (Array.isArray(s.required) && s.required.length) {
    out.required = [...new Set(s.required.filter((r): r is string => typeof r === "string"))];
    ctx.kept.add("required");
  }
  counts(ctx, s, out, "minProperties");
  counts(ctx, s, out, "maxProperties");
  if (isSchemaObject(s.patternProperties)) {
    widen(ctx, path, "patternProperties", "fields matched by a name pattern have no structural form; fields not listed in properties are accepted unchecked");
    open = true;
  }
  const patterned = isSchemaObject(s.patternProperties) && Object.keys(s.patternProperties).length > 0;
  if (ap === false) ctx.kept.add("additionalProperties: false");
  else if (ap === undefined || ap === true) {
    // JSON Schema allows unknown fields unless told otherwise; pruning them would drop values.
    open = true;
    ctx.kept.add(ap === true ? "additionalProperties: true" : "additionalProperties absent");
  } else if (out.properties || patterned) {
    // additionalProperties covers only the fields properties and patternProperties leave: as a map it would check them all
    widen(ctx, path, `${out.properties ? "properties" : "patternProperties"} with additionalProperties`, "a structural schema cannot check additionalProperties beside them; fields not listed in properties are accepted unchecked");
    open = true;
  } else {
    out.additionalProperties = node(ctx, ap, mapPath(path), depth + 1, refs);
    ctx.kept.add("additionalProperties: schema (map)");
  }
  if (open && !out.additionalProperties) out["x-kubernetes-preserve-unknown-fields"] = true;
  return out;
}

type CountKey = "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties";

/** A non-negative count keyword, kept as it is. */
function counts(ctx: Ctx, s: JsonSchema, out: StructuralSchema, key: CountKey): void {
  const v = s[key];
  if (!isNonNegInt(v)) return;
  out[key] = v;
  ctx.kept.add(key);
}
