/**
 * Whole-value placeholders in manifests (DESIGN §4): `{{ .Values.a.b }}`, `{{ .Cluster.Name }}`,
 * `{{ .Cluster.Labels.region }}`. A string that is exactly one placeholder takes the value's type;
 * inside a longer string the value is interpolated. No logic and no functions.
 */
import { setOwn } from "@flotilla/shared";
import { findPlaceholders, replacePlaceholders } from "./placeholder-scan.js";
import { isPlainObject } from "./values.js";

export interface RenderContext {
  values: Record<string, unknown>;
  cluster: { name: string; labels: Record<string, string> };
}

export class PlaceholderError extends Error {
  constructor(
    message: string,
    readonly placeholder: string,
    readonly at: string,
  ) {
    super(message);
    this.name = "PlaceholderError";
  }
}

const PATH = /^\.[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

function resolve(expr: string, ctx: RenderContext, at: string): unknown {
  if (!PATH.test(expr)) {
    throw new PlaceholderError(`unsupported placeholder {{ ${expr} }} (at ${at}): only .Values.<path>, .Cluster.Name and .Cluster.Labels.<key> are allowed`, expr, at);
  }
  const [root, ...rest] = expr.slice(1).split(".");
  let node: unknown;
  let path: string[];
  if (root === "Values") {
    node = ctx.values;
    path = rest;
  } else if (root === "Cluster" && rest[0] === "Name" && rest.length === 1) {
    return ctx.cluster.name;
  } else if (root === "Cluster" && rest[0] === "Labels") {
    node = ctx.cluster.labels;
    path = rest.slice(1);
  } else {
    throw new PlaceholderError(`unknown placeholder {{ ${expr} }} (at ${at}): only .Values.<path>, .Cluster.Name and .Cluster.Labels.<key> are allowed`, expr, at);
  }
  for (const seg of path) {
    if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, seg)) {
      throw new PlaceholderError(`${expr} is not defined (at ${at})`, expr, at);
    }
    node = node[seg];
  }
  return node;
}

const interpolate = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);

/** Renders one string: a lone placeholder keeps its value's type, others are interpolated. */
export function renderString(s: string, ctx: RenderContext, at: string): unknown {
  if (!s.includes("{{")) return s;
  // not a regular expression: the one that finds placeholders backtracks (placeholder-scan.ts)
  const matches = findPlaceholders(s);
  const only = matches[0];
  if (matches.length === 1 && only && only.start === 0 && only.end === s.length) return structuredClone(resolve(only.expr, ctx, at));
  return replacePlaceholders(s, matches, (expr) => interpolate(resolve(expr, ctx, at)));
}

/** Renders every string value in a JSON tree (object keys are left alone). `at` is a JSON path. */
export function renderTree(node: unknown, ctx: RenderContext, at: string): unknown {
  if (typeof node === "string") return renderString(node, ctx, at);
  if (Array.isArray(node)) return node.map((v, i) => renderTree(v, ctx, `${at}[${i}]`));
  if (isPlainObject(node)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) setOwn(out, k, renderTree(v, ctx, at ? `${at}.${k}` : k));
    return out;
  }
  return node;
}
