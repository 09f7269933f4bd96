/**
 * `$ref` inside one document: JSON pointers (`#/$defs/x`, `#/definitions/x`, `#/properties/a`).
 * Remote references are not fetched (the hub never reaches out while converting) and come back
 * unresolved, so the caller widens them.
 */
export type JsonSchema = Record<string, unknown>;

export const isSchemaObject = (v: unknown): v is JsonSchema => typeof v === "object" && v !== null && !Array.isArray(v);

/** The schema a `#/…` pointer names in `root`, or undefined. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const seg = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(seg)) node = node[Number(seg)];
    else if (isSchemaObject(node) && Object.hasOwn(node, seg)) node = node[seg];
    else return undefined;
  }
  return node;
}

export type Resolved =
  | { ok: true; schema: unknown; refs: string[] }
  | { ok: false; ref: string; why: "unresolvable" | "recursive" };

/**
 * Follows a chain of `$ref`s at the top of `schema`. Keywords beside a `$ref` (allowed since draft
 * 2019-09) apply too, so they come back as an `allOf` of the siblings and the target. `seen` holds the
 * refs already being expanded on the way down: meeting one again is a cycle.
 */
export function resolveTop(root: unknown, schema: unknown, seen: readonly string[]): Resolved {
  let node = schema;
  const refs: string[] = [];
  while (isSchemaObject(node) && typeof node.$ref === "string") {
    const ref = node.$ref;
    if (seen.includes(ref) || refs.includes(ref)) return { ok: false, ref, why: "recursive" };
    const target = resolvePointer(root, ref);
    if (target === undefined) return { ok: false, ref, why: "unresolvable" };
    refs.push(ref);
    const { $ref: _ref, ...siblings } = node;
    node = hasKeywords(siblings) ? { allOf: [siblings, target] } : target;
  }
  return { ok: true, schema: node, refs };
}

/** Keywords that only annotate: they never make a value valid or invalid. */
export const ANNOTATIONS = new Set(["$schema", "$id", "$comment", "$anchor", "$dynamicAnchor", "$vocabulary", "title", "description", "default", "examples", "example", "readOnly", "writeOnly", "deprecated", "$defs", "definitions", "contentMediaType", "contentEncoding"]);

const hasKeywords = (s: JsonSchema): boolean => Object.keys(s).some((k) => !ANNOTATIONS.has(k) || k === "description");
