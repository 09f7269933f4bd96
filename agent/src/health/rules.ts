/**
 * The addon's own readiness rules (CMA `spec.healthChecks`), applied on top of the built-in ones:
 * pure functions of the live object, the rules and a CEL compiler (cel.ts).
 */
import type { HealthCheck } from "@flotilla/shared";
import type { CelCompiler } from "./cel.js";
import { firstLine } from "./cel.js";
import type { AddonHealth, LiveObject, ObjectHealth } from "./evaluate.js";

export interface RuleTarget {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A rule that cannot be used, as the addon's InvalidHealthCheck message names it. */
export type InvalidRule = NonNullable<AddonHealth["invalid"]>[number];

const MAX_MESSAGE = 256;
const clip = (s: string): string => (s.length <= MAX_MESSAGE ? s : `${s.slice(0, MAX_MESSAGE - 1)}…`);
const waiting = (message: string): ObjectHealth => ({ ready: false, failed: false, message: clip(message) });

/** `group` absent matches the kind in any group; "" is the core group. */
export function ruleMatches(rule: HealthCheck, t: RuleTarget): boolean {
  return (
    rule.kind === t.kind &&
    (rule.group === undefined || rule.group === t.group) &&
    (rule.namespace === undefined || rule.namespace === (t.namespace ?? "")) &&
    (rule.name === undefined || rule.name === t.name)
  );
}

/** How a rule is named in messages: its place in spec.healthChecks and what it selects. */
export function ruleName(rules: readonly HealthCheck[], i: number): string {
  const r = rules[i];
  if (!r) return `healthChecks[${i}]`;
  const what = [r.kind, r.namespace !== undefined || r.name !== undefined ? `${r.namespace ? `${r.namespace}/` : ""}${r.name ?? "*"}` : ""].filter(Boolean).join(" ");
  return `healthChecks[${i}] (${what})`;
}

export const hasCel = (rules: readonly HealthCheck[]): boolean => rules.some((r) => (r.cel?.length ?? 0) > 0);

/** Every CEL expression of the rules that cannot be used, whether or not the rule matches an object. */
export function invalidRules(rules: readonly HealthCheck[], cel: CelCompiler | undefined): InvalidRule[] {
  const out: InvalidRule[] = [];
  rules.forEach((r, i) =>
    r.cel?.forEach((c, j) => {
      const compiled = cel ? cel.compile(c.expression) : { ok: false as const, error: "CEL is not available" };
      if (!compiled.ok) out.push({ rule: `${ruleName(rules, i)}.cel[${j}]`, error: compiled.error });
    }),
  );
  return out;
}

/** The value at a dotted path, rendered as a string the way `fields[].value` is compared. */
function fieldText(o: LiveObject, path: string): string | undefined {
  let v: unknown = o;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  if (v === undefined || v === null) return undefined;
  return typeof v === "object" ? JSON.stringify(v) : String(v as string | number | boolean);
}

/** The first thing one rule finds wrong with the object, or undefined when the rule holds. */
function ruleProblem(rules: readonly HealthCheck[], i: number, o: LiveObject, cel: CelCompiler | undefined): string | undefined {
  const rule = rules[i];
  if (!rule) return undefined;
  const conds = Array.isArray(o.status?.conditions) ? (o.status.conditions as { type?: unknown; status?: unknown }[]) : [];
  for (const want of rule.conditions ?? []) {
    const status = want.status ?? "True";
    const got = conds.find((c) => c.type === want.type)?.status;
    if (got !== status) return `condition ${want.type} is ${typeof got === "string" ? got : "absent"}, not ${status}`;
  }
  for (const f of rule.fields ?? []) {
    const got = fieldText(o, f.path);
    if (got !== f.value) return got === undefined ? `${f.path} is not set (want ${f.value})` : `${f.path} is ${got}, not ${f.value}`;
  }
  for (const [j, c] of (rule.cel ?? []).entries()) {
    const compiled = cel?.compile(c.expression);
    if (!compiled?.ok) return `${ruleName(rules, i)}.cel[${j}] is invalid`;
    let result: unknown;
    try {
      result = compiled.run(o);
    } catch (err) {
      return `${c.expression}: ${firstLine(err)}`;
    }
    if (result === false) return c.message ?? `${c.expression} is false`;
    if (result !== true) return `${c.expression} returned ${typeof result}, not a bool`;
  }
  return undefined;
}

/**
 * The object's health with the rules that match it: not ready while any of them does not hold.
 * A built-in verdict of not ready (or failed) stands: rules only ever hold an object back.
 */
export function applyRules(builtin: ObjectHealth, o: LiveObject, target: RuleTarget, rules: readonly HealthCheck[], cel: CelCompiler | undefined): ObjectHealth {
  if (!builtin.ready || rules.length === 0) return builtin;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!rule || !ruleMatches(rule, target)) continue;
    const problem = ruleProblem(rules, i, o, cel);
    if (problem !== undefined) return waiting(problem);
  }
  return builtin;
}
