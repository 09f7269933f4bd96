import type { KubeObject, Logger } from "@flotilla/shared";
import type { Applier } from "../apply/applier.js";
import { uninstallOrder } from "../inventory/prune-plan.js";
import { describeRef, refOf } from "../inventory/ref.js";
import type { ApplyPhase } from "../report/build.js";
import { phaseHooks, planHooks, splitHooks, type HookPhase, type HookPlan } from "./plan.js";
import type { HookRunner } from "./runner.js";

export interface AddonHooksOptions {
  runner: Pick<HookRunner, "runPhase">;
  applier: Pick<Applier, "delete">;
  /** The applier that acts as the addon (its identity), for the hook objects left behind. */
  applierFor?: (addon: string) => Pick<Applier, "delete">;
  /** Deadline of a hook without `addon.flotilla.dev/hook-timeout`. */
  defaultTimeoutMs: number;
}

/** What the uninstall remembers between its tries (AddonMemory). */
export interface UninstallMemory {
  /** The pre-delete hooks ran (whatever their outcome): a retried uninstall does not run them again. */
  preDeleteRan?: boolean;
}

/**
 * Helm hooks around the addon reconcile: the plan for an apply, a phase run turned into the report's
 * phase, and the delete hooks of an uninstall. The reconciler calls these and decides nothing about
 * hooks itself.
 */
export class AddonHooks {
  constructor(private readonly o: AddonHooksOptions) {}

  /** Splits the prepared objects and picks the phases this apply runs; says what is not applied. */
  plan(prepared: readonly KubeObject[], appliedRevision: string | undefined, revision: string, log: Logger): HookPlan {
    const plan = planHooks(prepared, { appliedRevision, revision, defaultTimeoutMs: this.o.defaultTimeoutMs });
    if (plan.notRun.length) log.info({ hooks: plan.notRun }, "hook objects not applied");
    return plan;
  }

  /** Why the revision cannot be applied as it is (hook annotations that cannot be read, too many hooks). */
  invalid(plan: HookPlan): ApplyPhase | undefined {
    return plan.invalid.length ? { kind: "InvalidHook", message: `invalid hooks: ${plan.invalid.join("; ")}` } : undefined;
  }

  /**
   * Runs one step of the plan (its pre or post hooks); a failure is the revision's phase. `starting`
   * is told first (the reconciler reports it), so a long hook shows as such, not as silence.
   */
  async run(addon: string, step: HookPlan["pre"], starting?: (phase: ApplyPhase) => Promise<unknown>): Promise<ApplyPhase | undefined> {
    if (!step.hooks.length) return undefined;
    const names = step.hooks.map((h) => describeRef(refOf(h.object)));
    await starting?.({ kind: "Applying", message: `running ${step.phase} hooks: ${names.slice(0, 3).join(", ")}${names.length > 3 ? ` and ${names.length - 3} more` : ""}` });
    const { failed } = await this.o.runner.runPhase(addon, step.phase, step.hooks);
    return failed ? { kind: "HookFailed", message: failed.message } : undefined;
  }

  /**
   * pre-delete hooks from what the AppliedAddOn recorded. A failure or a timeout is logged and counted
   * (flotilla_agent_hook_runs_total) and the uninstall goes on: a hook never blocks it beyond its
   * deadline. Run once per uninstall, however often deleting the objects is retried.
   */
  async beforeDelete(addon: string, recorded: readonly KubeObject[] | undefined, mem: UninstallMemory, log: Logger): Promise<void> {
    if (mem.preDeleteRan) return;
    await this.runDeleteHooks(addon, recorded, "pre-delete", log);
    mem.preDeleteRan = true;
  }

  /**
   * post-delete hooks, then every hook object the revision recorded that is still there and still
   * this addon's (not `addon.flotilla.dev/keep`): nothing would ever remove them once the addon's
   * record is gone. Helm leaves them; an addon manager that uninstalls should not.
   */
  async afterDelete(addon: string, recorded: readonly KubeObject[] | undefined, log: Logger): Promise<void> {
    await this.runDeleteHooks(addon, recorded, "post-delete", log);
    if (!recorded?.length) return;
    const del = await (this.o.applierFor?.(addon) ?? this.o.applier).delete(uninstallOrder(recorded.map((o) => ({ ...refOf(o), uid: "" }))), addon);
    if (del.deleted.length) log.info({ hooks: del.deleted.map((d) => `${d.kind} ${d.namespace ?? ""}/${d.name}`) }, "deleted hook objects left behind");
    for (const f of del.failed) log.warn({ err: f.error.message }, "could not delete a hook object left behind");
  }

  private async runDeleteHooks(addon: string, recorded: readonly KubeObject[] | undefined, phase: HookPhase, log: Logger): Promise<void> {
    const hooks = phaseHooks(splitHooks(recorded ?? [], this.o.defaultTimeoutMs).hooks, phase);
    if (!hooks.length) return;
    const { failed } = await this.o.runner.runPhase(addon, phase, hooks);
    if (failed) log.warn({ reason: failed.reason, message: failed.message }, `${phase} hook did not succeed; uninstalling anyway`);
  }
}
