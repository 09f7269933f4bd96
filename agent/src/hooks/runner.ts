import type { Counter } from "prom-client";
import { ADDON_NAME_LABEL, AGENT_FIELD_MANAGER, classifyKubeError, kubeErrorMessage, systemClock, type Clock, type KubeObject, type Logger } from "@flotilla/shared";
import type { Watch } from "@kubernetes/client-node";
import type { RawObjectApi } from "../apply/object-api.js";
import { describeRef, refOf, type ObjectRef } from "../inventory/ref.js";
import { hookCompletion, type Completion } from "./completion.js";
import { awaitObject } from "./object-watch.js";
import type { Hook, HookPhase } from "./plan.js";

/** How one hook ended; `reason` is a condition reason and `result` the metric label. */
export type HookResult =
  | { hook: Hook; phase: HookPhase; result: "succeeded" }
  | { hook: Hook; phase: HookPhase; result: "failed" | "timeout"; reason: "Failed" | "Timeout" | "NotOurs" | "Refused"; message: string };
export type HookFailure = Extract<HookResult, { result: "failed" | "timeout" }>;

type HookApi = Pick<RawObjectApi, "get" | "apply" | "remove" | "resourceOf">;

export interface HookRunnerOptions {
  api: HookApi;
  /** The object API that acts as the addon (its identity); absent: `api` for every addon. */
  apiFor?: (addon: string) => HookApi;
  watch: Pick<Watch, "watch">;
  logger: Logger;
  /** `flotilla_agent_hook_runs_total{phase,result}`. */
  runs: Pick<Counter<"phase" | "result">, "inc">;
  clock?: Clock;
  signal?: AbortSignal;
}

/**
 * Runs hooks one after the other as Helm does: delete the previous object first when the policy is
 * before-hook-creation (and wait until it is gone), server-side apply it, wait by watch until it is
 * done (completion.ts) or its deadline passes, then apply the delete policy. The first failure stops
 * the phase.
 *
 * A bare control plane (the test harness's spokes) runs no job controller and no kubelet, so a hook
 * Job there never finishes by itself: tests play the job controller by writing the Job's status
 * through its status subresource.
 */
export class HookRunner {
  private readonly clock: Clock;
  constructor(private readonly o: HookRunnerOptions) {
    this.clock = o.clock ?? systemClock;
  }

  /** As the addon when it has an identity, so a hook may do no more than the addon's own objects. */
  private apiOf(addon: string): HookApi {
    return this.o.apiFor?.(addon) ?? this.o.api;
  }

  /** Runs `hooks` (already in order) for `addon`; stops at the first that fails. */
  async runPhase(addon: string, phase: HookPhase, hooks: readonly Hook[]): Promise<{ results: HookResult[]; failed?: HookFailure }> {
    const results: HookResult[] = [];
    for (const hook of hooks) {
      const r = await this.runOne(addon, phase, hook);
      results.push(r);
      this.o.runs.inc({ phase, result: r.result });
      if (r.result !== "succeeded") return { results, failed: r };
    }
    return { results };
  }

  /**
   * One hook, bounded by its deadline (from the start, old-object deletion included). A transient API
   * error (5xx, timeout, conflict) is thrown, so the work queue retries the whole apply with backoff;
   * an object the API server refuses (422, 403, or 404: its namespace is not there) fails the hook.
   */
  async runOne(addon: string, phase: HookPhase, hook: Hook): Promise<HookResult> {
    const ref = refOf(hook.object);
    const what = describeRef(ref);
    const log = this.o.logger.child({ hook: what, phase });
    const deadlineAt = this.clock.now() + hook.timeoutMs;
    const fail = (result: "failed" | "timeout", reason: HookFailure["reason"], message: string): HookFailure => ({ hook, phase, result, reason, message: `${phase} hook ${what}: ${message}` });
    let outcome: HookResult;
    try {
      outcome = await this.execute(addon, phase, ref, hook, deadlineAt, fail);
    } catch (err) {
      if (this.o.signal?.aborted) throw err;
      // NotFound: the hook's namespace does not exist (nothing will make it before a pre-install hook
      // runs, and after an uninstall deleted it none comes back): retrying would only loop.
      const code = classifyKubeError(err).code;
      if (code !== "Invalid" && code !== "Forbidden" && code !== "NotFound") throw err;
      outcome = fail("failed", "Refused", kubeErrorMessage(err));
    }
    await this.afterRun(addon, ref, hook, outcome, log);
    if (outcome.result === "succeeded") log.info("hook succeeded");
    else log.warn({ reason: outcome.reason, message: outcome.message }, "hook failed");
    return outcome;
  }

  private async execute(addon: string, phase: HookPhase, ref: ObjectRef, hook: Hook, deadlineAt: number, fail: (r: "failed" | "timeout", reason: HookFailure["reason"], m: string) => HookFailure): Promise<HookResult> {
    const api = this.apiOf(addon);
    // Whatever the policy, an object of that name that is not this addon's is never taken over (a
    // forced apply would, and hook-succeeded would then delete it).
    const old = await api.get(ref);
    if (old && old.metadata.labels?.[ADDON_NAME_LABEL] !== hook.object.metadata.labels?.[ADDON_NAME_LABEL]) {
      return fail("failed", "NotOurs", `an object of that name exists and does not carry ${ADDON_NAME_LABEL}=${addon}; it is left alone`);
    }
    if (old && hook.deletePolicies.includes("before-hook-creation")) {
      await api.remove(ref);
      const gone = await this.wait(ref, (o) => (o === undefined ? true : undefined), deadlineAt);
      if (gone === "timeout") return fail("timeout", "Timeout", `Timeout: the previous object was not gone within its deadline of ${seconds(hook.timeoutMs)}`);
    }
    const applied = await api.apply(hook.object, AGENT_FIELD_MANAGER);
    const done: Completion | "timeout" = hookCompletion(ref, applied) ?? (await this.wait(ref, (o) => hookCompletion(ref, o), deadlineAt));
    if (done === "timeout") return fail("timeout", "Timeout", `Timeout: not finished within its deadline of ${seconds(hook.timeoutMs)}`);
    return done.ok ? { hook, phase, result: "succeeded" } : fail("failed", "Failed", done.message);
  }

  /** Waits as the agent, which reads (lists and watches) every kind its addons declare. */
  private wait<T>(ref: ObjectRef, decide: (o: KubeObject | undefined) => T | undefined, deadlineAt: number): Promise<T | "timeout"> {
    return awaitObject({ api: this.o.api, watch: this.o.watch, clock: this.clock, logger: this.o.logger, ...(this.o.signal ? { signal: this.o.signal } : {}) }, ref, decide, deadlineAt);
  }

  /** hook-succeeded / hook-failed: the object goes (not waited for; background propagation). */
  private async afterRun(addon: string, ref: ObjectRef, hook: Hook, outcome: HookResult, log: Logger): Promise<void> {
    const api = this.apiOf(addon);
    const policy = outcome.result === "succeeded" ? "hook-succeeded" : "hook-failed";
    if (!hook.deletePolicies.includes(policy) || (outcome.result !== "succeeded" && outcome.reason === "NotOurs")) return;
    try {
      await api.remove(ref);
    } catch (err) {
      if (this.o.signal?.aborted) throw err;
      log.warn({ err: kubeErrorMessage(err), policy }, "could not delete the hook object as its delete policy asks");
    }
  }
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;
