import { parseDuration, type KubeObject } from "@flotilla/shared";
import { applyOrder } from "../apply/kind-order.js";
import { describeRef, refOf } from "../inventory/ref.js";

/**
 * Helm lifecycle hooks in a bundle (pure): which objects are hooks, when each runs, in what order,
 * with what deadline and delete policy, and which hooks run for a given apply. The runner
 * (runner.ts) does the I/O.
 */

export const HOOK_ANNOTATION = "helm.sh/hook";
export const HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight";
export const HOOK_DELETE_POLICY_ANNOTATION = "helm.sh/hook-delete-policy";
/** Flotilla's own: how long one hook may take (a Go duration, "90s", "5m"); else the agent's default. */
export const HOOK_TIMEOUT_ANNOTATION = "addon.flotilla.dev/hook-timeout";

export const HOOK_PHASES = ["pre-install", "post-install", "pre-upgrade", "post-upgrade", "pre-delete", "post-delete"] as const;
export type HookPhase = (typeof HOOK_PHASES)[number];

export const DELETE_POLICIES = ["before-hook-creation", "hook-succeeded", "hook-failed"] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

/** Helm test hooks: Flotilla has no `helm test`, so they are never applied. */
const TEST_HOOKS = new Set(["test", "test-success", "test-failure"]);

/** How many hooks, and how many bytes of them, the AppliedAddOn records (its spec stays small). */
export const MAX_RECORDED_HOOKS = 32;
export const MAX_RECORDED_HOOK_BYTES = 64 * 1024;

export interface Hook {
  /** The object as it is applied (already labelled and placed by the applier's prepare). */
  object: KubeObject;
  phases: HookPhase[];
  weight: number;
  deletePolicies: DeletePolicy[];
  timeoutMs: number;
}

export interface HookSplit {
  /** Ordinary objects: applied, inventoried, pruned as always. */
  main: KubeObject[];
  hooks: Hook[];
  /** Hook objects that are not applied at all, each with why (test hooks, unknown hook names). */
  notRun: string[];
  /** Annotations that cannot be read; any makes the revision fail (nothing is applied). */
  invalid: string[];
}

const has = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);
const commaList = (v: string): string[] => v.split(",").map((s) => s.trim()).filter(Boolean);

/** Splits objects into main objects and hooks, reading each hook's annotations. */
export function splitHooks(objects: readonly KubeObject[], defaultTimeoutMs: number): HookSplit {
  const out: HookSplit = { main: [], hooks: [], notRun: [], invalid: [] };
  for (const object of objects) {
    const ann = object.metadata.annotations ?? {};
    const raw = ann[HOOK_ANNOTATION];
    if (raw === undefined) {
      out.main.push(object);
      continue;
    }
    const what = describeRef(refOf(object));
    const names = commaList(raw);
    const phases = names.filter((n): n is HookPhase => has(HOOK_PHASES, n));
    const ignored = names.filter((n) => !has(HOOK_PHASES, n));
    if (ignored.length) {
      const why = ignored.map((n) => (TEST_HOOKS.has(n) ? `"${n}" (helm test hooks are not run)` : `"${n}" (not a hook Flotilla knows)`)).join(", ");
      out.notRun.push(phases.length ? `${what}: ${HOOK_ANNOTATION} ${why} ignored; runs as ${phases.join(", ")}` : `${what}: ${HOOK_ANNOTATION} ${why}; not applied`);
    }
    if (!phases.length) continue;
    const problems: string[] = [];
    const weight = readWeight(ann[HOOK_WEIGHT_ANNOTATION], problems);
    const deletePolicies = readPolicies(ann[HOOK_DELETE_POLICY_ANNOTATION], problems);
    const timeoutMs = readTimeout(ann[HOOK_TIMEOUT_ANNOTATION], defaultTimeoutMs, problems);
    if (problems.length) out.invalid.push(`${what}: ${problems.join("; ")}`);
    else out.hooks.push({ object, phases, weight, deletePolicies, timeoutMs });
  }
  return out;
}

function readWeight(v: string | undefined, problems: string[]): number {
  if (v === undefined) return 0;
  if (/^\s*[+-]?\d{1,9}\s*$/.test(v)) return Number(v);
  problems.push(`${HOOK_WEIGHT_ANNOTATION} ${JSON.stringify(v)} is not an integer`);
  return 0;
}

/** Helm 3 and 4: no policy given means before-hook-creation. */
function readPolicies(v: string | undefined, problems: string[]): DeletePolicy[] {
  const names = v === undefined ? [] : commaList(v);
  const bad = names.filter((n) => !has(DELETE_POLICIES, n));
  if (bad.length) problems.push(`${HOOK_DELETE_POLICY_ANNOTATION} ${bad.map((b) => JSON.stringify(b)).join(", ")} not one of ${DELETE_POLICIES.join(", ")}`);
  const known = names.filter((n): n is DeletePolicy => has(DELETE_POLICIES, n));
  return known.length ? [...new Set(known)] : ["before-hook-creation"];
}

function readTimeout(v: string | undefined, dflt: number, problems: string[]): number {
  if (v === undefined) return dflt;
  try {
    const ms = parseDuration(v, "0s");
    if (ms > 0) return ms;
  } catch {
    // reported below
  }
  problems.push(`${HOOK_TIMEOUT_ANNOTATION} ${JSON.stringify(v)} is not a positive duration such as "90s" or "5m"`);
  return dflt;
}

/** Hooks of one phase in the order Helm runs them: weight, then kind order, then name. */
export function phaseHooks(hooks: readonly Hook[], phase: HookPhase): Hook[] {
  const inPhase = hooks.filter((h) => h.phases.includes(phase));
  const byKind = applyOrder(inPhase.map((h) => ({ ...h, kind: h.object.kind, metadata: h.object.metadata })));
  // sort is stable: equal weights keep kind-then-name order
  return byKind.sort((a, b) => a.weight - b.weight).map(({ kind: _k, metadata: _m, ...h }) => h);
}

/** Which lifecycle event an apply is, from the revision last applied completely (hooks included). */
export type HookEvent = "install" | "upgrade";

/**
 * install: nothing applied yet; upgrade: another revision was; undefined: this revision is the one
 * applied (a resync or drift re-apply), which runs no hooks.
 */
export function hookEvent(appliedRevision: string | undefined, revision: string): HookEvent | undefined {
  if (!appliedRevision) return "install";
  return appliedRevision === revision ? undefined : "upgrade";
}

export interface HookPlan {
  main: KubeObject[];
  event?: HookEvent;
  /** Hooks to run before and after the main apply (and prune), in order. */
  pre: { phase: HookPhase; hooks: Hook[] };
  post: { phase: HookPhase; hooks: Hook[] };
  /** What the AppliedAddOn keeps of this revision's hooks (see `recordOf`). */
  record: KubeObject[];
  /** Every hook object of the revision, whatever its phases (an addon identity must allow them all). */
  objects: KubeObject[];
  notRun: string[];
  invalid: string[];
}

/** Everything about hooks one apply of `revision` needs. */
export function planHooks(objects: readonly KubeObject[], i: { appliedRevision: string | undefined; revision: string; defaultTimeoutMs: number }): HookPlan {
  const split = splitHooks(objects, i.defaultTimeoutMs);
  const event = hookEvent(i.appliedRevision, i.revision);
  const [pre, post]: [HookPhase, HookPhase] = event === "upgrade" ? ["pre-upgrade", "post-upgrade"] : ["pre-install", "post-install"];
  const record = recordOf(split.hooks);
  const invalid = [...split.invalid];
  const bytes = JSON.stringify(record).length;
  if (record.length > MAX_RECORDED_HOOKS || bytes > MAX_RECORDED_HOOK_BYTES) {
    invalid.push(`${record.length} hooks (${Math.ceil(bytes / 1024)} KiB of them to record for uninstall); at most ${MAX_RECORDED_HOOKS} hooks and ${MAX_RECORDED_HOOK_BYTES / 1024} KiB`);
  }
  return {
    main: split.main,
    ...(event ? { event } : {}),
    pre: { phase: pre, hooks: event ? phaseHooks(split.hooks, pre) : [] },
    post: { phase: post, hooks: event ? phaseHooks(split.hooks, post) : [] },
    record,
    objects: split.hooks.map((h) => h.object),
    notRun: split.notRun,
    invalid,
  };
}

const isDeleteHook = (h: Hook): boolean => h.phases.includes("pre-delete") || h.phases.includes("post-delete");

/**
 * What the AppliedAddOn keeps of a revision's hooks, so an uninstall after an agent restart (when the
 * bundle is no longer known) still runs the delete hooks and removes what hooks left behind: delete
 * hooks whole, the others only their identity and hook annotations.
 */
export function recordOf(hooks: readonly Hook[]): KubeObject[] {
  return hooks.map((h) => {
    if (isDeleteHook(h)) return h.object;
    const { name, namespace, annotations } = h.object.metadata;
    const kept = Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => k.startsWith("helm.sh/hook") || k === HOOK_TIMEOUT_ANNOTATION));
    return { apiVersion: h.object.apiVersion, kind: h.object.kind, metadata: { name, ...(namespace ? { namespace } : {}), annotations: kept } };
  });
}

export const sameRecordedHooks = (a: readonly KubeObject[] | undefined, b: readonly KubeObject[] | undefined): boolean => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
