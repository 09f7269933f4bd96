import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { canonicalJson } from "../json/canonical.js";
import { linearRegExp } from "./linear-regexp.js";

/** The outcome of checking values against a `valuesSchema`. */
export type ValuesValidation = { ok: true } | { ok: false; errors: string[] };

export interface ValuesValidatorOptions {
  /** Compiled schemas kept, least recently used dropped first. Default 256. */
  maxSchemas?: number;
  /** Errors reported per validation; more are summed up in one last entry. Default 5. */
  maxErrors?: number;
}

// ajv-formats ships CJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;

type Compiled = { schema: object | boolean; validate: ValidateFunction } | { error: string };

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `/a/0/b~1c` → `values.a[0]["b/c"]`. */
export function valuesPath(instancePath: string): string {
  if (!instancePath) return "values";
  let out = "values";
  for (const raw of instancePath.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^(0|[1-9][0-9]*)$/.test(seg) ? `[${seg}]` : IDENT.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** One ajv error as `values.replicas: must be >= 0`, with the name ajv leaves in `params` where it helps. */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  let detail = "";
  if (e.keyword === "additionalProperties" && typeof p.additionalProperty === "string") detail = ` (${p.additionalProperty})`;
  else if (e.keyword === "enum" && Array.isArray(p.allowedValues)) detail = `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  return `${valuesPath(e.instancePath)}: ${e.message ?? e.keyword}${detail}`;
}

/**
 * Checks Helm-style values against a CMA's `valuesSchema` (JSON Schema draft-07, ajv 8). Compiled
 * schemas are cached by their canonical JSON, so the copies an informer hands out on every update
 * compile once. A schema that does not compile (a `pattern` RE2 cannot run among them) is reported
 * like invalid values, never thrown. One instance per process, built in main and passed down.
 */
export class ValuesValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, Compiled>();
  private readonly maxSchemas: number;
  private readonly maxErrors: number;

  constructor(opts: ValuesValidatorOptions = {}) {
    this.maxSchemas = Math.max(1, opts.maxSchemas ?? 256);
    this.maxErrors = Math.max(1, opts.maxErrors ?? 5);
    // Schemas come from users: their patterns run on a linear-time engine (linear-regexp.ts).
    this.ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: linearRegExp } });
    addFormats(this.ajv);
  }

  validate(schema: unknown, values: unknown): ValuesValidation {
    const compiled = this.compiled(schema);
    if ("error" in compiled) return { ok: false, errors: [`valuesSchema: ${compiled.error}`] };
    if (compiled.validate(values)) return { ok: true };
    const all = compiled.validate.errors ?? [];
    const errors = all.slice(0, this.maxErrors).map(describe);
    if (all.length > this.maxErrors) errors.push(`and ${all.length - this.maxErrors} more`);
    return { ok: false, errors: errors.length ? errors : ["values: invalid"] };
  }

  /** Number of schemas held (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }

  private compiled(schema: unknown): Compiled {
    const key = canonicalJson(schema);
    const hit = this.cache.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const entry = this.compile(schema);
    this.cache.set(key, entry);
    while (this.cache.size > this.maxSchemas) {
      const [oldest, evicted] = this.cache.entries().next().value as [string, Compiled];
      this.cache.delete(oldest);
      // ajv keeps every compiled schema object too; let it go with ours.
      if ("schema" in evicted && typeof evicted.schema === "object") this.ajv.removeSchema(evicted.schema);
    }
    return entry;
  }

  private compile(schema: unknown): Compiled {
    if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null || Array.isArray(schema))) {
      return { error: "must be an object or a boolean" };
    }
    // Our own copy: ajv keys its cache by object identity, and the caller's object may change.
    const own = structuredClone(schema);
    try {
      // Two addons (or two versions of one) may carry the same $id; the newest wins the registration.
      const id = typeof own === "object" ? (own as { $id?: unknown }).$id : undefined;
      if (typeof id === "string") this.ajv.removeSchema(id);
      return { schema: own, validate: this.ajv.compile(own) };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }
}
