/**
 * CEL for `healthChecks[].cel` (@marcbachmann/cel-js: no dependencies, ~300 KB; see agent/README).
 * The library is imported on first use, so an agent whose addons have no CEL rule never loads it,
 * and each expression is compiled once, cached by its text.
 */
import type { Environment } from "@marcbachmann/cel-js";

/** Runs a compiled expression on a live object: its result, or throws with the evaluation error. */
export type CelProgram = (object: unknown) => unknown;
export type CelCompiled = { ok: true; run: CelProgram } | { ok: false; error: string };

export interface CelCompiler {
  compile(expression: string): CelCompiled;
}

/** Most compiled expressions kept; past it the oldest go (each bundle holds at most 32 × 8). */
const MAX_CACHED = 1024;

/** The first line of a library error (its message goes on with a pointer into the expression). */
export const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split("\n")[0]?.trim() ?? "";

/** JSON integers are CEL ints (bigint in this library), as in Kubernetes CEL; other numbers stay doubles. */
export function toCel(v: unknown): unknown {
  if (typeof v === "number") return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  return v;
}

/** Compiles against a loaded environment; pure apart from the library. */
export function compileWith(env: Environment, expression: string): CelCompiled {
  let parsed: ReturnType<Environment["parse"]>;
  try {
    parsed = env.parse(expression);
  } catch (err) {
    return { ok: false, error: `does not compile: ${firstLine(err)}` };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, error: `does not compile: ${firstLine(checked.error)}` };
  if (checked.type !== "bool" && checked.type !== "dyn") return { ok: false, error: `returns ${checked.type ?? "no value"}, not a bool` };
  return { ok: true, run: (object) => parsed({ object: toCel(object) }) };
}

/** A cache of compiled programs over one lazily loaded environment (variable `object`, a map). */
export class CelPrograms implements CelCompiler {
  private env: Environment | undefined;
  private loading: Promise<Environment> | undefined;
  private readonly cache = new Map<string, CelCompiled>();

  /** Loads the library once; resolves to this, ready to compile. */
  async load(): Promise<CelCompiler> {
    if (!this.env) {
      this.loading ??= import("@marcbachmann/cel-js").then(({ Environment }) => new Environment({ enableOptionalTypes: true }).registerVariable("object", "map"));
      try {
        this.env = await this.loading;
      } catch (err) {
        this.loading = undefined; // let a later evaluation try again
        throw err;
      }
    }
    return this;
  }

  compile(expression: string): CelCompiled {
    const hit = this.cache.get(expression);
    if (hit) return hit;
    if (!this.env) throw new Error("CelPrograms.compile before load()");
    const compiled = compileWith(this.env, expression);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(expression, compiled);
    return compiled;
  }
}
